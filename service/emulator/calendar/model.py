"""Calendars and their events as the emulator keeps them: records in the store's index, access roles, and seeding.

Calendars live in the store's index next to Drive's files (`state.drive["calendars"]`), so one
transaction covers them and they persist and roll back with everything else. A calendar record:
`{"id", "summary", "timeZone", "owner", "acl": [{"scope": {"type", "value"}, "role"}], "events": {id: event},
"updated"}`. A user's primary calendar has the user's email as its id; `primary` names the
caller's own. Events are kept in the shape events.list returns them, minus what the emulator
computes when answering (kind, etag, htmlLink, iCalUID, the `self` flags).
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from service.emulator.calendar import errors

if TYPE_CHECKING:
    from service.emulator.persistence import State

# Roles in Calendar's order (AclRule.role); events.list needs at least reader.
# Divergence: freeBusyReader (events with times only) is not modelled; seeding refuses it.
ROLES = ("reader", "writer", "owner")
SCOPE_TYPES = ("default", "user", "group", "domain")
EVENT_TYPES = ("birthday", "default", "focusTime", "fromGmail", "outOfOffice", "workingLocation")


def stamp(moment: datetime | None = None) -> str:
    """RFC 3339 in UTC with milliseconds, as Calendar writes `created` and `updated`."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def etag_of(updated: str) -> str:
    """An event's etag: twice its `updated` time in microseconds, quoted.

    Observed in captures: updated 2024-03-22T23:06:44.299Z comes with etag "3422297608598000"
    (grafana/oncall), 2023-09-16T08:44:36.296Z with "3389707752592000" (Aurelain/destiny). Google
    does not document the scheme; clients must treat etags as opaque, and this shape is only mimicked.
    """
    moment = datetime.fromisoformat(updated.replace("Z", "+00:00"))
    micros = int(moment.timestamp()) * 1_000_000 + moment.microsecond
    return f'"{2 * micros}"'


def html_link(event_id: str, calendar_id: str) -> str:
    """`https://www.google.com/calendar/event?eid=<base64url("<event id> <calendar id>")>` unpadded, as captured
    (Google abbreviates some calendar domains, e.g. gmail.com to "m"; the emulator never does)."""
    eid = base64.urlsafe_b64encode(f"{event_id} {calendar_id}".encode()).decode().rstrip("=")
    return f"https://www.google.com/calendar/event?eid={eid}"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise errors.bad_request("timeZone") from None


def calendars(state: State) -> dict[str, dict]:
    return state.drive.setdefault("calendars", {})


def _is_user(identity: str) -> bool:
    return "@" in identity


def resolve(state: State, calendar_id: str, identity: str) -> tuple[dict, str]:
    """(calendar record, the caller's access role) for a calendar the caller may list; 404 otherwise.

    Every user has a primary calendar: one that was never seeded answers as an empty calendar
    in UTC, owned by that user (not persisted by a read).
    """
    me = identity.lower()
    wanted = me if calendar_id == "primary" else calendar_id.lower()
    record = calendars(state).get(wanted)
    if record is None and wanted == me and _is_user(me):
        record = new_calendar(wanted, summary=wanted, time_zone="UTC", owner=wanted)
    if record is None:
        raise errors.not_found()
    role = access_role(record, me)
    if role is None:
        raise errors.not_found()
    return record, role


def access_role(record: dict, identity: str) -> str | None:
    """The strongest role any ACL rule gives `identity` (Google Groups are not expanded: a group rule
    applies only to an identity equal to the group's address)."""
    if record.get("owner") == identity:
        return "owner"
    best: str | None = None
    for rule in record.get("acl", []):
        scope = rule["scope"]
        kind, value = scope["type"], str(scope.get("value", "")).lower()
        applies = (kind == "default" or (kind in ("user", "group") and value == identity)
                   or (kind == "domain" and identity.rpartition("@")[2] == value))
        if applies and (best is None or ROLES.index(rule["role"]) > ROLES.index(best)):
            best = rule["role"]
    return best


def new_calendar(calendar_id: str, *, summary: str, time_zone: str, owner: str | None, acl: list[dict] | None = None) -> dict:
    zone(time_zone)
    for rule in acl or []:
        if rule.get("role") not in ROLES or rule.get("scope", {}).get("type") not in SCOPE_TYPES:
            raise ValueError(f"an ACL rule needs a role in {ROLES} and a scope type in {SCOPE_TYPES}: {rule!r}")
    return {"id": calendar_id.lower(), "summary": summary, "timeZone": time_zone, "owner": owner.lower() if owner else None,
            "acl": list(acl or []), "events": {}, "updated": stamp()}


def put_calendar(state: State, record: dict) -> dict:
    """Seeding: add the calendar, or update its summary, zone and ACL keeping its events."""
    existing = calendars(state).get(record["id"])
    if existing is not None:
        existing.update({k: v for k, v in record.items() if k != "events"})
        return existing
    calendars(state)[record["id"]] = record
    return record


def put_event(state: State, calendar_id: str, event: dict[str, Any]) -> dict:
    """Seeding: add or replace an event (by id) in an existing calendar, filling created/updated/creator/organizer.

    The event is checked for the shape events.list answers: an id, start and end each with exactly
    one of `date` / `dateTime` (and a zone offset or `timeZone` for a dateTime), a known eventType;
    a recurring event needs start.timeZone, as Google requires.
    """
    record = calendars(state).get(calendar_id.lower())
    if record is None:
        raise KeyError(f"no calendar {calendar_id}")
    event = dict(event)
    if not isinstance(event.get("id"), str) or not event["id"]:
        raise ValueError("an event needs an id")
    for side in ("start", "end"):
        value = event.get(side)
        if not isinstance(value, dict) or ("date" in value) == ("dateTime" in value):
            raise ValueError(f"an event's {side} holds exactly one of date and dateTime")
    if ("date" in event["start"]) != ("date" in event["end"]):
        raise ValueError("an event's start and end are both dates or both dateTimes")
    if event.get("eventType", "default") not in EVENT_TYPES:
        raise ValueError(f"eventType must be one of {EVENT_TYPES}")
    if event.get("recurrence") and "dateTime" in event["start"] and not event["start"].get("timeZone"):
        raise ValueError("a recurring event's start needs a timeZone")
    event.setdefault("status", "confirmed")
    now = stamp()
    event.setdefault("created", now)
    event.setdefault("updated", now)
    owner = record.get("owner") or record["id"]
    event.setdefault("creator", {"email": owner})
    event.setdefault("organizer", {"email": owner})
    previous = record["events"].pop(event["id"], None)
    if previous is not None:
        event["sequence"] = int(previous.get("sequence", 0)) + 1
    record["events"][event["id"]] = event
    record["updated"] = max(record.get("updated", now), event["updated"])
    return event


def remove_event(state: State, calendar_id: str, event_id: str) -> None:
    record = calendars(state).get(calendar_id.lower())
    if record is not None:
        record["events"].pop(event_id, None)
