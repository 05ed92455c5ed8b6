"""WritePacer: the token bucket that keeps Docs writes under 60 a minute, with an injected clock (no real waiting)."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from tests.support.concurrency import run_concurrently

from service.app import create_app
from service.google.pacer import WritePacer


class FakeTime:
    """A clock that only moves when the pacer sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)


def test_writes_are_spaced_one_interval_apart():
    t = FakeTime()
    pacer = WritePacer(60, clock=t.clock, sleep=t.sleep)
    waits = [pacer.acquire() for _ in range(4)]
    assert waits == [0.0, 1.0, 2.0, 3.0]  # reserved back to back: the 4th write goes at +3 s
    t.now += 10  # idle time is not banked beyond the burst
    assert pacer.acquire() == 0.0
    assert pacer.acquire() == pytest.approx(1.0)


def test_any_minute_holds_at_most_the_configured_number_of_writes():
    t = FakeTime()
    pacer = WritePacer(55, clock=t.clock, sleep=t.sleep)
    moments = []
    for _ in range(200):
        wait = pacer.acquire()
        moments.append(t.now + wait)
        t.now += wait * 0.5  # callers wake late or early relative to each other; reservations hold
    for i, start in enumerate(moments):
        assert sum(1 for m in moments[i:] if m < start + 60 - 1e-9) <= 55  # a half-open minute


def test_a_burst_lets_the_first_writes_through_at_once():
    t = FakeTime()
    pacer = WritePacer(30, burst=3, clock=t.clock, sleep=t.sleep)
    assert [pacer.acquire() for _ in range(5)] == [0.0, 0.0, 0.0, 2.0, 4.0]


def test_concurrent_callers_get_distinct_slots():
    t = FakeTime()
    pacer = WritePacer(60, clock=t.clock, sleep=t.sleep)
    results = run_concurrently(pacer.acquire, 20)
    assert sorted(results) == [float(i) for i in range(20)]


@pytest.mark.parametrize("value", [0, -1, True, 1.5])
def test_a_bad_rate_is_refused(value):
    with pytest.raises(ValueError):
        WritePacer(value)


def test_the_app_paces_its_writes_on_quota_bound_backends_only(settings, google):
    endpoint = dataclasses.replace(settings, google=dataclasses.replace(settings.google, endpoint="http://127.0.0.1:9"))
    app = create_app(endpoint)  # builds its own Google for the endpoint (no connection is made here)
    pacer = app.extensions["docket"].google.pacer
    assert isinstance(pacer, WritePacer) and pacer.interval == pytest.approx(60 / settings.dispatch.writes_per_minute)
    # The pacer is the hook Google calls before each batchUpdate.
    google_of_app = app.extensions["docket"].google
    before = pacer._tat
    google_of_app.pace_write()
    assert pacer._tat != before

    assert create_app(settings).extensions["docket"].google.pacer is None  # embedded: no quota
    tasks = dataclasses.replace(endpoint, dispatch=dataclasses.replace(settings.dispatch, mode="cloud-tasks",
                                                                       queue="projects/p/locations/l/queues/q"))
    # The queue's rate paces the fan-out, but this process still writes (menu, links, leadership, new docs).
    assert isinstance(create_app(tasks).extensions["docket"].google.pacer, WritePacer)
