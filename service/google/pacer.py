"""Paces Docs writes under the per-identity quota (60 batchUpdates per minute) with a thread-safe token bucket."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class WritePacer:
    """A token bucket: up to `burst` writes at once, refilled at `writes_per_minute`.

    Called before every batchUpdate (Google's `pacer` hook). A caller that finds the bucket
    empty reserves the next token and sleeps outside the lock until it is due, so concurrent
    request threads queue fairly and never together exceed the rate. The default burst of one
    keeps even the first minute under the quota, which Google counts per rolling minute.

    This paces one process. Several Cloud Run instances share the service account's quota,
    which is why the cloud-tasks mode puts the rate on the queue instead.
    """

    def __init__(
        self,
        writes_per_minute: int,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if isinstance(writes_per_minute, bool) or not isinstance(writes_per_minute, int) or writes_per_minute < 1:
            raise ValueError("writes_per_minute must be a positive whole number")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.interval = 60.0 / writes_per_minute
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        # GCRA: the theoretical arrival time of the next write; a write may go `tolerance` early.
        self._tat: float | None = None
        self._tolerance = (burst - 1) * self.interval
        self.waited = 0.0  # total seconds slept, for tests and logs

    def __call__(self) -> None:
        self.acquire()

    def acquire(self) -> float:
        """Take one write slot, sleeping until it is due; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            tat = now if self._tat is None else max(self._tat, now)
            wait = max(0.0, tat - self._tolerance - now)
            self._tat = tat + self.interval  # reserved under the lock: concurrent callers queue up
            self.waited += wait
        if wait > 0:
            self._sleep(wait)
        return wait
