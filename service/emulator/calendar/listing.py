"""Calendar v3 events.list: filtering by type and time window, recurring series expanded or not, ordering, paging."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from service.emulator.call import Call, Reply
from service.emulator.calendar import errors
from service.emulator.calendar.model import EVENT_TYPES, etag_of, html_link, resolve, zone
from service.emulator.calendar.recurrence import instances, parse_moment

DEFAULT_PAGE, MAX_PAGE = 250, 2500  # events.list maxResults: "By default the value is 250 events ... never larger than 2500"
# How far an open-ended listing (no timeMax) expands an endless series: a choice, Google does not say.
OPEN_HORIZON = timedelta(days=366)
_PAGED_PARAMS = ("pageToken", "maxResults")


def _instant(call: Call, name: str) -> datetime | None:
    """timeMin/timeMax: "an RFC3339 timestamp with mandatory time zone offset" (events.list); milliseconds ignored."""
    text = call.text(name)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise errors.bad_request(name) from None
    if moment.tzinfo is None or "T" not in text.upper():
        raise errors.bad_request(name)
    return moment.replace(microsecond=0)


def _page_size(call: Call) -> int:
    text = call.text("maxResults")
    if text is None:
        return DEFAULT_PAGE
    try:
        value = int(text)
    except ValueError:
        raise errors.bad_request("maxResults") from None
    if value < 1:
        raise errors.bad_request("maxResults")
    return min(value, MAX_PAGE)


def _fingerprint(call: Call, calendar_id: str) -> str:
    query = sorted((k, v) for k, values in call.repeated.items() for v in values if k not in _PAGED_PARAMS)
    return hashlib.sha256(json.dumps([calendar_id.lower(), query]).encode()).hexdigest()[:16]


def _offset(call: Call, fingerprint: str) -> int:
    token = call.text("pageToken")
    if token is None:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode() + b"==="))
        if data["f"] != fingerprint or not isinstance(data["o"], int) or data["o"] < 0:
            raise ValueError
        return int(data["o"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise errors.invalid_page_token() from None


def _token(offset: int, fingerprint: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "f": fingerprint}).encode()).decode().rstrip("=")


def _candidates(events: dict, calendar_zone: ZoneInfo, single: bool, time_min: datetime | None,
                time_max: datetime | None) -> Iterator[dict]:
    """Every event or instance to consider, in the calendar's stable (insertion) order."""
    until = time_max or (max(time_min, datetime.now(UTC)) if time_min else datetime.now(UTC)) + OPEN_HORIZON
    for event in events.values():
        if not event.get("recurrence"):
            yield event
            continue
        expanded = (i for i in instances(event, calendar_zone, until))
        if single:
            yield from expanded
        elif any(_overlaps(i, calendar_zone, time_min, time_max) for i in expanded):
            yield event  # the series itself, when any of its instances falls in the window


def _overlaps(event: dict, calendar_zone: ZoneInfo, time_min: datetime | None, time_max: datetime | None) -> bool:
    """timeMin bounds an event's end, timeMax its start, both exclusive (events.list)."""
    start, end = parse_moment(event["start"], calendar_zone), parse_moment(event["end"], calendar_zone)
    return (time_min is None or end > time_min) and (time_max is None or start < time_max)


def _moment_in(value: dict, out_zone: ZoneInfo, calendar_zone: ZoneInfo) -> dict:
    """An EventDateTime as answered: a dateTime written in the response's zone (the calendar's, or the
    timeZone parameter), keeping the event's own `timeZone` field; a date unchanged."""
    if "date" in value:
        return dict(value)
    shown = parse_moment(value, calendar_zone).astimezone(out_zone).replace(microsecond=0).isoformat()
    return {"dateTime": shown.replace("+00:00", "Z") if out_zone.key == "UTC" else shown,
            **({"timeZone": value["timeZone"]} if value.get("timeZone") else {})}


def _with_self(person: dict, me: str) -> dict:
    shown = {k: v for k, v in person.items() if k != "self"}
    if str(person.get("email", "")).lower() == me:
        shown["self"] = True  # present only when true, as captured
    return shown


