"""Standing items by cadence at month and quarter boundaries, computed in the meeting's time zone, never UTC."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from service.calendar import Week
from service.meetings.leadership import Leadership
from tests.leadership.conftest import with_leadership

MONDAY, WEDNESDAY = 0, 2


def week_text(docs, doc_id: str, iso: str) -> str:
    text = docs.text(doc_id)
    start = text.index(f"{iso} · ")
    nxt = text.find("\n20", start + 10)
    return text[start:] if nxt < 0 else text[start:nxt]


def standing(engine, docs, week, **changes):
    agenda, confidential = Leadership(with_leadership(engine, **changes)).ensure_week(week)
    return agenda, confidential


@pytest.mark.parametrize(("day", "monthly", "quarterly"), [
    (date(2026, 9, 30), False, False),   # last Wednesday of September
    (date(2026, 10, 7), True, True),     # 1 Oct is a Thursday: the first meeting of October is the 7th
    (date(2026, 10, 14), False, False),
    (date(2026, 11, 4), True, False),    # first of a month that starts no quarter
    (date(2026, 12, 30), False, False),
    (date(2027, 1, 6), True, True),      # across the year
])
def test_cadence_by_first_meeting_of_month_and_quarter(engine, docs, day, monthly, quarterly):
    agenda, confidential = standing(engine, docs, Week.of(day))
    agenda_week = week_text(docs, agenda.document_id, day.isoformat())
    confidential_week = week_text(docs, confidential.document_id, day.isoformat())
    assert "Metrics and KPIs" in agenda_week  # weekly
    assert ("Team building budget" in agenda_week) is quarterly
    assert ("Upcoming promotions" in confidential_week) is monthly
    # The agenda names a confidential standing item too (the handbook lists it) and points to where it is discussed.
    assert ("Upcoming promotions" in agenda_week) is monthly
    assert ("discussed in the confidential doc" in agenda_week) is monthly


def test_auckland_meeting_on_the_first_while_utc_is_still_in_march(engine, docs):
    # 09:00 on Wed 1 April 2026 in Auckland (NZDT, +13) is 20:00 on 31 March in UTC.
    now = datetime(2026, 3, 31, 20, 0, tzinfo=timezone.utc)
    agenda, confidential = standing(engine, docs, Week.of(None, now), timezone="Pacific/Auckland")
    text = week_text(docs, agenda.document_id, "2026-04-01")
    assert "Team building budget" in text and "Upcoming promotions" in text
    assert "Upcoming promotions" in week_text(docs, confidential.document_id, "2026-04-01")


def test_auckland_monday_the_first_is_a_new_week_while_utc_is_still_sunday(engine, docs):
    # 01:00 Mon 1 June 2026 in Auckland (NZST, +12) is 13:00 Sun 31 May in UTC: a different ISO week.
    now = datetime(2026, 5, 31, 13, 0, tzinfo=timezone.utc)
    agenda, confidential = standing(engine, docs, Week.of(None, now), timezone="Pacific/Auckland", weekday=MONDAY)
    text = docs.text(agenda.document_id)
    assert "2026-06-01 · " in text and "2026-05-25" not in text
    assert "Upcoming promotions" in week_text(docs, agenda.document_id, "2026-06-01")
    assert "Team building budget" not in text  # June starts no quarter


def test_los_angeles_sunday_evening_is_still_the_old_week_though_utc_is_monday_the_first(engine, docs):
    # 18:00 Sun 31 May 2026 in Los Angeles (PDT, -7) is 01:00 Mon 1 June in UTC.
    now = datetime(2026, 6, 1, 1, 0, tzinfo=timezone.utc)
    agenda, _ = standing(engine, docs, Week.of(None, now), timezone="America/Los_Angeles", weekday=MONDAY)
    text = docs.text(agenda.document_id)
    assert "2026-05-25 · " in text and "2026-06-01" not in text
    assert "Upcoming promotions" not in week_text(docs, agenda.document_id, "2026-05-25")


def test_quarter_start_on_a_monday_in_auckland_while_utc_is_the_previous_quarter(engine, docs):
    # Mon 1 July 2030 at 08:00 in Auckland (+12) is Sun 30 June 20:00 UTC (Q2 in UTC, Q3 locally).
    assert date(2030, 7, 1).weekday() == MONDAY
    now = datetime(2030, 6, 30, 20, 0, tzinfo=timezone.utc)
    agenda, _ = standing(engine, docs, Week.of(None, now), timezone="Pacific/Auckland", weekday=MONDAY)
    text = week_text(docs, agenda.document_id, "2030-07-01")
    assert "Team building budget (quarterly: first meeting of Q3 2030)" in text
