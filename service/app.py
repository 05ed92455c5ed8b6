"""The Flask app factory: one Services per app, the trigger blueprints, one JSON error shape, and request logs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from service import app_context, local_views, logs
from service.errors import DocketError
from service.google.clients import Google
from service.meetings.catalog import BUILTIN_KINDS
from service.meetings.kind import Catalog
from service.services import Services
from service.settings import Settings, load_settings
from service.triggers import addon, links, scheduler

log = logging.getLogger("service.http")

# The largest body any endpoint takes is an agenda item (≤ 1000 characters) in a few fields.
MAX_BODY_BYTES = 64 * 1024
_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               409: "conflict", 410: "gone", 413: "payload_too_large", 415: "unsupported_media_type", 429: "too_many_requests"}


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def create_app(settings: Settings | None = None, *, google: Google | None = None,
               clock: Callable[[], datetime] | None = None, tasks_client_factory: Callable[[], Any] | None = None,
               kinds: Catalog = BUILTIN_KINDS) -> Flask:
    """Build the app: settings from docket.toml unless given, and ONE Services shared by every request.

    `google` replaces the configured backend (tests pass one over the emulator); `clock` returns
    an aware datetime (tests pin the week and link expiry); `tasks_client_factory` builds the
    Cloud Tasks client of the cloud-tasks mode (default: CloudTasksClient with ADC); `kinds` the
    document kinds it knows (tests add their own).
    """
    logs.configure()
    settings = settings or load_settings()
    app = Flask("docket")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app_context.install(app, Services.build(settings, google, kinds=kinds), clock or _utc_now)
    if tasks_client_factory is not None:
        app.extensions[scheduler.TASKS_CLIENT_FACTORY] = tasks_client_factory

    app.register_blueprint(scheduler.blueprint)
    app.register_blueprint(addon.blueprint)
    app.register_blueprint(links.blueprint)
    if settings.backend in ("embedded", "endpoint"):
        app.register_blueprint(local_views.blueprint)

    @app.get("/healthz")
    def healthz():  # noqa: ANN202 (a Flask view)
        # Liveness only: no Google call, so a Google outage does not make Cloud Run restart us.
        return jsonify({"status": "ok"})

    app.register_error_handler(Exception, _error_response)
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.teardown_request(_end_trace)
    if settings.dispatch.mode == "inline" and settings.backend != "embedded":
        log.info("writes paced", extra={"mode": "inline", "count": settings.dispatch.writes_per_minute})
    return app


def _error_response(exc: Exception) -> Any:
    """The one error handler: every failure becomes `{"error": {"code", "message"}}` with its status."""
    if isinstance(exc, DocketError):
        status, body = exc.status, exc.to_dict()
        if status >= 500:
            log.error("request failed: %s", exc.message, extra={"code": exc.code, "status": status})
    elif isinstance(exc, HTTPException):
        if exc.code is None or exc.code < 400:
            return exc  # redirects raised by routing (e.g. a missing trailing slash)
        status = exc.code
        # werkzeug's descriptions are fixed texts about the request, never its content.
        body = {"error": {"code": _HTTP_CODES.get(status, "http_error"), "message": exc.description or exc.name}}
    else:
        status = 500
        body = {"error": {"code": "internal", "message": "internal error"}}
        # The type and frames only: the message of an unexpected exception may quote user text.
        log.error("unhandled %s", type(exc).__qualname__, exc_info=exc, extra={"status": 500})
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="docket"'
    return response


def _route_label() -> str:
    """The path for logs, with link tokens (credentials) replaced by the route's placeholder."""
    rule = request.url_rule
    if rule is not None and rule.endpoint == "links.open_link":
        return rule.rule
    return request.path[:200]


def _start_request() -> None:
    g.docket_started = time.monotonic()
    g.docket_trace_token = logs.set_trace(logs.TraceContext.from_headers(request.headers))


def _finish_request(response: Response) -> Response:
    started = getattr(g, "docket_started", None)
    elapsed = round((time.monotonic() - started) * 1000, 1) if started else None
    severity = logging.WARNING if response.status_code >= 500 else logging.INFO
    log.log(severity, "%s %s %s", request.method, _route_label(), response.status_code,
            extra={"method": request.method, "path": _route_label(), "status": response.status_code, "duration_ms": elapsed})
    response.headers.setdefault("Referrer-Policy", "no-referrer")  # link tokens must not leak to the next site
    return response


def _end_trace(_exc: BaseException | None) -> None:
    token = g.pop("docket_trace_token", None)
    if token is not None:
        try:
            logs.reset_trace(token)
        except ValueError:  # reset from another context (streamed responses): harmless
            pass
