"""Everything deploy/ names exists in the code: routes, settings, environment variables, scopes, the WSGI entry point.

deploy/ is prose and shell as much as code, so a renamed route or setting would otherwise
break a production deploy silently; these checks read the files and compare with the app.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from service.app import create_app
from service.settings import load_settings
from tests.deploy.processes import REPO, clean_env

DEPLOY = REPO / "deploy"
ADDON = DEPLOY / "apps_script"
SERVICE = REPO / "service"
REQUIRED_SCOPES = {
    "openid",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/script.external_request",
    "https://www.googleapis.com/auth/documents.currentonly",
    "https://www.googleapis.com/auth/script.container.ui",
}
# The routes a deployment relies on (docs/http-api.md); deploy/ must mention each, and each must exist.
CONTRACT_ROUTES = {("GET", "/healthz"), ("POST", "/tasks/weekly"), ("POST", "/tasks/section"), ("POST", "/tasks/job"),
                   ("POST", "/addon/section"), ("POST", "/addon/items"), ("GET", "/links/<token>")}


def deploy_texts() -> dict[Path, str]:
    """Every text file an admin reads or runs: READMEs, scripts, the Dockerfile, the add-on (not its tests)."""
    out = {}
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file() and "test" not in path.relative_to(DEPLOY).parts and path.parent.name != "standins":
            out[path] = path.read_text(encoding="utf-8")
    return out


# A path after a method ("POST /tasks/weekly"), after the service URL ("${url}/tasks/weekly",
# "run.app/healthz", "127.0.0.1:8080/healthz") or in a quoted string of the add-on ('/addon/items').
_ROUTE_AFTER_METHOD = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE)\s+`?(/[A-Za-z0-9_<>{}./-]*)")
_ROUTE_AFTER_URL = re.compile(r"(?:\$\{?[A-Za-z_]*url\}?|\$\{?[A-Z_]*URL\}?|run\.app|127\.0\.0\.1:\d+|localhost:\d+|DOCKET_URL>?)(/[A-Za-z0-9_<>{}./-]+)", re.I)
_ROUTE_IN_JS_STRING = re.compile(r"""['"](/(?:[a-z]+)(?:/[a-z<>_-]+)*)['"]""")


def routes_named_in_deploy() -> set[tuple[str | None, str, str]]:
    found: set[tuple[str | None, str, str]] = set()
    for path, text in deploy_texts().items():
        where = str(path.relative_to(REPO))
        for method, route in _ROUTE_AFTER_METHOD.findall(text):
            found.add((method, route.rstrip(".,`)"), where))
        for route in _ROUTE_AFTER_URL.findall(text):
            found.add((None, route.rstrip(".,`)"), where))
        if path.suffix == ".js":
            for route in _ROUTE_IN_JS_STRING.findall(text):
                found.add(("POST", route, where))
    # Not routes: file paths that follow a URL-looking word (none expected, but keep the rule explicit).
    return {(m, r, w) for m, r, w in found if r != "/" and not r.startswith("/etc/")}


