"""Fixtures for the emulator's service shell: a store on disk, its WSGI app, and real Docs/Drive clients on it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.discovery import build

from service.emulator.ids import IdSource
from service.emulator.store import Store
from service.emulator.transport import EmulatorHttp
from service.emulator.wsgi import DEFAULT_IDENTITY, create_emulator_app

SERVICE_ACCOUNT = DEFAULT_IDENTITY
MANAGER = "maría@example.com"
REPORT = "sam@example.com"
OUTSIDER = "eve@elsewhere.org"
DOC_MIME = "application/vnd.google-apps.document"
FOLDER_MIME = "application/vnd.google-apps.folder"


def drive_for(app: Any, identity: str | None = None) -> Any:
    """Drive v3 through the real client library and the in-process transport."""
    return build("drive", "v3", http=EmulatorHttp(app, identity=identity), static_discovery=True, cache_discovery=False)


def docs_for(app: Any, identity: str | None = None) -> Any:
    return build("docs", "v1", http=EmulatorHttp(app, identity=identity), static_discovery=True, cache_discovery=False)


@pytest.fixture
def emu_dir(tmp_path: Path) -> Path:
    return tmp_path / "emulator"


@pytest.fixture
def emu_store(emu_dir: Path) -> Store:
    return Store(emu_dir, IdSource(seed=7))


@pytest.fixture
def shared_drive(emu_store: Store) -> str:
    """A shared drive whose only member is the default (service-account) identity."""
    return emu_store.seed_shared_drive("Docket 🗂️", {SERVICE_ACCOUNT: "organizer"})


@pytest.fixture
def emu_app(emu_store: Store) -> Any:
    return create_emulator_app(emu_store)


@pytest.fixture
def drive(emu_app: Any) -> Any:
    return drive_for(emu_app)


@pytest.fixture
def docs_api(emu_app: Any) -> Any:
    return docs_for(emu_app)


def _new_doc(drive: Any, parent: str, name: str = "1:1 María / Sam 🦄", **app_properties: str) -> dict:
    return drive.files().create(
        body={"name": name, "mimeType": DOC_MIME, "parents": [parent], "appProperties": app_properties},
        supportsAllDrives=True, fields="id,name,driveId,parents,appProperties",
    ).execute()


def _snapshot(store: Store) -> str:
    """The emulator's whole state (Drive index and every document), for before/after comparisons."""
    with store.transaction() as state:
        documents = {i: state.document(i).to_state() for i in sorted(state.drive["files"]) if state.document(i)}
        return json.dumps({"drive": state.drive, "documents": documents}, sort_keys=True, default=str)


def _capture(name: str) -> dict:
    """A committed capture of a real Google response (tests/emulator/captures/; each names its source)."""
    return json.loads((Path(__file__).parent / "captures" / name).read_text(encoding="utf-8"))


class Kit:
    """Helpers for tests in this folder (it is not a package, so they come as a fixture, not an import)."""

    SERVICE_ACCOUNT = SERVICE_ACCOUNT
    MANAGER = MANAGER
    REPORT = REPORT
    OUTSIDER = OUTSIDER
    DOC_MIME = DOC_MIME
    FOLDER_MIME = FOLDER_MIME
    drive_for = staticmethod(drive_for)
    docs_for = staticmethod(docs_for)
    new_doc = staticmethod(_new_doc)
    snapshot = staticmethod(_snapshot)
    capture = staticmethod(_capture)


@pytest.fixture
def kit() -> type[Kit]:
    return Kit
