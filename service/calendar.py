"""Meeting dates, cadences and time zones: every computation in the meeting's own time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from service.settings import WEEKDAYS


@dataclass(frozen=True)
class Week:
    """Which week to act on: an explicit calendar date, or "now" (an aware instant).

    An explicit date is taken as the same calendar date in every meeting's zone; "now" becomes
    today in each meeting's own zone, so a team in Auckland gets its Monday while New York is
    still on Sunday.
    """

    on: date | None = None
    now: datetime | None = None

    @classmethod
    def of(cls, on: date | None, now: datetime | None = None) -> Week:
        return cls(on=on, now=None if on else (now or datetime.now(timezone.utc)))

    def today_in(self, tz: str) -> date:
        if self.on is not None:
            return self.on
        assert self.now is not None and self.now.tzinfo is not None, "Week.now must be timezone-aware"
        return self.now.astimezone(ZoneInfo(tz)).date()


@dataclass(frozen=True)
class Meeting:
    """One occurrence of a weekly meeting."""

    date: date
    timezone: str

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.date.weekday()].capitalize()

    @property
    def first_of_month(self) -> bool:
        """The first meeting of a calendar month: a weekly meeting falls on day 1–7 exactly once."""
        return self.date.day <= 7

    @property
    def first_of_quarter(self) -> bool:
        return self.first_of_month and self.date.month in (1, 4, 7, 10)

    @property
    def quarter(self) -> str:
        return f"Q{(self.date.month - 1) // 3 + 1} {self.date.year}"

    def is_due(self, cadence: str) -> bool:
        """Whether a standing item of this cadence belongs in this meeting."""
        if cadence == "weekly":
            return True
        if cadence == "monthly":
            return self.first_of_month
        if cadence == "quarterly":
            return self.first_of_quarter
        raise ValueError(f"unknown cadence {cadence!r}")


def meeting_for(week: Week, weekday: int, tz: str) -> Meeting:
    """The meeting on `weekday` in the ISO week (Monday–Sunday) of the week's date in `tz`."""
    day = week.today_in(tz)
    monday = day - timedelta(days=day.weekday())
    return Meeting(monday + timedelta(days=weekday), tz)


# A mistyped year would add a section to every document; dates outside this window are refused.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str) -> date:
    """Parse a strict YYYY-MM-DD date between 2000 and 2099 (raises ValueError with a readable message)."""
    # fromisoformat alone also takes ISO week dates such as 2026-W47-3 (Python 3.11).
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD") from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"'{text}' is outside {EARLIEST.year}–{LATEST.year}: a date in the form YYYY-MM-DD")
    return day
