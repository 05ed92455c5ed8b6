"""Recurring events expanded into their instances (events.list singleEvents=true), with python-dateutil's RFC 5545 rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

# A series without an end is expanded only up to this far past the window, and never beyond
# this many instances: enough for any listing, bounded for a malformed rule.
MAX_INSTANCES = 5000


def parse_moment(value: dict, calendar_zone: ZoneInfo) -> datetime:
    """An EventDateTime as an aware instant: a dateTime as written (its offset, else its timeZone),
    a date as midnight in the calendar's zone (all-day events are floating; the calendar's zone places them)."""
    if "dateTime" in value:
        moment = datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(value.get("timeZone") or "UTC"))
        return moment
    day = date.fromisoformat(value["date"])
    return datetime(day.year, day.month, day.day, tzinfo=calendar_zone)


def instances(event: dict, calendar_zone: ZoneInfo, until: datetime) -> Iterator[dict]:
    """The instances of a recurring `event` starting before `until`, each shaped as events.list
    returns it: id `<series id>_<start>` (`YYYYMMDDTHHMMSSZ` in UTC for timed events, `YYYYMMDD` for
    all-day ones: captured `7v4283n2ou3502agsp3t6re7pi_20231018T053000Z`), `recurringEventId`,
    `originalStartTime`, the series' duration, no `recurrence`.

    Timed series are expanded in their start.timeZone, so a 09:00 meeting stays at 09:00 local
    across a DST change. Divergence: exceptions (modified or cancelled single instances) are not
    modelled beyond EXDATE lines in `recurrence`.
    """
    all_day = "date" in event["start"]
    if all_day:
        first = date.fromisoformat(event["start"]["date"])
        length = date.fromisoformat(event["end"]["date"]) - first
        local_start = datetime(first.year, first.month, first.day)
        tz = None
    else:
        tz = ZoneInfo(event["start"]["timeZone"])
        start = parse_moment(event["start"], calendar_zone).astimezone(tz)
        length = parse_moment(event["end"], calendar_zone) - start
        local_start = start.replace(tzinfo=None)
    rules = rrulestr("\n".join(event["recurrence"]), dtstart=local_start, forceset=True)
    base = {k: v for k, v in event.items() if k not in ("recurrence", "id", "start", "end")}
    for count, local in enumerate(rules):
        if count >= MAX_INSTANCES:
            return
        if all_day:
            if datetime(local.year, local.month, local.day, tzinfo=calendar_zone) >= until:
                return
            day = local.date()
            start_value = {"date": day.isoformat()}
            end_value = {"date": (day + length).isoformat()}
            suffix = day.strftime("%Y%m%d")
        else:
            assert tz is not None
            aware = local.replace(tzinfo=tz)
            if aware >= until:
                return
            start_value = {"dateTime": aware.isoformat(), "timeZone": event["start"]["timeZone"]}
            end_value = {"dateTime": (aware + length).astimezone(tz).isoformat(),
                         "timeZone": event["end"].get("timeZone") or event["start"]["timeZone"]}
            suffix = aware.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        yield {**base, "id": f"{event['id']}_{suffix}", "start": start_value, "end": end_value,
               "recurringEventId": event["id"], "originalStartTime": dict(start_value)}

