"""An httplib2.Http stand-in that hands google-api-python-client's requests straight to the emulator's WSGI app."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httplib2
from werkzeug.test import EnvironBuilder, run_wsgi_app

from service.emulator.wsgi import IDENTITY_HEADER, STORE_DAMAGED_KEY

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


class EmulatorHttp:
    """`request()` as httplib2.Http has it, answered in process by `app`.

    Routed by path whatever the host, so the static discovery roots (https://docs.googleapis.com/,
    https://www.googleapis.com/) and any api_endpoint all reach the emulator. Holds no per-request
    state, so one instance may be shared by threads.

    A request that finds the store damaged raises StoreDamaged here, as a broken connection would
    raise: the in-process caller owns the data dir and must be told, not answered a Google 500.
    """

    def __init__(self, app: WSGIApplication, identity: str | None = None) -> None:
        self.app = app
        self.identity = identity
        # Attributes googleapiclient or google-auth-httplib2 may read or set on an httplib2.Http.
        self.timeout: float | None = None
        self.redirect_codes = set(httplib2.REDIRECT_CODES)
        self.follow_redirects = False
        self.connections: dict = {}

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        redirections: int = 5,
        connection_type: object = None,
    ) -> tuple[httplib2.Response, bytes]:
        parts = urlsplit(uri)
        sent = dict(headers or {})
        if self.identity is not None and not any(k.lower() == IDENTITY_HEADER.lower() for k in sent):
            sent[IDENTITY_HEADER] = self.identity
        if isinstance(body, str):
            body = body.encode("utf-8")
        content_type = next((v for k, v in sent.items() if k.lower() == "content-type"), None)
        sent = {k: v for k, v in sent.items() if k.lower() not in ("content-type", "content-length")}
        builder = EnvironBuilder(
            path=parts.path or "/",
            base_url=f"{parts.scheme or 'https'}://{parts.netloc or 'emulator'}",
            query_string=parts.query,
            method=method.upper(),
            headers=sent,
            data=body or b"",
            content_type=content_type,
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        damaged: list[Exception] = []
        environ[STORE_DAMAGED_KEY] = damaged
        app_iter, status, response_headers = run_wsgi_app(self.app, environ, buffered=True)
        try:
            content = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()
        if damaged:
            raise damaged[0]
        info: dict[str, str] = {k.lower(): v for k, v in response_headers.items()}
        info["status"] = status.split(" ", 1)[0]
        response = httplib2.Response(info)
        response.reason = status.split(" ", 1)[1] if " " in status else ""
        return response, content

    def close(self) -> None:
        """Nothing to close; present because googleapiclient's Resource.close() calls it."""

    def add_credentials(self, *args: object, **kwargs: object) -> None:
        """Requests carry no credentials in this mode (the identity header stands in for them)."""
