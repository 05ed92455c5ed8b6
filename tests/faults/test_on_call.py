"""What would page someone: creation under lost responses, writes paced under the quota, a long outage, concurrent triggers."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest

from tests.support.concurrency import run_concurrently

from service.calendar import Week
from service.emulator.bootstrap import DEFAULT_IDENTITY
from service.emulator.faults import Faults, SlidingWindow
from service.emulator.store import Store
from service.emulator.transport import EmulatorHttp
from service.services import Services
from service.errors import DocketError
from service.google.calls import Backoff
from service.google.clients import Google
from service.google.pacer import WritePacer
from service.meetings.one_on_one import OneOnOnes, properties_of
from service.meetings.weekly import run_weekly
from service.settings import Settings
from tests.faults.conftest import FakeClock

WEEK = Week.of(date(2026, 11, 18))


def _engine(settings: Settings, app: Any, *, sleep: Any = lambda _s: None, pacer: Any = None, attempts: int = 6) -> Services:
    google = Google(lambda: EmulatorHttp(app), backend="embedded", identity=DEFAULT_IDENTITY,
                    backoff=Backoff(attempts=attempts, sleep=sleep), pacer=pacer)
    engine = Services.build(settings, google)
    engine.writer.sleep = sleep
    return engine


def _writers(engine: Services, document_id: str) -> set[str]:
    return {p.email for p in engine.registry.permissions(document_id) if p.role == "writer" and p.email}


def test_a_doc_created_with_a_lost_response_is_still_shared_on_the_next_run(settings: Settings, memory_store: Store) -> None:
    faults = Faults(seed=1, write_quota=None, lost_response_rate=1.0, lost_response_on=("drive.write",))
    engine = _engine(settings, faults.app(memory_store))
    pair = settings.one_on_ones[0]
    with pytest.raises(DocketError):
        OneOnOnes(engine).ensure_week(pair, WEEK)  # every Drive write's answer is lost: sharing fails, this run fails
    faults.lost_response_rate = 0.0
    OneOnOnes(engine).ensure_week(pair, WEEK)
    (doc,) = engine.registry.find(properties_of(pair))
    assert _writers(engine, doc.id) == {pair.manager, pair.report}


def test_the_paced_job_never_meets_the_quota(settings: Settings, memory_store: Store, clock: FakeClock) -> None:
    """The pacer and the emulator's quota on one clock: every write admitted, never more than the quota in a minute."""
    faults = Faults(seed=2, write_quota=None, clock=clock, sleep=clock.sleep)
    app = faults.app(memory_store)
    run_weekly(_engine(settings, app), Week.of(date(2026, 11, 11)))  # the docs exist (creation is not paced)
    faults.writes = SlidingWindow(60, 60.0, clock)
    pacer = WritePacer(settings.dispatch.writes_per_minute, clock=clock, sleep=clock.sleep)
    engine = _engine(settings, app, sleep=clock.sleep, pacer=pacer)
    for n in range(20):  # 20 weeks × (3 one-on-ones + 2 leadership docs) = 100 writes: past a minute of quota
        report = run_weekly(engine, Week.of(date.fromordinal(date(2026, 11, 18).toordinal() + 7 * n)))
        assert report.ok
    assert faults.injected["quota"] == 0
    assert faults.writes.peak(DEFAULT_IDENTITY) <= settings.dispatch.writes_per_minute


def test_the_unpaced_cli_job_survives_a_burst_past_the_quota(settings: Settings, memory_store: Store, clock: FakeClock) -> None:
    """`docket weekly` builds its Google without the pacer: past 60 writes a minute it meets 429s, and the
    backoff's waits (≈ 95 s over 8 tries) outlast the rolling minute, so every document still gets its week."""
    faults = Faults(seed=3, write_quota=None, clock=clock, sleep=clock.sleep)
    app = faults.app(memory_store)
    run_weekly(_engine(settings, app), Week.of(date(2026, 11, 11)))
    faults.writes = SlidingWindow(60, 60.0, clock)
    faults.latency = 0.05  # a fast network: a document every ~0.2 s, 300 writes a minute unpaced
    engine = Services.build(settings, Google(lambda: EmulatorHttp(app), backend="embedded", identity=DEFAULT_IDENTITY,
                                           backoff=Backoff(sleep=clock.sleep)))  # as the CLI builds it: no pacer
    engine.writer.sleep = clock.sleep
    for n in range(1, 30):  # 29 weeks × 3 documents: 87 writes
        report = run_weekly(engine, Week.of(date.fromordinal(date(2026, 11, 11).toordinal() + 7 * n)))
        assert report.ok, report.failures
    assert faults.injected["quota"] > 0 and faults.writes.peak(DEFAULT_IDENTITY) == 60


def test_a_long_outage_fails_each_document_with_its_reason_and_the_next_run_recovers(settings: Settings, memory_store: Store) -> None:
    faults = Faults(seed=4, write_quota=None)
    app = faults.app(memory_store)
    engine = _engine(settings, app)
    run_weekly(engine, Week.of(date(2026, 11, 11)))
    faults.error_rate, faults.error_codes = 1.0, (503,)
    report = run_weekly(engine, WEEK)
    assert len(report.failures) == len(settings.one_on_ones) + 1  # every 1:1 and the leadership pair
    assert all("503" in f.reason and "attempts" in f.reason for f in report.failures)
    faults.error_rate = 0.0
    again = run_weekly(engine, WEEK)
    assert again.ok and {o.action for o in again.outcomes} == {"appended"}


def test_concurrent_triggers_under_faults_converge_on_one_section(settings: Settings, memory_store: Store) -> None:
    """Scheduler, menu and a link at once, with 429/503, lost responses and people typing: one section."""
    faults = Faults(seed=5, write_quota=None)
    app = faults.app(memory_store)
    pair = settings.one_on_ones[0]
    OneOnOnes(_engine(settings, app)).ensure_week(pair, Week.of(date(2026, 11, 11)))
    faults.applied.clear()
    faults.error_rate, faults.lost_response_rate, faults.human_edit_rate = 0.2, 0.2, 0.3
    engines = [_engine(settings, app, attempts=10) for _ in range(6)]
    unclaimed = iter(engines)
    lock = threading.Lock()

    def trigger() -> None:
        with lock:
            engine = next(unclaimed)
        OneOnOnes(engine).ensure_week(pair, WEEK)

    try:
        run_concurrently(trigger, 6)  # raises the first error of any trigger
    finally:
        faults.error_rate = faults.lost_response_rate = faults.human_edit_rate = 0.0
    (doc,) = engines[0].registry.find(properties_of(pair))
    body = engines[0].google.documents.get(documentId=doc.id).execute()
    assert len(body["namedRanges"]["docket.week.2026-11-17"]["namedRanges"]) == 1
    assert faults.applied[doc.id] == 1
