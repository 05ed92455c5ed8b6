"""Calendar v3's errors, in the legacy envelope its error guide documents: `errors[]` with domain and reason, no `status`."""

from __future__ import annotations

from dataclasses import dataclass

from service.emulator.errors import ApiError


@dataclass
class CalendarError(ApiError):
    """Calendar answers `{"error": {"errors": [{domain, reason, message, [locationType, location]}], "code", "message"}}`
    (developers.google.com/calendar/api/guides/errors): the google.rpc `status` Docs and Sheets send is absent."""

    def envelope(self) -> dict:
        entry: dict = {"domain": self.domain, "reason": self.reason or "backendError", "message": self.message}
        if self.location is not None:
            entry.update(locationType=self.location_type or "parameter", location=self.location)
        return {"error": {"errors": [entry], "code": self.code, "message": self.message}}


def not_found() -> CalendarError:
    # The same answer for a calendar that does not exist and one the caller may not read.
    return CalendarError(404, "Not Found", reason="notFound")


def bad_request(parameter: str | None = None) -> CalendarError:
    """A malformed parameter (e.g. a timeMin without its offset): Calendar's generic 400."""
    return CalendarError(400, "Bad Request", reason="badRequest", location=parameter,
                         location_type="parameter" if parameter else None)


def time_range_empty() -> CalendarError:
    # Verbatim from the error guide, including domain "calendar" and the location timeMax.
    return CalendarError(400, "The specified time range is empty.", reason="timeRangeEmpty", domain="calendar",
                         location="timeMax", location_type="parameter")


def ordering_unavailable() -> CalendarError:
    # orderBy=startTime without singleEvents=true; wording UNCONFIRMED (reported by users of the API).
    return CalendarError(400, "The requested ordering is not available for the particular query.", reason="badRequest")


def invalid_page_token() -> CalendarError:
    # UNCONFIRMED wording: a page token from another query (or made up) is refused.
    return CalendarError(400, "Invalid page token value.", reason="invalid", location="pageToken",
                         location_type="parameter")
