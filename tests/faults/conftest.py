"""Fixtures for fault-injection tests: an in-memory emulator with a shared drive, and a fake clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from service.emulator.bootstrap import DEFAULT_IDENTITY, SHARED_DRIVE_NAME
from service.emulator.store import Store
from service.google.registry import Registry
from service.meetings.catalog import BUILTIN_KINDS
from tests.conftest import SHARED_DRIVE, google_on


@dataclass
class FakeClock:
    """Monotonic seconds that move only when told to; `sleep` advances it (no real waiting)."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def memory_store() -> Store:
    """In memory (no fsync per write), with Docket's shared drive: fast enough for hundreds of documents."""
    store = Store(None)
    store.seed_shared_drive(SHARED_DRIVE_NAME, {DEFAULT_IDENTITY: "organizer"}, drive_id=SHARED_DRIVE)
    return store


def shared_doc(app: Any, title: str, writers: list[str], readers: tuple[str, ...] = ()) -> str:
    """A document in the shared drive, made and shared by Docket (as Docket does); call it with no faults on."""
    registry = Registry(google_on(app), SHARED_DRIVE, BUILTIN_KINDS.ids)
    doc = registry.create(title, {"docket_kind": "one_on_one"})
    registry.share(doc.id, writers)
    registry.share(doc.id, readers, role="reader")
    return doc.id
