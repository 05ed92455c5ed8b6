"""What every blueprint reads from the current Flask app: the shared services, the clock, and objects built once per app."""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any, Callable, TypeVar

from flask import Flask, current_app, g

from service.services import Services

log = logging.getLogger(__name__)

EXTENSION = "docket"
T = TypeVar("T")


def install(app: Flask, services: Services, clock: Callable[[], datetime]) -> None:
    """Keep the app's services and clock where the blueprints find them."""
    app.extensions[EXTENSION] = services
    app.extensions[f"{EXTENSION}.clock"] = clock
    app.extensions[f"{EXTENSION}.lock"] = threading.RLock()


def services() -> Services:
    """The Services of this request: the app's one Services (built by create_app) — with the roster sheet's
    pairs when `[roster]` is set, read once per request (service/roster.py says why)."""
    found: Services = current_app.extensions[EXTENSION]
    if not found.settings.roster.sheet_id:
        return found
    if "docket_services" not in g:
        from service.roster import with_roster

        resolved, roster = with_roster(found)
        for problem in roster.problems if roster else ():
            log.warning("roster sheet row %s skipped: %s", problem.row, problem.reason)
        g.docket_services = resolved
    resolved_services: Services = g.docket_services
    return resolved_services


def now() -> datetime:
    """The app's clock: an aware UTC datetime (injected in tests)."""
    clock: Callable[[], datetime] = current_app.extensions[f"{EXTENSION}.clock"]
    return clock()


def per_app(name: str, factory: Callable[[], T]) -> T:
    """An object built on first use and kept for the app's life (verifiers, the link signer, the dispatcher),
    so an endpoint whose configuration is missing fails on its own requests instead of stopping the whole service."""
    key = f"{EXTENSION}.{name}"
    extensions: dict[str, Any] = current_app.extensions
    with extensions[f"{EXTENSION}.lock"]:
        if key not in extensions:
            extensions[key] = factory()
        found: T = extensions[key]
        return found
