"""Serving the emulator over HTTP (threaded werkzeug) so any Docs/Drive client can use it."""

from __future__ import annotations

from pathlib import Path

from werkzeug.serving import BaseWSGIServer, make_server

from service.emulator.store import Store
from service.emulator.wsgi import DEFAULT_IDENTITY, create_emulator_app


def make_emulator_server(
    data_dir: Path | None, host: str, port: int, *, default_identity: str = DEFAULT_IDENTITY,
    store: Store | None = None,
) -> BaseWSGIServer:
    """A bound, not yet running, threaded server (port 0 picks a free port: see `.server_port`)."""
    app = create_emulator_app(store if store is not None else Store(data_dir), default_identity=default_identity)
    return make_server(host, port, app, threaded=True)


def serve(data_dir: Path, host: str, port: int, *, default_identity: str = DEFAULT_IDENTITY) -> None:
    """Serve the emulator over `data_dir` until interrupted (the `docket emulator` command).

    Clients use client_options={"api_endpoint": URL} for Docs and URL + "/drive/v3/" for Drive."""
    server = make_emulator_server(data_dir, host, port, default_identity=default_identity)
    try:
        server.serve_forever()
    finally:
        server.server_close()
