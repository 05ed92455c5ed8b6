"""Fixtures for the robustness tests: the service app over the emulator (as in tests/service), typed-into docs,
the CLI as a separate process on the same data dir, and a snapshot of the data dir's files."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service.app import create_app
from service.emulator.bootstrap import DEFAULT_IDENTITY, open_store
from service.emulator.wsgi import create_emulator_app
from service.settings import load_settings
from service.triggers.links import link_signer
from tests.conftest import ROSTER, SHARED_DRIVE, google_on
from tests.service.conftest import (  # noqa: F401 (fixtures re-used from the service tests)
    ADDON_CLIENT,
    AUDIENCE,
    NOW,
    SCHEDULER,
    Tokens,
    app,
    client,
    clock,
    settings,
    tokens,
    weekly_done,
)

ERROR_KEYS = {"error"}


def rejected(response: Any, status: int, code: str | None = None) -> dict:
    """The pinned error shape, exactly: {"error": {"code", "message"}} with this status (and code); returns the error."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and set(body) == ERROR_KEYS, response.get_data(as_text=True)[:500]
    error = body["error"]
    assert set(error) == {"code", "message"} and isinstance(error["message"], str) and error["message"].strip()
    if code is not None:
        assert error["code"] == code, error
    return error


@pytest.fixture(scope="session")
def made(tmp_path_factory: Any, oidc: Any) -> tuple[Path, dict]:
    """This week's documents, made once by a real /tasks/weekly call; each test gets a copy of that data dir."""
    root = tmp_path_factory.mktemp("made")
    config = root / "docket.toml"
    config.write_text(ROSTER.format(drive=SHARED_DRIVE), encoding="utf-8")
    settings = load_settings(str(config), env={"DOCKET_DATA_DIR": str(root / "data"), "DOCKET_AUTH_CERTS_URL": oidc.certs_url})
    emulator = create_emulator_app(open_store(settings.data_dir, shared_drive_id=SHARED_DRIVE), default_identity=DEFAULT_IDENTITY)
    app = create_app(settings, google=google_on(emulator), clock=lambda: NOW)
    response = app.test_client().post("/tasks/weekly", headers=Tokens(oidc).scheduler())
    assert response.status_code == 200, response.get_json()
    return root / "data", response.get_json()


@pytest.fixture
def made_data_dir(tmp_path: Path, made: tuple[Path, dict]) -> Path:
    """A private copy of the session's made data dir (opt in by overriding `data_dir` with it)."""
    shutil.copytree(made[0], tmp_path / "data")
    return tmp_path / "data"


def type_into(app_: Any, document_id: str, text: str, *, who: str = "sam@example.com") -> None:
    """A person types `text` at the end of the document's last paragraph (as Docs does when you click at the end)."""
    google = google_on(app_, who)
    doc = google.documents.get(documentId=document_id).execute()
    end = doc["body"]["content"][-1]["endIndex"]
    google.documents.batchUpdate(documentId=document_id, body={"requests": [
        {"insertText": {"location": {"index": end - 1}, "text": text}}]}).execute()


def heading_of(url: str) -> str:
    """The heading id of any of the shapes Docket hands out: `...#heading=h.x`, `/local/docs/<id>#h.x`."""
    fragment = url.partition("#")[2]
    return fragment.removeprefix("heading=")


def document_of(url: str) -> str:
    if "/document/d/" in url:
        return url.split("/document/d/", 1)[1].split("/", 1)[0]
    return url.split("/local/docs/", 1)[1].split("#", 1)[0]


@pytest.fixture
def link_for(settings) -> Callable[..., str]:  # noqa: F811
    """A manager link token signed with the app's key (the data dir's), issued at the pinned clock."""
    def issue(report: str = "sam@example.com", manager: str = "maria@example.com", days: int = 30, at: float | None = None) -> str:
        when = NOW.timestamp() if at is None else at
        return link_signer(settings, env={}, clock=lambda: when).issue(manager, report, days=days)
    return issue


def cli_env(settings_file: Path, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKET_")}
    env.update(DOCKET_CONFIG=str(settings_file), DOCKET_DATA_DIR=str(data_dir))
    return env


# Imports first, then waits for a line on stdin: the command starts the moment the test says "go".
CLI_PRELOADED = "import sys; from service.cli import main; sys.stdin.readline(); sys.argv[0] = 'docket'; main()"


@pytest.fixture
def cli_processes() -> Any:
    """Starts command-line processes and makes sure none outlives the test (killed by pid, only ours)."""
    started: list[subprocess.Popen] = []

    def start(args: list[str], env: dict[str, str], *, wait_for_go: bool = False) -> subprocess.Popen:
        proc = start_cli(args, env, wait_for_go=wait_for_go)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def start_cli(args: list[str], env: dict[str, str], *, wait_for_go: bool = False) -> subprocess.Popen:
    code = CLI_PRELOADED if wait_for_go else "import sys; from service.cli import main; sys.argv[0] = 'docket'; main()"
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdin=subprocess.PIPE if wait_for_go else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under `root` (relative path → sha256), lock files aside: a whole-data-dir snapshot."""
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != "emulator.lock"}


__all__ = ["ADDON_CLIENT", "AUDIENCE", "NOW", "SCHEDULER", "Tokens", "cli_env", "document_of", "heading_of", "rejected",
           "start_cli", "tree_digest", "type_into"]
