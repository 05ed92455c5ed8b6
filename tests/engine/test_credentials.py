"""The real-Google backend builds the right credentials offline: key file, ADC, domain-wide delegation."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import impersonated_credentials
from google.oauth2 import service_account

from service.errors import ConfigError
from service.google.clients import SCOPES, _credentials, google_for
from service.settings import load_settings

SA_EMAIL = "docket-runtime@proj.iam.gserviceaccount.com"


@pytest.fixture
def key_file(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "proj", "private_key_id": "k1", "private_key": pem,
        "client_email": SA_EMAIL, "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token",
    }), encoding="utf-8")
    return path


def settings_with(tmp_path, settings_file, google_table: str):
    text = settings_file.read_text(encoding="utf-8")
    text = text.replace('[google]\nfolder_id = "0ATestSharedDrive"', "[google]\nfolder_id = \"0ATestSharedDrive\"\n" + google_table)
    path = tmp_path / "real.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(str(path), env={"DOCKET_DATA_DIR": str(tmp_path / "d")})


def test_a_key_file_gives_service_account_credentials_with_the_docs_and_drive_scopes(tmp_path, settings_file, key_file):
    settings = settings_with(tmp_path, settings_file, f'credentials = "{key_file}"')
    creds = _credentials(settings)
    assert isinstance(creds, service_account.Credentials)
    assert creds.service_account_email == SA_EMAIL and tuple(creds._scopes) == SCOPES
    assert creds._subject is None
    google = google_for(settings)
    assert (google.backend, google.identity) == ("google", SA_EMAIL)
    assert google.pacer is not None  # inline mode against real Google paces its writes


def test_delegation_with_a_key_file_uses_with_subject(tmp_path, settings_file, key_file):
    settings = settings_with(tmp_path, settings_file, f'credentials = "{key_file}"\ndelegated_subject = "docket@example.com"')
    creds = _credentials(settings)
    assert creds._subject == "docket@example.com"
    assert google_for(settings).identity == "docket@example.com"


def test_adc_from_the_environment_with_delegation(tmp_path, settings_file, key_file, monkeypatch):
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    settings = settings_with(tmp_path, settings_file, 'credentials = "adc"\ndelegated_subject = "docket@example.com"')
    creds = _credentials(settings)
    assert isinstance(creds, service_account.Credentials) and creds._subject == "docket@example.com"


@pytest.fixture
def user_adc(tmp_path, monkeypatch):
    """A person's application default credentials (gcloud auth application-default login)."""
    adc = tmp_path / "adc.json"
    adc.write_text(json.dumps({"type": "authorized_user", "client_id": "c", "client_secret": "s", "refresh_token": "r"}), encoding="utf-8")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(adc))
    return adc


def test_user_adc_with_delegation_is_refused_with_a_clear_error(tmp_path, settings_file, user_adc):
    # A person's ADC has no with_subject and names no service account whose JWT could be signed.
    settings = settings_with(tmp_path, settings_file, 'credentials = "adc"\ndelegated_subject = "docket@example.com"')
    with pytest.raises(ConfigError, match="service account"):
        _credentials(settings)  # user credentials name no service account to impersonate


def test_a_missing_key_file_is_a_config_error(tmp_path, settings_file):
    settings = settings_with(tmp_path, settings_file, f'credentials = "{tmp_path / "nope.json"}"')
    with pytest.raises(ConfigError) as info:
        _credentials(settings)
    assert info.value.key == "google.credentials"


class _Metadata:
    """A stand-in GCE/Cloud Run metadata server on loopback (google-auth finds it via GCE_METADATA_HOST/IP)."""

    def __init__(self) -> None:
        import http.server
        import threading

        outer = self
        self.paths: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                outer.paths.append(self.path)
                routes = {
                    "/": "",
                    "/computeMetadata/v1/project/project-id": "proj",
                    "/computeMetadata/v1/instance/service-accounts/default/?recursive=true":
                        json.dumps({"email": SA_EMAIL, "scopes": ["https://www.googleapis.com/auth/cloud-platform"], "aliases": ["default"]}),
                    "/computeMetadata/v1/instance/service-accounts/default/token":
                        json.dumps({"access_token": "ya29.test", "expires_in": 3600, "token_type": "Bearer"}),
                }
                path = self.path.split("?scopes=")[0] if "/token" in self.path else self.path
                body = routes.get(path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Metadata-Flavor", "Google")
                self.send_header("Content-Type", "application/json" if body and body.startswith("{") else "text/plain")
                self.end_headers()
                self.wfile.write((body or "").encode())

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.host = f"127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def metadata():
    """One stand-in for the module: google-auth reads GCE_METADATA_HOST when its _metadata module loads."""
    import importlib

    from google.auth.compute_engine import _metadata

    server = _Metadata()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GCE_METADATA_HOST", server.host)
        patch.setenv("GCE_METADATA_IP", server.host)
        importlib.reload(_metadata)
        yield server
    server.close()
    importlib.reload(_metadata)


@pytest.fixture
def on_cloud_run(metadata, tmp_path, monkeypatch):
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "no-gcloud"))
    return metadata


def test_cloud_run_adc_delegates_through_impersonated_credentials(tmp_path, settings_file, on_cloud_run):
    settings = settings_with(tmp_path, settings_file, 'credentials = "adc"\ndelegated_subject = "docket@example.com"')
    creds = _credentials(settings)
    assert isinstance(creds, impersonated_credentials.Credentials)
    assert creds._target_principal == SA_EMAIL
    assert creds._subject == "docket@example.com"
    assert tuple(creds._target_scopes) == SCOPES


def test_cloud_run_adc_without_delegation_acts_as_the_real_service_account_email(tmp_path, settings_file, on_cloud_run):
    # Until refreshed, metadata credentials call themselves "default": the confidentiality check would
    # then take Docket's own shared-drive membership for an outsider and refuse every confidential item.
    settings = settings_with(tmp_path, settings_file, 'credentials = "adc"')
    assert google_for(settings).identity == SA_EMAIL
    assert any(p.startswith("/computeMetadata/v1/instance/service-accounts/default/") for p in on_cloud_run.paths)


def test_user_adc_without_delegation_leaves_the_identity_to_drive(tmp_path, settings_file, user_adc):
    # A person's ADC names no account: building the backend asks nothing of the network, and the
    # identity is learned from Drive's about.get when first needed (tests/engine/test_identity.py).
    settings = settings_with(tmp_path, settings_file, 'credentials = "adc"')
    google = google_for(settings)
    assert google.backend == "google"
    assert google.stats.counts == {}
