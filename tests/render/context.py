"""The 1:1 template context the renderer tests use, shaped as the section writer passes it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Org:
    name: str
    zendesk_url: str
    handbook_url: str
    pairings_url: str


@dataclass(frozen=True)
class Pair:
    manager_name: str
    manager_email: str
    report_name: str
    report_email: str
    zendesk_user_id: str
    zendesk_url: str = "https://example.zendesk.com"  # the Zendesk the engineer works in


@dataclass(frozen=True)
class Meeting:
    date: str  # ISO "YYYY-MM-DD"
    weekday: str
    timezone: str


ORG = Org(
    name="Example Support",
    zendesk_url="https://example.zendesk.com",
    handbook_url="https://handbook.gitlab.com",
    pairings_url="https://gitlab-com.gitlab.io/support/support-pairing/",
)
# Non-BMP emoji (a ZWJ sequence with a skin tone), combining accents and CJK on purpose.
PAIR = Pair(
    manager_name="Mari\u0301a García",  # a combining acute accent, as macOS keyboards produce
    manager_email="maria@example.com",
    report_name="Zoë 👩🏽‍💻 李",
    report_email="zoe@example.com",
    zendesk_user_id="361234567",
)
MEETING = Meeting(date="2026-11-24", weekday="Tuesday", timezone="Europe/Berlin")


def header_context(pair: Pair = PAIR) -> dict[str, object]:
    return {"org": ORG, "pair": pair}


def week_context(*, first_of_quarter: bool = False, pair: Pair = PAIR) -> dict[str, object]:
    """A first week (no earlier weeks in the doc), with the check-in rules the 1:1 passes."""
    from datetime import date

    from service.meetings import check_in
    from service.meetings.history import EMPTY_HISTORY, week_context as history_context

    return {"org": ORG, "pair": pair, "meeting": MEETING, "first_of_quarter": first_of_quarter, "quarter": "Q4 2026",
            "check_in": check_in.template_context(),
            "history": history_context(EMPTY_HISTORY, date.fromisoformat(MEETING.date), first_of_quarter)}
