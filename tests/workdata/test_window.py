"""The periods' edges: local midnights in any time zone, DST jumps at midnight, instants exactly at 00:00.

Property tests over every IANA zone the machine knows; the comments-at-00:00 cases then go through
the whole stack (zenpy against the Zendesk emulator) for zones with awkward midnights.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.emulator.zendesk.model import Comment, Ticket, User, ZendeskState
from service.workdata import prepare
from service.workdata.window import Window, day_start, rollup_windows, week_window

from .conftest import API_EMAIL, ENV, config_for, served, zendesk_app

ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
TICK = timedelta(microseconds=1)


def local_date(instant: datetime, tz: str) -> date:
    return instant.astimezone(ZoneInfo(tz)).date()


@settings(max_examples=400, deadline=None)
@given(tz=st.sampled_from(ZONES), day=st.dates(min_value=date(2000, 1, 1), max_value=date(2037, 12, 31)))
def test_a_day_starts_at_its_first_instant(tz, day):
    start = day_start(day, tz)
    assert start.tzinfo == timezone.utc
    # The first instant whose local date is `day` or later (later only if the zone skipped `day` entirely).
    assert local_date(start, tz) >= day
    assert local_date(start - TICK, tz) < day


@settings(max_examples=400, deadline=None)
@given(tz=st.sampled_from(ZONES), meeting=st.dates(min_value=date(2000, 1, 8), max_value=date(2037, 12, 31)),
       offset=st.integers(min_value=-3 * 86400, max_value=10 * 86400))
def test_the_week_is_the_seven_local_days_before_the_meeting(tz, meeting, offset):
    window = week_window(meeting, tz)
    assert (window.first_day, window.end_day) == (meeting - timedelta(days=7), meeting)
    instant = window.start + timedelta(seconds=offset)
    assert window.contains(instant) == (window.start <= instant < window.end)
    # 00:00 on the first day is in, 00:00 on the meeting day is out; the instant before each flips.
    assert window.contains(window.start) and not window.contains(window.start - TICK)
    assert not window.contains(window.end) and window.contains(window.end - TICK)
    # Whatever DST does, seven days are 7 × 24 h give or take the zone's jumps (at most a day: Apia, 2011).
    assert timedelta(days=6) <= window.end - window.start <= timedelta(days=8)


@settings(max_examples=300, deadline=None)
@given(tz=st.sampled_from(ZONES), meeting=st.dates(min_value=date(2001, 1, 1), max_value=date(2037, 12, 31)))
def test_rollups_come_in_the_first_meeting_of_a_month_and_cover_whole_previous_months(tz, meeting):
    windows = {w.kind: w for w in rollup_windows(meeting, tz)}
    assert ("month" in windows) == (meeting.day <= 7)
    assert ("quarter" in windows) == (meeting.day <= 7 and meeting.month in (1, 4, 7, 10))
    for kind, months in (("month", 1), ("quarter", 3)):
        if kind in windows:
            w = windows[kind]
            assert w.first_day.day == 1 and w.end_day == meeting.replace(day=1)
            assert (w.end_day.year * 12 + w.end_day.month) - (w.first_day.year * 12 + w.first_day.month) == months


def test_labels():
    assert week_window(date(2026, 11, 17), "UTC").label == "2026-11-10 to 2026-11-16"
    assert [w.label for w in rollup_windows(date(2026, 1, 6), "UTC")] == ["December 2025", "Q4 2025"]


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError):
        Window("week", date(2026, 1, 1), date(2026, 1, 8), "UTC").contains(datetime(2026, 1, 2))


# Through the stack: comments exactly at local 00:00 at both ends, in zones whose midnights are awkward.
EDGE_CASES = [
    ("Europe/Berlin", date(2026, 3, 31)),  # the window holds the spring-forward night (2026-03-29, 02:00 → 03:00)
    ("Europe/Berlin", date(2026, 10, 27)),  # and the fall-back night (2026-10-25)
    ("America/Santiago", date(2026, 9, 8)),  # clocks jump 00:00 → 01:00 on 2026-09-06: that day starts at 01:00
    ("America/Havana", date(2026, 11, 3)),  # falls back 01:00 → 00:00: 00:00 on 2026-11-01 happens twice
    ("Pacific/Kiritimati", date(2026, 6, 2)),  # UTC+14
    ("Pacific/Pago_Pago", date(2026, 6, 2)),  # UTC−11
    ("Australia/Lord_Howe", date(2026, 4, 7)),  # a half-hour DST change
    ("Asia/Kathmandu", date(2026, 6, 2)),  # UTC+5:45
]


@pytest.mark.parametrize("tz, meeting", EDGE_CASES)
def test_comments_exactly_at_midnight_through_zenpy(tz, meeting, limits):
    window = week_window(meeting, tz)
    user = 1001
    edges = {
        "first instant of the week": window.start,
        "just before the week": window.start - timedelta(seconds=1),
        "first instant of the meeting day": window.end,
        "last second of the week": window.end - timedelta(seconds=1),
    }
    tickets, comments = [], []
    for n, (label, instant) in enumerate(edges.items()):
        ticket_id = 500 + n
        tickets.append(Ticket(ticket_id, label, 3003, user, window.start - timedelta(days=30)))
        # Two comments at the edge instant: a ticket counted in the window becomes a review candidate.
        comments += [Comment(ticket_id * 10, ticket_id, user, label, True, instant),
                     Comment(ticket_id * 10 + 1, ticket_id, user, label, True, instant)]
    state = ZendeskState.build([User(user, "Sam", "sam@example.com"), User(9000, "API", API_EMAIL, role="admin"),
                                User(3003, "Customer", "c@example.org", role="end-user")], tickets, comments)
    with served(zendesk_app(state=state)) as url:
        config, pair = config_for(url, None, limits)
        work = prepare(config, pair, meeting, tz, window.end + timedelta(days=1), env=ENV)
    assert work.unavailable == ()
    counted = {c.subject for c in work.zendesk[0].candidates}
    assert counted == {"first instant of the week", "last second of the week"}, tz
    assert (work.zendesk[0].replies.total, work.zendesk[0].tickets_replied) == (4, 2)
