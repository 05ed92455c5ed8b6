"""The periods the figures cover: the seven days before a meeting, and the previous month or quarter in roll-up meetings.

Every period is a run of whole local days in the meeting's time zone, from 00:00 on its first day
(included) to 00:00 on the day after its last (excluded). When 00:00 does not exist (a DST jump
at midnight) the day starts at the first instant that does; when it occurs twice, at the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from service.calendar import Meeting

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def day_start(day: date, tz: str) -> datetime:
    """The first instant of local `day` in `tz`, in UTC.

    fold=0 reads 00:00 with the offset in force before any transition at that moment: for a
    00:00 that occurs twice that is the first occurrence, and for one that does not exist it is
    the instant the day actually begins. The result is UTC because Python compares two datetimes
    sharing a tzinfo by wall time, ignoring the offset, which is wrong across a DST change.
    """
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


@dataclass(frozen=True)
class Window:
    """Local days [first_day, end_day) in `timezone`; `kind` is week, month or quarter."""

    kind: str
    first_day: date
    end_day: date
    timezone: str

    @property
    def start(self) -> datetime:
        """The first instant, in UTC."""
        return day_start(self.first_day, self.timezone)

    @property
    def end(self) -> datetime:
        """The first instant after the window, in UTC."""
        return day_start(self.end_day, self.timezone)

    @property
    def last_day(self) -> date:
        return self.end_day - timedelta(days=1)

    @property
    def weeks(self) -> float:
        return (self.end_day - self.first_day).days / 7

    def contains(self, instant: datetime) -> bool:
        """Whether an aware instant falls in the window (start included, end excluded)."""
        if instant.tzinfo is None:
            raise ValueError("work data compares aware instants only")
        return self.start <= instant.astimezone(timezone.utc) < self.end

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{_MONTHS[self.first_day.month - 1]} {self.first_day.year}"
        if self.kind == "quarter":
            return f"Q{(self.first_day.month - 1) // 3 + 1} {self.first_day.year}"
        return f"{self.first_day.isoformat()} to {self.last_day.isoformat()}"


def week_window(meeting_date: date, tz: str) -> Window:
    """The seven days before the meeting: 00:00 on (meeting − 7) to 00:00 on the meeting date."""
    return Window("week", meeting_date - timedelta(days=7), meeting_date, tz)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def rollup_windows(meeting_date: date, tz: str) -> tuple[Window, ...]:
    """The previous month in the first meeting of a month, and also the previous quarter in the first of a quarter."""
    meeting = Meeting(meeting_date, tz)
    windows: list[Window] = []
    if meeting.first_of_month:
        this_month = _month_start(meeting_date)
        windows.append(Window("month", _months_before(this_month, 1), this_month, tz))
    if meeting.first_of_quarter:
        this_quarter = _month_start(meeting_date)
        windows.append(Window("quarter", _months_before(this_quarter, 3), this_quarter, tz))
    return tuple(windows)


def covering(windows: tuple[Window, ...]) -> tuple[datetime, datetime]:
    """The one interval that holds every window: what a single query per source must fetch."""
    return min(w.start for w in windows), max(w.end for w in windows)
