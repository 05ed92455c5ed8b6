"""Shared fixtures: a test roster, the emulator reached through the real client library, and the engine on it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from service.calendar import Week
from service.emulator.bootstrap import DEFAULT_IDENTITY, open_store
from service.emulator.transport import EmulatorHttp
from service.emulator.wsgi import create_emulator_app
from service.services import Services
from service.google.calls import Backoff
from service.google.clients import Google
from service.settings import Settings, load_settings

pytest_plugins = ["tests.support.oidc"]

SHARED_DRIVE = "0ATestSharedDrive"

ROSTER = """
[organization]
name = "Test Support 🛟"
timezone = "America/New_York"
domains = ["example.com"]
zendesk_url = "https://acme.zendesk.com"
handbook_url = "https://handbook.example.com"

[google]
folder_id = "{drive}"

[[one_on_one]]
manager = "maria@example.com"
manager_name = "María García"
report = "sam@example.com"
report_name = "Sam Lee"
zendesk_user_id = "361234567"
weekday = "tuesday"
timezone = "Europe/Berlin"

[[one_on_one]]
manager = "maria@example.com"
manager_name = "María García"
report = "zoe@example.com"
report_name = "Zoë 👩🏽‍💻 Okafor"
zendesk_user_id = "361234568"
weekday = "thursday"

[leadership]
weekday = "wednesday"
members = ["vp@example.com", "maria@example.com"]
member_names = {{ "vp@example.com" = "Valentina Perez", "maria@example.com" = "María García" }}

[[leadership.standing_item]]
title = "Metrics and KPIs"
cadence = "weekly"

[[leadership.standing_item]]
title = "Upcoming promotions"
cadence = "monthly"
confidential = true

[[leadership.standing_item]]
title = "Team building budget"
cadence = "quarterly"

[service]
base_url = "http://127.0.0.1:8080"

[auth]
audience = "https://docket.example.run.app"
scheduler_service_accounts = ["scheduler@proj.iam.gserviceaccount.com"]
addon_client_ids = ["1234-abc.apps.googleusercontent.com"]
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "docket.toml"
    path.write_text(ROSTER.format(drive=SHARED_DRIVE), encoding="utf-8")
    return path


@pytest.fixture
def settings(settings_file: Path, data_dir: Path) -> Settings:
    return load_settings(str(settings_file), env={"DOCKET_DATA_DIR": str(data_dir)})


@pytest.fixture
def store(settings: Settings) -> Any:
    return open_store(settings.data_dir, shared_drive_id=SHARED_DRIVE)


@pytest.fixture
def emulator_app(store: Any) -> Any:
    return create_emulator_app(store, default_identity=DEFAULT_IDENTITY)


def google_on(app: Any, identity: str | None = None) -> Google:
    """A Google over the in-process emulator, with backoff that does not sleep."""
    return Google(lambda: EmulatorHttp(app, identity=identity), backend="embedded", identity=identity or DEFAULT_IDENTITY,
                  backoff=Backoff(sleep=lambda _s: None), emulator=app)


@pytest.fixture
def google(emulator_app: Any) -> Google:
    return google_on(emulator_app)


@pytest.fixture
def engine(settings: Settings, google: Google) -> Services:
    engine = Services.build(settings, google)
    engine.writer.sleep = lambda _s: None
    return engine


class Docs:
    """Reads the emulator's documents back through the real client library, for assertions."""

    def __init__(self, google: Google, store: Any) -> None:
        self.google = google
        self.store = store

    def get(self, document_id: str) -> dict:
        return self.google.documents.get(documentId=document_id).execute()

    def text(self, document_id: str) -> str:
        from service.google.document_view import view_blocks

        return "\n".join(b.text for b in view_blocks(self.get(document_id)))

    def ids(self, kind: str | None = None) -> list[str]:
        q = "trashed = false" + (f" and appProperties has {{ key='docket_kind' and value='{kind}' }}" if kind else "")
        files = self.google.drive.files().list(q=q, supportsAllDrives=True, includeItemsFromAllDrives=True,
                                               corpora="allDrives", fields="files(id)").execute()["files"]
        return [f["id"] for f in files]

    def snapshot(self) -> str:
        """The emulator's whole state (every document and all Drive metadata), for before/after comparisons."""
        with self.store.transaction() as state:
            documents = {i: state.document(i).to_state() for i in sorted(state.drive.get("files", {})) if state.document(i)}
            return json.dumps({"drive": state.drive, "documents": documents}, sort_keys=True, default=str)


@pytest.fixture
def docs(google: Google, store: Any) -> Docs:
    return Docs(google, store)


@pytest.fixture
def runner(settings_file: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner on the test roster and a fresh data dir (the embedded default)."""
    monkeypatch.setenv("DOCKET_CONFIG", str(settings_file))
    monkeypatch.setenv("DOCKET_DATA_DIR", str(data_dir))
    monkeypatch.delenv("DOCKET_GOOGLE_ENDPOINT", raising=False)
    return CliRunner()


@pytest.fixture
def week() -> Week:
    from datetime import date

    return Week.of(date(2026, 11, 18))
