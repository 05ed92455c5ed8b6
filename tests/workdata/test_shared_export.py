"""The weekly run's shared Zendesk export: the same figures as each pair reading its own, for a fraction of the requests.

Everything goes through zenpy against the Zendesk emulator over HTTP, seeded with the example
team's demo activity; the fallbacks (403 for a non-admin API user, an export that fails) are
driven by the emulator's own answers.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from service.emulator.demo_team import API_USER_EMAIL, TEAM
from service.emulator.gitlab.demo import demo_state as gitlab_demo
from service.emulator.zendesk.api import ApiUser, create_zendesk_app
from service.emulator.zendesk.demo import REPLIES, SUBJECTS, demo_state as zendesk_demo
from service.emulator.zendesk.export import PATH as EXPORT_PATH, ExportLimit
from service.emulator.zendesk.model import User, ZendeskState
from service.workdata import prepare
from service.workdata.config import Limits, PairSources, WorkDataConfig, ZendeskInstance
from service.workdata.shared_export import PairDemand, SharedZendesk
from service.workdata.window import rollup_windows, week_window

from .conftest import served

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo")  # the example pairs' zones
MEETINGS = {"week": date(2026, 11, 17), "month": date(2026, 12, 1), "quarter": date(2026, 10, 6)}
ENV = {"DOCKET_ZENDESK_TOKEN": "t"}


class Counting:
    """Counts the Zendesk requests by kind: the export's pages, and everything else."""

    def __init__(self, app: Any) -> None:
        self.app, self.counts, self._lock = app, Counter(), threading.Lock()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        with self._lock:
            self.counts["export" if environ["PATH_INFO"] == EXPORT_PATH else "other"] += 1
        return self.app(environ, start_response)

    def take(self) -> Counter:
        with self._lock:
            counts, self.counts = self.counts, Counter()
        return counts


def demo_world(meeting: date, api_role: str = "admin") -> ZendeskState:
    until = datetime.combine(meeting + timedelta(days=7), datetime.min.time(), tzinfo=timezone.utc)
    state = zendesk_demo(meeting, until, api_email=API_USER_EMAIL)
    if api_role != "admin":
        users = [User(u.id, u.name, u.email, role=api_role) if u.email == API_USER_EMAIL else u
                 for u in state.users.values()]
        state = ZendeskState.build(users, state.tickets.values(), [c for cs in state.comments.values() for c in cs])
    return state


@contextmanager
def zendesk(meeting: date, **kwargs: Any) -> Iterator[tuple[WorkDataConfig, Counting]]:
    state = kwargs.pop("state", None) or demo_world(meeting)
    until = datetime.combine(meeting + timedelta(days=8), datetime.min.time(), tzinfo=timezone.utc)
    counting = Counting(create_zendesk_app(state, api_users=[ApiUser(API_USER_EMAIL)], faults=kwargs.pop("faults", None),
                                           export_limit=ExportLimit(per_minute=None), clock=until.timestamp))
    with served(counting) as url:
        # Unpaced: these tests compare figures and count requests; pacing is transport's and the benchmark's.
        instance = ZendeskInstance("default", url, API_USER_EMAIL, 15, "DOCKET_ZENDESK_TOKEN",
                                   requests_per_minute=100_000, export_requests_per_minute=100_000)
        yield WorkDataConfig({"default": instance}, None, {}, Limits()), counting


def pairs(config: WorkDataConfig, meeting: date) -> list[tuple[PairSources, str, PairDemand]]:
    found = []
    for engineer, zone in zip(TEAM, ZONES):
        sources = PairSources(str(engineer.zendesk_id), config.zendesk["default"], None)
        windows = (week_window(meeting, zone), *rollup_windows(meeting, zone))
        found.append((sources, zone, PairDemand(sources, meeting, windows)))
    return found


def now_after(meeting: date) -> datetime:
    return datetime.combine(meeting + timedelta(days=1), datetime.min.time(), tzinfo=timezone.utc)


@pytest.mark.parametrize("kind", sorted(MEETINGS))
def test_both_plans_give_identical_figures_for_the_demo_team(kind):
    meeting = MEETINGS[kind]
    with zendesk(meeting) as (config, counting):
        team = pairs(config, meeting)
        alone = [prepare(config, s, meeting, zone, now_after(meeting), env=ENV) for s, zone, _d in team]
        counting.take()
        shared = SharedZendesk(config, [d for _s, _z, d in team], env=ENV)
        together = [prepare(config, s, meeting, zone, now_after(meeting), env=ENV, shared=shared) for s, zone, _d in team]
        counts = counting.take()
    assert all(not w.unavailable for w in alone + together)
    assert [w.zendesk for w in together] == [w.zendesk for w in alone]
    assert all(f is not None and f.candidates for w in together for f in w.zendesk)  # real figures, not empty ones
    assert len(together[0].zendesk) == {"week": 1, "month": 2, "quarter": 3}[kind]
    # The cost: a few export pages for the whole run, then at most 3 requests a pair-week (show_many, 100 ids each).
    assert 1 <= counts["export"] <= 4 and counts["other"] <= 3 * len(team)
    assert shared.notices() == ()


