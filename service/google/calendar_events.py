"""Reads events through Calendar v3 events.list (every page), acting as the calendar's user."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from service.google.clients import Google

# Only what the reminders read; an event's summary and description are never asked for, so
# private text (a sick-leave title) never reaches Docket.
EVENT_FIELDS = "nextPageToken,items(id,status,eventType,start,end,creator(email),attendees(email,responseStatus))"
PAGE_SIZE = 250  # events.list's default; the 14-day windows read here hold a handful


def list_events(google: Google, *, calendar_id: str, as_user: str, time_min: datetime, time_max: datetime,
                event_types: Sequence[str] = ()) -> list[dict]:
    """Every event (recurring ones expanded into instances) overlapping [time_min, time_max) on the calendar.

    `time_min`/`time_max` must be aware: Calendar wants RFC 3339 with an offset. Cancelled events
    are left out by Calendar itself (showDeleted defaults to false).
    """
    if time_min.tzinfo is None or time_max.tzinfo is None:
        raise ValueError("time_min and time_max must be timezone-aware")
    events = google.calendar_events(as_user=as_user)
    found: list[dict] = []
    token = None
    while True:
        request = events.list(calendarId=calendar_id, timeMin=time_min.isoformat(), timeMax=time_max.isoformat(),
                              singleEvents=True, orderBy="startTime", maxResults=PAGE_SIZE, pageToken=token,
                              eventTypes=list(event_types) or None, fields=EVENT_FIELDS)
        page = google.call(request, f"events.list {calendar_id}", method="calendar.events.list")
        found.extend(page.get("items", []))
        token = page.get("nextPageToken")
        if not token:
            return found
