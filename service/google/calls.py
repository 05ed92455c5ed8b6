"""Executing one Google API call: error translation, and retries with backoff that never apply a write twice."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from service.errors import GoogleApiError, RateLimited
from service.google.circuit import Circuit
from service.google.failures import Transient, translate


@dataclass
class Backoff:
    """Truncated exponential backoff with jitter, as Google recommends (1 s + random, 2 s + random, …)."""

    # 8 tries: at a sustained 20% of 429/503 a call fails 0.2**8 ≈ 2.6e-6 of the time, so a 200-document
    # weekly job (~1,000 calls) loses a document in ~0.3% of runs; with 6 it was 0.2**6 ≈ 6.4e-5, ~6% of
    # runs (tests/faults/test_chaos_weekly.py). The waits (1+2+4+…+32+32 ≈ 95 s) also outlast the quota's
    # rolling minute, so a burst past 60 writes recovers instead of failing.
    attempts: int = 8
    base: float = 1.0
    cap: float = 32.0
    # A call whose attempts got no answer at all (refused, timed out) stops sooner: 4 tries over
    # 1+2+4 s of waits ride out a dropped connection, and an endpoint that is down costs seconds,
    # not the full budget, before the circuit stops the rest of the run calling it.
    unreachable_attempts: int = 4
    # No retry starts later than this after the call's first attempt: with attempts that each wait
    # out a read timeout, the schedule above would otherwise run for minutes. 120 s keeps all eight
    # tries when Google answers promptly (the waits above sum to ~95 s).
    deadline: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.base * 2**attempt) + self.rng.random() * self.base


@dataclass
class CallStats:
    """Counts of calls per method, for the benchmark and for tests that pin the call budget."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, method: str) -> None:
        self.counts[method] = self.counts.get(method, 0) + 1

    def total(self, prefix: str = "") -> int:
        return sum(n for m, n in self.counts.items() if m.startswith(prefix))


def execute(request: Any, what: str, *, method: str, backoff: Backoff, stats: CallStats | None = None, retry: bool = True,
            circuit: Circuit | None = None) -> Any:
    """Run `request.execute()`, retrying transient failures when `retry` is true.

    Writes must only be retried when they are safe to repeat: a batchUpdate is sent with
    `requiredRevisionId`, so a retry after a lost response fails as a stale revision instead of
    applying twice (the caller re-reads). google-api-python-client's own `num_retries` is never
    used because it would re-send any write blindly.

    Bounded three ways: `backoff.attempts` tries, no retry starting after `backoff.deadline`, and
    `backoff.unreachable_attempts` tries that get no answer at all; a call that gives up unanswered
    opens the `circuit` of its API, so the calls after it fail at once (GoogleUnreachable).
    """
    if circuit is not None:
        circuit.check(method, what)
    started = backoff.clock()
    attempt = unanswered = 0
    while True:
        if stats is not None:
            stats.add(method)
        try:
            return request.execute(num_retries=0)
        except Exception as exc:  # noqa: BLE001 - translate() re-raises what it does not know
            error = translate(exc, what)
            if not isinstance(error, Transient) or not retry:
                raise error from None
            answered = error.google_status is not None
            unanswered += 0 if answered else 1
            delay = backoff.delay(attempt)
            out_of_time = backoff.clock() - started + delay > backoff.deadline
            if attempt + 1 >= backoff.attempts or unanswered >= backoff.unreachable_attempts or out_of_time:
                tries = f"{attempt + 1} attempt{'s' if attempt else ''}"
                tries += f" in {backoff.clock() - started:.0f} s" if out_of_time else ""
                if not answered and circuit is not None:
                    raise circuit.trip(method, what, f"{error.reason} after {tries}") from None
                exhausted = RateLimited if error.google_status == 429 else GoogleApiError
                raise exhausted(f"{error.message} — still failing after {tries}", google_status=error.google_status) from None
            backoff.sleep(delay)
            attempt += 1
