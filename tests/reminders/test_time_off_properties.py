"""Properties of the "day before" rule: across time zones and DST changes, for all-day and timed events."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from service.time_off import TimeOff, covered_days, is_due, periods, reminder_day

# Zones with DST in either hemisphere, half-hour and 45-minute offsets, and the date line.
ZONES = ["Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata",
         "Asia/Kathmandu", "Pacific/Auckland", "Pacific/Kiritimati", "America/St_Johns", "UTC"]
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
zones = st.sampled_from(ZONES)
lengths = st.integers(min_value=1, max_value=21)


def last_weekday_before(day: date) -> date:
    """Walk back to the previous Monday–Friday: the spec of the reminder day for a weekday start."""
    before = day - timedelta(days=1)
    while before.weekday() >= 5:
        before -= timedelta(days=1)
    return before


def timed(first: date, n: int, zone: str, written_in: str) -> dict:
    """An out-of-office from local midnight of `first` to local midnight n days later in `zone`, with the
    instants written in another zone's offset (as Calendar writes times in the calendar's zone)."""
    tz, out = ZoneInfo(zone), ZoneInfo(written_in)
    start = datetime.combine(first, time(), tzinfo=tz).astimezone(out)
    end = datetime.combine(first + timedelta(days=n), time(), tzinfo=tz).astimezone(out)
    return {"start": {"dateTime": start.isoformat()}, "end": {"dateTime": end.isoformat()}}


@given(days)
def test_a_weekday_start_is_reminded_on_the_last_weekday_before_it(first):
    assume(first.weekday() < 5)
    assert reminder_day(first) == last_weekday_before(first)


def test_weekend_starts_follow_the_handbook_literally():
    # "The day before the first PTO date", except that a Monday start is reminded on the Friday before:
    # a Sunday start is reminded on Saturday, a Saturday start on Friday.
    assert reminder_day(date(2026, 11, 22)) == date(2026, 11, 21)
    assert reminder_day(date(2026, 11, 21)) == date(2026, 11, 20)
    assert reminder_day(date(2026, 11, 23)) == date(2026, 11, 20)


@given(days, st.integers(min_value=-10, max_value=10))
def test_a_reminder_is_due_from_its_day_until_the_time_off_begins(first, offset):
    today = first + timedelta(days=offset)
    assert is_due(first, today) == (reminder_day(first) <= today < first)
    assert not is_due(first, first)


@given(days, lengths, zones, zones)
@settings(max_examples=300)
def test_a_timed_out_of_office_covers_its_local_days_whatever_the_dst_and_the_zone_it_is_written_in(first, n, zone, written_in):
    event = timed(first, n, zone, written_in)
    assert covered_days(event, ZoneInfo(zone)) == (first, first + timedelta(days=n - 1))
    [period] = periods([event], ZoneInfo(zone))
    assert period.reminder_day == reminder_day(first)


@given(days, lengths, zones)
def test_an_all_day_event_covers_its_dates_in_any_zone(first, n, zone):
    event = {"start": {"date": first.isoformat()}, "end": {"date": (first + timedelta(days=n)).isoformat()}}
    assert covered_days(event, ZoneInfo(zone)) == (first, first + timedelta(days=n - 1))


@given(days, lengths, zones)
def test_an_all_day_event_and_its_timed_twin_give_the_same_reminder(first, n, zone):
    all_day = {"start": {"date": first.isoformat()}, "end": {"date": (first + timedelta(days=n)).isoformat()}}
    twin = timed(first, n, zone, "UTC")
    assert periods([all_day], ZoneInfo(zone)) == periods([twin], ZoneInfo(zone))


@given(days, st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=6), zones, st.randoms())
def test_time_off_split_into_touching_events_is_one_period(first, pieces, zone, rnd):
    events, day = [], first
    for n in pieces:
        events.append(timed(day, n, zone, rnd.choice(ZONES)) if rnd.random() < 0.5 else
                      {"start": {"date": day.isoformat()}, "end": {"date": (day + timedelta(days=n)).isoformat()}})
        day += timedelta(days=n)
    rnd.shuffle(events)
    assert periods(events, ZoneInfo(zone)) == [TimeOff(first, day - timedelta(days=1))]


@given(days, zones)
def test_a_weekend_between_two_stretches_makes_one_time_off(first, zone):
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    monday = thursday + timedelta(days=4)
    events = [timed(thursday, 2, zone, "UTC"), {"start": {"date": monday.isoformat()}, "end": {"date": (monday + timedelta(days=2)).isoformat()}}]
    [period] = periods(events, ZoneInfo(zone))
    assert (period.first_day, period.last_day) == (thursday, monday + timedelta(days=1))
    assert not period.is_due(monday - timedelta(days=3))  # the Friday before Monday is a day off already


@given(days, st.integers(min_value=1, max_value=23 * 60), zones)
def test_a_partial_day_counts_for_its_day_only(first, minutes, zone):
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(0, 30), tzinfo=tz)
    end = start + timedelta(minutes=minutes)
    assume(end.astimezone(tz).date() == first)
    event = {"start": {"dateTime": start.astimezone(UTC).isoformat()}, "end": {"dateTime": end.astimezone(UTC).isoformat()}}
    assert covered_days(event, tz) == (first, first)


def test_events_covering_no_day_are_ignored():
    zone = ZoneInfo("Europe/Berlin")
    assert covered_days({"start": {"dateTime": "2026-10-25T10:00:00+01:00"}, "end": {"dateTime": "2026-10-25T10:00:00+01:00"}}, zone) is None
    assert covered_days({"start": {"date": "2026-10-25"}, "end": {"date": "2026-10-25"}}, zone) is None
    assert periods([{"start": {"date": "2026-10-25"}}], zone) == []


def test_the_dst_weekend_in_berlin_concretely():
    # Sat 24 Oct to Tue 27 Oct 2026 00:00 Berlin: 73 hours (the clocks go back on Sunday the 25th).
    event = timed(date(2026, 10, 24), 3, "Europe/Berlin", "UTC")
    assert event["start"]["dateTime"] == "2026-10-23T22:00:00+00:00" and event["end"]["dateTime"] == "2026-10-26T23:00:00+00:00"
    [period] = periods([event], ZoneInfo("Europe/Berlin"))
    assert (period.first_day, period.last_day, period.reminder_day) == (date(2026, 10, 24), date(2026, 10, 26), date(2026, 10, 23))
    # Read in New York, the same instants are Fri 23 Oct 18:00 to Mon 26 Oct 19:00: four local days there.
    [there] = periods([event], ZoneInfo("America/New_York"))
    assert (there.first_day, there.last_day) == (date(2026, 10, 23), date(2026, 10, 26))
