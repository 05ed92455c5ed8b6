"""Time off from calendar events: the days an event covers in a pair's time zone, periods, and when to remind.

The handbook (1:1s, "Time Off") asks the manager to "set a reminder for the day before the first
PTO date to check with the SE" about coverage. The rules here, all in the pair's time zone:

- An all-day event (`date`) covers its dates as written: `end.date` is exclusive, and dates are
  calendar days wherever you are, so no zone conversion applies.
- A timed event (`dateTime`) covers every local day it touches: its start's local date to the
  local date just before its end (an event ending at local midnight does not cover that day).
  Local midnights are found through the zone, so an out-of-office from 00:00 to 00:00 across a
  DST change (23 or 25 hours long) still covers exactly its days.
- Overlapping or touching events make one period; so do periods separated only by a weekend
  (Thu–Fri and Mon–Tue are one time off, whose first day is Thursday).
- The reminder day is the day before the first day; for a Monday start, the Friday before.
  A reminder is due from its reminder day until the day before the time off starts, so a run
  missed on the reminder day (an outage, a failed Scheduler attempt) is caught up by the next
  run before the time off begins; exactly-once is the delivery ledger's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOOKAHEAD_DAYS = 14  # "out-of-office events in the next 14 days"
# How far back the listing reaches: far enough to see time off that started on the Friday
# before a weekend and goes on after it, so its Monday is not mistaken for a new first day.
LOOKBACK_DAYS = 3


@dataclass(frozen=True, order=True)
class TimeOff:
    """A stretch of days off, first and last day inclusive, in the pair's time zone."""

    first_day: date
    last_day: date

    @property
    def reminder_day(self) -> date:
        return reminder_day(self.first_day)

    def is_due(self, today: date) -> bool:
        return is_due(self.first_day, today)


def reminder_day(first_day: date) -> date:
    """The day before `first_day`; the Friday before when it is a Monday."""
    return first_day - timedelta(days=3 if first_day.weekday() == 0 else 1)


def is_due(first_day: date, today: date) -> bool:
    """Whether the reminder for time off starting `first_day` should go out on `today` (if not sent yet)."""
    return reminder_day(first_day) <= today < first_day


def _moment(value: dict) -> datetime:
    moment = datetime.fromisoformat(str(value["dateTime"]).replace("Z", "+00:00"))
    if moment.tzinfo is None:  # Calendar always writes an offset; a timeZone field places one without it
        moment = moment.replace(tzinfo=ZoneInfo(value.get("timeZone") or "UTC"))
    return moment


def covered_days(event: dict, zone: ZoneInfo) -> tuple[date, date] | None:
    """(first day, last day) the event covers in `zone`, inclusive; None when it covers no day."""
    start, end = event.get("start") or {}, event.get("end") or {}
    if "date" in start and "date" in end:
        first = date.fromisoformat(start["date"])
        last = date.fromisoformat(end["date"]) - timedelta(days=1)
    elif "dateTime" in start and "dateTime" in end:
        begin, finish = _moment(start).astimezone(zone), _moment(end).astimezone(zone)
        if finish <= begin:
            return None
        first = begin.date()
        last = (finish - timedelta(microseconds=1)).date()
    else:
        return None
    return (first, last) if last >= first else None


def _bridges(earlier_last: date, later_first: date) -> bool:
    """Whether two stretches are one time off: they touch, overlap, or only a weekend lies between."""
    gap = earlier_last + timedelta(days=1)
    while gap < later_first:
        if gap.weekday() < 5:
            return False
        gap += timedelta(days=1)
    return True


def periods(events: Iterable[dict], zone: ZoneInfo) -> list[TimeOff]:
    """The events' time off in `zone`, merged into periods, earliest first."""
    spans = sorted(span for span in (covered_days(e, zone) for e in events) if span is not None)
    merged: list[TimeOff] = []
    for first, last in spans:
        if merged and _bridges(merged[-1].last_day, first):
            merged[-1] = TimeOff(merged[-1].first_day, max(merged[-1].last_day, last))
        else:
            merged.append(TimeOff(first, last))
    return merged


def listing_window(today: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The [timeMin, timeMax) to list for `today`: from the start of LOOKBACK_DAYS ago to the end of the
    LOOKAHEAD_DAYS-th day ahead, as aware instants of the zone's local midnights."""
    start = datetime.combine(today - timedelta(days=LOOKBACK_DAYS), time(), tzinfo=zone)
    end = datetime.combine(today + timedelta(days=LOOKAHEAD_DAYS + 1), time(), tzinfo=zone)
    return start, end


def concerns(event: dict, engineer: str) -> bool:
    """On a shared team calendar, whether an event is the engineer's: they created it, or attend it
    without having declined."""
    engineer = engineer.strip().lower()
    if str((event.get("creator") or {}).get("email", "")).lower() == engineer:
        return True
    return any(str(a.get("email", "")).lower() == engineer and a.get("responseStatus") != "declined"
               for a in event.get("attendees") or [])
