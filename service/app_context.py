"""What every blueprint reads from the current Flask app: the shared services, the clock, and objects built once per app."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any, Callable, TypeVar

from flask import Flask, current_app

from service.services import Services

EXTENSION = "docket"
T = TypeVar("T")


def install(app: Flask, services: Services, clock: Callable[[], datetime]) -> None:
    """Keep the app's services and clock where the blueprints find them."""
    app.extensions[EXTENSION] = services
    app.extensions[f"{EXTENSION}.clock"] = clock
    app.extensions[f"{EXTENSION}.lock"] = threading.RLock()


def services() -> Services:
    """The one Services of this app (built by create_app)."""
    found: Services = current_app.extensions[EXTENSION]
    return found


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