def render(event: dict, calendar: dict, me: str, out_zone: ZoneInfo, calendar_zone: ZoneInfo) -> dict:
    """The Event resource, in the key order of captured responses; fields the event does not have are absent."""
    item: dict = {"kind": "calendar#event", "etag": etag_of(event["updated"]), "id": event["id"],
                  "status": event.get("status", "confirmed"),
                  "htmlLink": html_link(event["id"], calendar["id"]), "created": event["created"], "updated": event["updated"]}
    for key in ("summary", "description", "location", "colorId"):
        if key in event:
            item[key] = event[key]
    item["creator"] = _with_self(event["creator"], me)
    item["organizer"] = _with_self(event["organizer"], me)
    item["start"] = _moment_in(event["start"], out_zone, calendar_zone)
    item["end"] = _moment_in(event["end"], out_zone, calendar_zone)
    if "recurrence" in event:
        item["recurrence"] = list(event["recurrence"])
    if "recurringEventId" in event:
        item["recurringEventId"] = event["recurringEventId"]
        item["originalStartTime"] = _moment_in(event["originalStartTime"], out_zone, calendar_zone)
    for key in ("transparency", "visibility"):
        if key in event:
            item[key] = event[key]
    item["iCalUID"] = event.get("iCalUID") or f"{event.get('recurringEventId', event['id'])}@google.com"
    item["sequence"] = int(event.get("sequence", 0))
    if event.get("attendees"):
        item["attendees"] = [_with_self(a, me) for a in event["attendees"]]
    item["reminders"] = event.get("reminders", {"useDefault": True})
    item["eventType"] = event.get("eventType", "default")
    for key in ("outOfOfficeProperties", "focusTimeProperties", "workingLocationProperties", "birthdayProperties",
                "extendedProperties"):
        if key in event:
            item[key] = event[key]
    return item


def events_list(call: Call) -> Reply:
    calendar, role = resolve(call.state, call.path["calendarId"], call.identity)
    me = call.identity.lower()
    calendar_zone = zone(calendar["timeZone"])
    out_zone = zone(call.text("timeZone")) if call.text("timeZone") else calendar_zone
    time_min, time_max = _instant(call, "timeMin"), _instant(call, "timeMax")
    if time_min is not None and time_max is not None and time_min >= time_max:
        raise errors.time_range_empty()
    wanted = call.texts("eventTypes")
    if any(t not in EVENT_TYPES for t in wanted):
        raise errors.bad_request("eventTypes")
    single = call.flag("singleEvents")
    show_deleted = call.flag("showDeleted")
    order = call.text("orderBy")
    if order not in (None, "startTime", "updated"):
        raise errors.bad_request("orderBy")
    if order == "startTime" and not single:
        raise errors.ordering_unavailable()
    size = _page_size(call)
    fingerprint = _fingerprint(call, calendar["id"])
    offset = _offset(call, fingerprint)

    found = [e for e in _candidates(calendar["events"], calendar_zone, single, time_min, time_max)
             if (not wanted or e.get("eventType", "default") in wanted)
             and (show_deleted or e.get("status") != "cancelled")
             and (e.get("recurrence") and not single or _overlaps(e, calendar_zone, time_min, time_max))]
    if order == "startTime":
        found.sort(key=lambda e: (parse_moment(e["start"], calendar_zone), e["id"]))
    elif order == "updated":
        found.sort(key=lambda e: (e["updated"], e["id"]))
    page = found[offset:offset + size]
    body: dict = {"kind": "calendar#events",
                  "etag": '"p3' + hashlib.sha256(f"{calendar['id']}{calendar['updated']}".encode()).hexdigest()[:14] + '"',
                  "summary": calendar["summary"], "updated": calendar["updated"], "timeZone": out_zone.key,
                  "accessRole": role,
                  # The caller's default reminders on this calendar: the emulator keeps none for readers.
                  "defaultReminders": list(calendar.get("defaultReminders", [])) if role != "reader" else []}
    if calendar.get("description") is not None:
        body["description"] = calendar["description"]
    if offset + size < len(found):
        body["nextPageToken"] = _token(offset + size, fingerprint)
    else:
        # The last page carries a sync token (syncToken itself is not modelled: 501). Whether
        # Google sends one after a timeMin/timeMax query too is UNCONFIRMED; the emulator does.
        body["nextSyncToken"] = _token(len(found), "sync-" + fingerprint)
    body["items"] = [render(e, calendar, me, out_zone, calendar_zone) for e in page]
    return Reply(body)
