"""Meeting dates follow the ISO week and the meeting's own time zone; cadences follow calendar months."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from service.calendar import Week, meeting_for, parse_date

MON, TUE, WED, SUN = 0, 1, 2, 6


def test_meeting_is_the_weekday_of_the_iso_week():
    # 2026-11-21 is a Saturday: the week runs Mon 16 – Sun 22.
    week = Week.of(date(2026, 11, 21))
    assert meeting_for(week, TUE, "UTC").date == date(2026, 11, 17)
    assert meeting_for(week, SUN, "UTC").date == date(2026, 11, 22)
    # A Sunday belongs to the week that started the Monday before.
    assert meeting_for(Week.of(date(2026, 11, 22)), MON, "UTC").date == date(2026, 11, 16)


def test_now_is_read_in_the_meetings_time_zone():
    # Sunday 2026-11-29 20:00 in New York is already Monday 30 in Auckland: different ISO weeks.
    now = datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)
    week = Week.of(None, now)
    assert meeting_for(week, MON, "America/New_York").date == date(2026, 11, 23)
    assert meeting_for(week, MON, "Pacific/Auckland").date == date(2026, 11, 30)


def test_auckland_first_of_month_while_utc_is_still_in_the_previous_month():
    # Tuesday 2026-12-01 09:00 in Auckland is Monday 2026-11-30 20:00 UTC.
    now = datetime(2026, 11, 30, 20, 0, tzinfo=timezone.utc)
    meeting = meeting_for(Week.of(None, now), TUE, "Pacific/Auckland")
    assert meeting.date == date(2026, 12, 1)
    assert meeting.first_of_month and meeting.is_due("monthly")
    assert not meeting.is_due("quarterly")
    # The same instant seen from UTC: the meeting of that week is still Tuesday 1 Dec, but "today" is Nov 30.
    assert Week.of(None, now).today_in("UTC") == date(2026, 11, 30)


def test_quarter_boundaries():
    assert meeting_for(Week.of(date(2027, 1, 5)), TUE, "UTC").is_due("quarterly")
    assert meeting_for(Week.of(date(2026, 10, 7)), WED, "UTC").is_due("quarterly")
    assert not meeting_for(Week.of(date(2026, 11, 4)), WED, "UTC").is_due("quarterly")
    # Meeting on Sunday Oct 4 is the first of October; the week of Monday Sep 28.
    m = meeting_for(Week.of(date(2026, 9, 29)), SUN, "UTC")
    assert m.date == date(2026, 10, 4) and m.first_of_quarter and m.quarter == "Q4 2026"
    # Monday Sep 28's meeting is the last of September.
    assert not meeting_for(Week.of(date(2026, 10, 1)), MON, "UTC").first_of_month


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 6))
def test_each_month_has_exactly_one_first_meeting(day, weekday):
    meeting = meeting_for(Week.of(day), weekday, "UTC")
    assert meeting.date.weekday() == weekday
    assert meeting.date.isocalendar()[:2] == day.isocalendar()[:2]
    # The first meeting of the month is exactly the one with no meeting a week earlier in the same month.
    assert meeting.first_of_month == ((meeting.date - timedelta(days=7)).month != meeting.date.month)
    assert meeting.first_of_quarter == (meeting.first_of_month and meeting.date.month in (1, 4, 7, 10))


@pytest.mark.parametrize("text", ["2026-02-30", "26-01-01", "2026/01/01", "tomorrow", "", "2026-1-1", "2026-W47-3", "0001-01-01", "2100-01-01", "２０２６-01-01"])
def test_parse_date_rejects(text):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date(text)
