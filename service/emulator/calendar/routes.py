"""Every Calendar v3 method the emulator models, as one route list: events.list (anything else answers 501)."""

from __future__ import annotations

from service.emulator.call import Route
from service.emulator.calendar import listing

ROUTES: list[Route] = [
    Route("calendar", "GET", "/calendar/v3/calendars/<fid:calendarId>/events", "calendar.events.list", listing.events_list,
          params=frozenset({"eventTypes", "timeMin", "timeMax", "singleEvents", "showDeleted", "orderBy", "maxResults",
                            "pageToken", "timeZone", "alwaysIncludeEmail"}),
          # Defined by events.list (calendar.v3.json) but not modelled: present, they answer 501.
          unmodelled=frozenset({"syncToken", "q", "iCalUID", "privateExtendedProperty", "sharedExtendedProperty",
                                "updatedMin", "showHiddenInvitations", "maxAttendees"})),
]