def test_an_api_user_who_is_not_an_admin_falls_back_and_the_run_is_told_once(caplog):
    meeting = MEETINGS["week"]
    with zendesk(meeting, state=demo_world(meeting, api_role="agent")) as (config, counting):
        team = pairs(config, meeting)
        shared = SharedZendesk(config, [d for _s, _z, d in team], env=ENV)
        with caplog.at_level(logging.DEBUG):
            works = [prepare(config, s, meeting, zone, now_after(meeting), env=ENV, shared=shared) for s, zone, _d in team]
            alone = [prepare(config, s, meeting, zone, now_after(meeting), env=ENV) for s, zone, _d in team]
        counts = counting.take()
    assert [w.zendesk for w in works] == [w.zendesk for w in alone] and all(not w.unavailable for w in works)
    assert counts["export"] == 1  # asked once for the run, refused, never again
    notices = shared.notices()
    assert len(notices) == 1 and "HTTP 403" in notices[0] and API_USER_EMAIL in notices[0]
    assert shared.notices() == ()  # once per run
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records if not r.name.startswith("werkzeug"))
    assert not any(s in logged for s in SUBJECTS) and not any(r in logged for r in REPLIES)


def test_an_export_that_fails_falls_back_with_the_reason():
    from service.emulator.rest_faults import RestFaults

    meeting = MEETINGS["week"]
    faults = RestFaults(script=(503, 503, 503, 503))  # the export's first request and its 3 retries
    with zendesk(meeting, faults=faults) as (config, _counting):
        config = WorkDataConfig(config.zendesk, None, {}, Limits(retries=3, sleep=lambda _s: None))
        team = pairs(config, meeting)
        shared = SharedZendesk(config, [d for _s, _z, d in team], env=ENV)
        works = [prepare(config, s, meeting, zone, now_after(meeting), env=ENV, shared=shared) for s, zone, _d in team]
    assert all(not w.unavailable and w.zendesk[0].replies.total for w in works)
    assert shared.notices() == (f"Zendesk {config.zendesk['default'].url}: the ticket event export could not be read "
                                "(was unavailable (HTTP 503, still after 3 retries)); each 1:1 read its own tickets "
                                "instead (more requests)",)


def test_nothing_is_read_until_a_section_needs_it():
    meeting = MEETINGS["week"]
    with zendesk(meeting) as (config, counting):
        SharedZendesk(config, [d for _s, _z, d in pairs(config, meeting)], env=ENV)
        assert counting.take() == Counter()


def test_a_pair_outside_the_exported_windows_reads_its_own():
    meeting = MEETINGS["week"]
    with zendesk(meeting) as (config, counting):
        team = pairs(config, meeting)
        shared = SharedZendesk(config, [d for _s, _z, d in team[:1]], env=ENV)  # planned for the first pair only
        later = meeting + timedelta(days=7)
        sources, zone, _demand = team[1]
        work = prepare(config, sources, later, zone, now_after(later), env=ENV, shared=shared)
        counts = counting.take()
    assert not work.unavailable and counts["other"] > 3  # its own search and comment lists


def test_the_weekly_run_reads_one_export_and_a_cloud_tasks_job_none(tmp_path, caplog):
    """On the embedded default: run_weekly's 1:1 jobs share one export; a job run alone (Cloud Tasks) reads its own."""
    from pathlib import Path

    from service.calendar import Week
    from service.meetings.weekly import job_named, plan_week, run_job, run_weekly
    from service.services import Services
    from service.settings import load_settings

    example = Path(__file__).parents[2] / "service" / "example" / "docket.toml"
    settings = load_settings(str(example), env={"DOCKET_DATA_DIR": str(tmp_path / "data")})
    services = Services.build(settings)
    week = Week.of(date(2026, 11, 17))
    exports = lambda: [r for r in caplog.records if r.getMessage().startswith("zendesk ticket event export")]  # noqa: E731
    with caplog.at_level(logging.INFO):
        report = run_weekly(services, week)
    assert report.ok and report.warnings == ()
    assert [r.__dict__["status"] for r in exports()] == ["ok"]
    one_on_ones = [o for o in report.outcomes if o.kind == "one_on_one"]
    assert len(one_on_ones) == 3 and all(o.action == "created" for o in one_on_ones)
    caplog.clear()
    next_week = Week.of(date(2026, 11, 24))
    key = next(j.key for j in plan_week(services, next_week) if j.kind == "one_on_one")
    with caplog.at_level(logging.INFO):
        done = run_job(job_named(services, next_week, key))
    assert [o.action for o in done] == ["appended"] and exports() == []
