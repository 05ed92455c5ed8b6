"""Opens the emulator over a data dir for Docket's embedded default and `docket emulator`, with its shared drive seeded."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from service.emulator.store import Store
from service.emulator.wsgi import DEFAULT_IDENTITY, create_emulator_app

if TYPE_CHECKING:
    from service.emulator.faults import Faults

__all__ = ["DEFAULT_IDENTITY", "SHARED_DRIVE_NAME", "emulator_dir", "open_emulator", "open_store", "serve_emulator"]

SHARED_DRIVE_NAME = "Docket"


def emulator_dir(data_dir: Path) -> Path:
    """Where the emulator keeps its state inside DOCKET_DATA_DIR (the same for embedded and served)."""
    return Path(data_dir) / "emulator"


def open_store(data_dir: Path, *, shared_drive_id: str | None, identity: str = DEFAULT_IDENTITY) -> Store:
    """The store, with Docket's shared drive present and Docket's identity its only member.

    Service accounts cannot own files (google-apis.md §7.1), so — as in production — Docket's
    documents live in a shared drive whose only member is Docket's own identity.
    """
    store = Store(emulator_dir(data_dir))
    if shared_drive_id:
        store.seed_shared_drive(SHARED_DRIVE_NAME, {identity: "organizer"}, drive_id=shared_drive_id)
    return store


def open_emulator(data_dir: Path, *, shared_drive_id: str | None, identity: str = DEFAULT_IDENTITY) -> Any:
    """The emulator's WSGI app over `data_dir`."""
    return create_emulator_app(open_store(data_dir, shared_drive_id=shared_drive_id, identity=identity), default_identity=identity)


def serve_emulator(data_dir: Path, *, host: str, port: int, shared_drive_id: str | None, faults: Faults | None = None,
                   identity: str = DEFAULT_IDENTITY, on_ready: Callable[[str], None] | None = None) -> None:
    """`docket emulator`: the same emulator over HTTP, threaded, with `faults` injected if given.

    Callers that name no identity act as `identity` (a service account by default; a user's address
    makes the emulator act as that user, with a My Drive). Port 0 binds a free port; `on_ready` is
    told the URL actually served, once it accepts connections.
    """
    from werkzeug.serving import make_server

    store = open_store(data_dir, shared_drive_id=shared_drive_id, identity=identity)
    if faults is None:
        app = create_emulator_app(store, default_identity=identity)
    else:
        app = faults.app(store, default_identity=identity)
    from service.emulator.workdata_apis import with_work_data_apis

    app = with_work_data_apis(app)  # Zendesk (/api/v2) and GitLab (/api/v4) demo APIs on the same port
    server = make_server(host, port, app, threaded=True)
    if on_ready is not None:
        on_ready(f"http://{host}:{server.server_port}")
    try:
        server.serve_forever()
    finally:
        server.server_close()
