"""This process's writes to one document, one at a time, and concurrent changes to it coalesced into one batch.

Within one instance, two requests writing the same document would otherwise race: each reads,
one write wins, the other is refused as stale and starts again — 24 agenda items added at once
made 9 callers give up. So writes to a document are serialised here (across instances the
revision guard still decides), and changes queued while a write is in flight (agenda items) are
handed to the next write together: one read and one batchUpdate for all of them ("group commit").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class _Waiter(Generic[T]):
    item: T
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class DocumentQueue:
    """Per-document locks and per-key batches, shared by every request of this process."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.RLock] = {}
        self._pending: dict[str, list[_Waiter[Any]]] = {}
        self._leading: set[str] = set()

    @contextmanager
    def hold(self, document_id: str) -> Iterator[None]:
        """Exclusive use of `document_id` by this thread for this process (re-entrant)."""
        with self._guard:
            lock = self._locks.setdefault(document_id, threading.RLock())
        with lock:
            yield

    def submit(self, key: str, item: T, run: Callable[[Sequence[T]], Sequence[R]]) -> R:
        """Have `item` written by `run` together with whatever else is queued under `key`; its result.

        The first caller to find no batch running under `key` leads: it runs `run` over every item
        queued so far, again and again until the queue is empty, and hands each caller its result
        (or the batch's exception). `run` returns one result per item, in order.
        """
        waiter: _Waiter[T] = _Waiter(item)
        with self._guard:
            self._pending.setdefault(key, []).append(waiter)
            lead = key not in self._leading
            if lead:
                self._leading.add(key)
        if lead:
            self._lead(key, run)
        waiter.done.wait()
        if waiter.error is not None:
            raise waiter.error
        result: R = waiter.result
        return result

    def _lead(self, key: str, run: Callable[[Sequence[Any]], Sequence[Any]]) -> None:
        while True:
            with self._guard:
                batch = self._pending.pop(key, [])
                if not batch:
                    self._leading.discard(key)
                    return
            try:
                results = list(run([w.item for w in batch]))
                if len(results) != len(batch):
                    raise AssertionError("a batch must return one result per item")
                for waiter, result in zip(batch, results):
                    waiter.result = result
            except BaseException as error:  # noqa: BLE001 - every waiter of the batch learns why it failed
                for waiter in batch:
                    waiter.error = error
            finally:
                for waiter in batch:
                    waiter.done.set()
