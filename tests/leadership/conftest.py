"""Leadership fixtures: a Leadership on the shared emulator engine, a fault hook, and readers of a week's item list."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import Any, Callable

import pytest

from service.emulator.bootstrap import DEFAULT_IDENTITY
from service.emulator.errors import ApiError
from service.emulator.wsgi import create_emulator_app
from service.services import Services
from service.google.document_view import ViewBlock, view_blocks
from service.meetings.leadership import Leadership

CANARY = "CANARY-7f3a Sam's underperformance plan 🤫"
FIXED_NOW = datetime(2026, 11, 18, 15, 4, tzinfo=timezone.utc)  # 10:04 in New York, a Wednesday


class Faults:
    """The emulator's before_request hook: `fail(pred)` makes matching requests fail with a 500/400, changing nothing."""

    def __init__(self) -> None:
        self.rules: list[tuple[Callable[[str, str, str], bool], ApiError]] = []

    def fail(self, predicate: Callable[[str, str, str], bool], error: ApiError | None = None) -> None:
        self.rules.append((predicate, error or ApiError(400, "Injected failure.", status="INVALID_ARGUMENT")))

    def clear(self) -> None:
        self.rules.clear()

    def __call__(self, identity: str, api: str, method: str, path: str) -> None:
        for predicate, error in self.rules:
            if predicate(api, method, path):
                raise error


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
def emulator_app(store: Any, faults: Faults) -> Any:
    """The shared emulator app, with the fault hook installed (overrides tests/conftest.py)."""
    return create_emulator_app(store, default_identity=DEFAULT_IDENTITY, before_request=faults)


@pytest.fixture
def leadership(engine: Services) -> Leadership:
    return Leadership(engine, clock=lambda: FIXED_NOW)


def with_leadership(engine: Services, **changes: Any) -> Services:
    """The same engine with [leadership] settings changed (time zone, weekday, sharing)."""
    settings = engine.settings
    assert settings.leadership is not None
    new = dataclasses.replace(settings, leadership=dataclasses.replace(settings.leadership, **changes))
    return dataclasses.replace(engine, settings=new)


def blocks(docs: Any, document_id: str) -> list[ViewBlock]:
    return view_blocks(docs.get(document_id))


def list_items(docs: Any, document_id: str, heading_text: str, date: str) -> list[ViewBlock]:
    """The paragraphs under `heading_text` in the week headed `date`, up to the next heading."""
    out: list[ViewBlock] = []
    in_week = in_list = False
    for block in blocks(docs, document_id):
        level = block.heading_level
        if level == 2:
            in_week = block.text.startswith(date)
            in_list = False
        elif level:
            in_list = in_week and block.text == heading_text
        elif in_list:
            out.append(block)
    return out


def agenda_lines(docs: Any, document_id: str, date: str) -> list[str]:
    return [b.text for b in list_items(docs, document_id, "Agenda", date) if b.text]


def confidential_lines(docs: Any, document_id: str, date: str) -> list[str]:
    return [b.text for b in list_items(docs, document_id, "Confidential items", date) if b.text]


def is_batch_update_of(document_id: str) -> Callable[[str, str, str], bool]:
    return lambda api, method, path: method == "POST" and path.endswith(f"/documents/{document_id}:batchUpdate")
