"""Fixtures for the daily job: the test roster with `[reminders]`, a local Chat receiver, and seeding of calendars."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import pytest

from service.calendar import Week
from service.chat_webhook import ChatPoster
from service.google.calls import Backoff
from service.meetings.reminders import DailyReport, Reminders
from service.services import Services
from tests.conftest import ROSTER, SHARED_DRIVE
from tests.support.chat_receiver import ChatReceiver, start_receiver, stop_receiver

WEBHOOK_ENV = "DOCKET_TEST_CHAT_WEBHOOK"
TEAM_CALENDAR = "team-pto@group.calendar.example.com"
REMINDERS = f"""
[reminders]
chat_webhook = "env:{WEBHOOK_ENV}"
pto_calendar_id = "{TEAM_CALENDAR}"
"""


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    """The shared test roster (Sam: Tuesdays, Berlin; Zoë: Thursdays, New York) plus [reminders]."""
    path = tmp_path / "docket.toml"
    path.write_text(ROSTER.format(drive=SHARED_DRIVE) + REMINDERS, encoding="utf-8")
    return path


@pytest.fixture
def receiver() -> Iterator[ChatReceiver]:
    found = start_receiver()
    yield found
    stop_receiver(found)


def out_of_office(event_id: str, first: date, days: int, zone: str, **extra: Any) -> dict:
    """An out-of-office event from local midnight of `first` to local midnight `days` later, as Calendar writes one."""
    tz = ZoneInfo(zone)
    return {"id": event_id, "eventType": "outOfOffice", "summary": "Out of office — surgery (private)",
            "outOfOfficeProperties": {"autoDeclineMode": "declineAllConflictingInvitations"},
            "start": {"dateTime": datetime.combine(first, time(), tzinfo=tz).isoformat(), "timeZone": zone},
            "end": {"dateTime": datetime.combine(first + timedelta(days=days), time(), tzinfo=tz).isoformat(), "timeZone": zone},
            **extra}


def seed_primary(store: Any, who: str, zone: str, *events: dict) -> None:
    store.seed_calendar(who, summary=who, time_zone=zone, owner=who, events=list(events))


def seed_team(store: Any, *events: dict) -> None:
    store.seed_calendar(TEAM_CALENDAR, summary="Team PTO", time_zone="America/New_York", owner=None,
                        acl=[{"scope": {"type": "domain", "value": "example.com"}, "role": "reader"}], events=list(events))


@pytest.fixture
def run_daily(engine: Services, receiver: ChatReceiver) -> Callable[..., DailyReport]:
    """Run the daily job on a date, posting to the local receiver (backoff without sleeping)."""

    def run(on: date, *, env: dict[str, str] | None = None, services: Services | None = None, **kwargs: Any) -> DailyReport:
        poster = ChatPoster(backoff=Backoff(attempts=3, sleep=lambda _s: None))
        env = {WEBHOOK_ENV: receiver.url()} if env is None else env
        return Reminders(services or engine, poster=poster, env=env, **kwargs).run(Week.of(on))

    return run


@pytest.fixture(autouse=True)
def team_calendar(store: Any) -> None:
    """The configured team PTO calendar exists (empty), readable by the domain."""
    seed_team(store)