@pytest.fixture(scope="module")
def url_map(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    data = tmp_path_factory.mktemp("data")
    settings = load_settings(str(DEPLOY / "docket.toml.example"), env={"DOCKET_DATA_DIR": str(data)})
    # The production shape: google backend. Build the app without touching Google by giving it
    # the embedded emulator instead; the routes do not depend on the backend except /local/*.
    from service.google.clients import embedded_google

    embedded = load_settings(None, env={"DOCKET_DATA_DIR": str(data)}, cwd=data)
    app = create_app(settings, google=embedded_google(embedded))
    return app.url_map


def _normalise(route: str) -> str:
    return re.sub(r"<[^>]*>|\{[^}]*\}|[A-Z][A-Z_]+$", "<>", route)


def test_every_route_deploy_names_exists_in_the_app(url_map) -> None:  # noqa: ANN001
    named = routes_named_in_deploy()
    assert named, "the route scan found nothing: the patterns are broken"
    rules = {(_normalise(r.rule), m) for r in url_map.iter_rules() for m in r.methods or ()}
    adapter = url_map.bind("docket.example.run.app")
    missing = []
    for method, route, where in sorted(named, key=lambda x: (x[1], str(x[0]), x[2])):
        if "<" in route or "{" in route or re.search(r"/[A-Z_]+$", route):
            ok = any(rule == _normalise(route) and (method is None or m == method) for rule, m in rules)
        else:
            try:
                adapter.match(route, method=method or "GET")
                ok = True
            except MethodNotAllowed:
                ok = method is None  # exists, with another method than the one deploy/ says
            except NotFound:
                ok = False
        if not ok:
            missing.append(f"{method or 'ANY'} {route} (in {where})")
    assert not missing, "deploy/ names routes the app does not serve:\n" + "\n".join(missing)


def test_deploy_documents_every_contract_route(url_map) -> None:  # noqa: ANN001
    named = {(m, _normalise(r)) for m, r, _ in routes_named_in_deploy()}
    served = {(m, _normalise(r.rule)) for r in url_map.iter_rules() for m in r.methods or ()}
    for method, route in CONTRACT_ROUTES:
        assert (method, _normalise(route)) in served, f"the app does not serve {method} {route}"
        assert (method, _normalise(route)) in named, f"deploy/README.md does not mention {method} {route}"


def test_the_production_example_configuration_loads(tmp_path: Path) -> None:
    settings = load_settings(str(DEPLOY / "docket.toml.example"), env={"DOCKET_DATA_DIR": str(tmp_path)})
    assert settings.backend == "google"
    assert settings.dispatch.mode == "cloud-tasks"
    assert settings.auth.audience == settings.service.base_url, "Scheduler's audience is the service URL"
    assert settings.dispatch.service_account in settings.auth.scheduler_service_accounts, \
        "the Cloud Tasks OIDC identity must be accepted by /tasks/section"
    assert settings.auth.addon_client_ids and settings.organization.domains
    assert settings.google.delegated_subject is None, "shared drive: no domain-wide delegation"


def _settings_keys() -> set[str]:
    """`section.key` for every key service/settings.py reads (its quoted names, by section dataclass)."""
    from service import settings as s

    sections = {"organization": s.Organization, "google": s.GoogleSettings, "one_on_one": s.OneOnOneSettings,
                "leadership": s.LeadershipSettings, "service": s.ServiceSettings, "dispatch": s.DispatchSettings,
                "auth": s.AuthSettings}
    source = (SERVICE / "settings.py").read_text(encoding="utf-8")
    quoted = set(re.findall(r"""["']([a-z_]+)["']""", source))
    keys = set()
    for name, cls in sections.items():
        for f in dataclasses.fields(cls):
            keys.add(f"{name}.{f.name}")
        keys.update(f"{name}.{q}" for q in quoted)  # TOML names that differ from field names (standing_item)
    return keys


def test_every_setting_deploy_names_is_read_by_the_code() -> None:
    pattern = re.compile(r"(?<![\w/.-])(organization|google|one_on_one|leadership|service|dispatch|auth)\.([a-z_]+)\b")
    known, source = _settings_keys(), (SERVICE / "settings.py").read_text(encoding="utf-8")
    unknown = []
    for path, text in deploy_texts().items():
        if path.suffix in (".js", ".json"):
            continue
        for section, key in pattern.findall(text):
            if key in ("run", "com", "googleapis", "iam", "app", "apps", "example", "toml", "py", "wsgi", "settings"):
                continue  # host names and module paths, not settings
            if f"{section}.{key}" not in known or f'"{key}"' not in source:
                unknown.append(f"{section}.{key} (in {path.relative_to(REPO)})")
    assert not unknown, "deploy/ names settings the code does not read:\n" + "\n".join(sorted(set(unknown)))


def _script_properties() -> set[str]:
    return set(re.findall(r"getProperty\(\s*['\"]([A-Z_]+)['\"]", (ADDON / "Code.js").read_text(encoding="utf-8")))


def test_every_environment_variable_deploy_names_is_read_by_the_code() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in SERVICE.rglob("*.py"))
    script_properties = _script_properties()
    assert script_properties == {"DOCKET_URL"}
    unknown = []
    for path, text in deploy_texts().items():
        for name in set(re.findall(r"\bDOCKET_[A-Z_]+\b", text)) - script_properties:
            if f'"{name}"' not in code:
                unknown.append(f"{name} (in {path.relative_to(REPO)})")
    assert not unknown, "deploy/ names environment variables the code does not read:\n" + "\n".join(sorted(unknown))


def test_the_manifest_has_exactly_the_required_scopes_and_an_allow_list() -> None:
    manifest = json.loads((ADDON / "appsscript.json").read_text(encoding="utf-8"))
    assert set(manifest["oauthScopes"]) == REQUIRED_SCOPES
    assert len(manifest["oauthScopes"]) == len(REQUIRED_SCOPES)
    whitelist = manifest["urlFetchWhitelist"]
    assert whitelist and all(re.fullmatch(r"https://[^/\s]+/", prefix) for prefix in whitelist)
    assert "addOns" not in manifest, "an Editor add-on; `addOns` is for Workspace add-ons"
    # 70-apps-script.sh fills in the placeholder with the deployment's URL.
    placeholder = whitelist[0]
    assert placeholder in (DEPLOY / "gcloud" / "70-apps-script.sh").read_text(encoding="utf-8")


def test_the_add_on_calls_only_contract_routes_and_uses_the_identity_token() -> None:
    code = (ADDON / "Code.js").read_text(encoding="utf-8")
    assert set(_ROUTE_IN_JS_STRING.findall(code)) == {"/addon/section", "/addon/items"}
    assert "ScriptApp.getIdentityToken()" in code and "createAddonMenu()" in code
    assert "muteHttpExceptions: true" in code and "'application/json'" in code


def test_the_dockerfile_entry_point_exists(tmp_path: Path) -> None:
    from tests.deploy.test_container_command import start_command

    module, _, attr = start_command().split()[-1].partition(":")
    # In a fresh interpreter: importing the WSGI module builds the app from the environment.
    probe = f"import importlib; app = getattr(importlib.import_module({module!r}), {attr!r}); assert callable(app); print(type(app).__name__)"
    result = subprocess.run([sys.executable, "-c", probe], env=clean_env(DOCKET_DATA_DIR=str(tmp_path)), cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Flask"


def test_the_scheduler_and_queue_match_the_configuration_shape() -> None:
    scripts = "\n".join((DEPLOY / "gcloud" / name).read_text(encoding="utf-8") for name in ("env.sh", "60-scheduler.sh", "20-identities.sh"))
    assert '--oidc-token-audience="$url"' in scripts and "--oidc-service-account-email=\"$INVOKER_SA\"" in scripts
    assert "Content-Type=application/json" in scripts
    rate = float(re.search(r"--max-dispatches-per-second=([0-9.]+)", scripts).group(1))  # type: ignore[union-attr]
    assert rate * 60 < 60, "the queue must stay under the Docs quota of 60 writes a minute"
    example = load_settings(str(DEPLOY / "docket.toml.example"), env={})
    queue_name = re.search(r"^QUEUE=(\S+)", scripts, re.M).group(1)  # type: ignore[union-attr]
    assert example.dispatch.queue and example.dispatch.queue.endswith(f"/queues/{queue_name}")
    assert example.dispatch.service_account and example.dispatch.service_account.startswith("docket-invoker@")
