"""The HTTP triggers: one Flask blueprint per trigger (scheduler, add-on, links, local views), each owning its authentication."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, TypeVar

from flask import current_app

from service.engine import Engine

EXTENSION = "docket"
T = TypeVar("T")


def engine() -> Engine:
    """The one Engine of this app (built by create_app)."""
    return current_app.extensions[EXTENSION]


def now() -> datetime:
    """The app's clock: an aware UTC datetime (injected in tests)."""
    clock: Callable[[], datetime] = current_app.extensions[f"{EXTENSION}.clock"]
    return clock()


def app_service(name: str, factory: Callable[[], T]) -> T:
    """A per-app object built on first use (verifiers, link signer, dispatcher), so an endpoint whose
    configuration is missing fails on its own requests instead of stopping the whole service."""
    key = f"{EXTENSION}.{name}"
    extensions: dict[str, Any] = current_app.extensions
    lock = extensions[f"{EXTENSION}.lock"]
    with lock:
        if key not in extensions:
            extensions[key] = factory()
        return extensions[key]
