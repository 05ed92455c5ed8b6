"""The reminders' Chat messages: who is off and when, the handbook's coverage questions, the link to this week's section."""

from __future__ import annotations

from datetime import date

from service.settings import OneOnOneSettings
from service.time_off import TimeOff

# The handbook page "Support 1:1s", section 5 "Time Off": what the manager checks before the time off.
TIME_OFF_PAGE = "/handbook/support/support-time-off"
COVERAGE_QUESTIONS = (
    "Have they reviewed the Support Team Member Time Off page?",
    "Have they arranged coverage for their tickets and roles? (Ask how far they got, if they have not told you yet.)",
    "Do they have any questions about what to do?",
)


def chat_escape(text: str) -> str:
    """Text people supplied (names) kept literal in a Chat message: `<…>` is Chat's link and mention
    syntax, so `<`, `>` and `&` become HTML entities (how Chat renders entities in webhook text is
    UNCONFIRMED; what matters is that a name can never form a link)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def day_name(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def span(time_off: TimeOff) -> str:
    if time_off.first_day == time_off.last_day:
        return day_name(time_off.first_day)
    return f"{day_name(time_off.first_day)} – {day_name(time_off.last_day)}"


def when(first_day: date, today: date) -> str:
    days = (first_day - today).days
    return "tomorrow" if days == 1 else f"in {days} days"


def pto_message(pair: OneOnOneSettings, time_off: TimeOff, today: date, *, handbook_url: str, section_link: str) -> str:
    """The PTO reminder for the manager, in Chat's text format (`*bold*`, `<url|label>` links)."""
    name = chat_escape(pair.report_name)
    questions = "\n".join(f"• {q}" for q in COVERAGE_QUESTIONS)
    return (f"*Time off coming up: {name}* is out of office {span(time_off)} (first day {when(time_off.first_day, today)}).\n"
            f"Before it starts, check with {name} (1:1 handbook, Time Off):\n{questions}\n"
            f"<{handbook_url}{TIME_OFF_PAGE}|Support Team Member Time Off> · <{section_link}|This week's 1:1 section>")


def prep_message(pair: OneOnOneSettings, *, section_link: str) -> str:
    """The meeting-day nudge: "1:1 today" and the section to prepare (pre-call: tickets, activity links)."""
    return (f"*1:1 today with {chat_escape(pair.report_name)}* — pick two tickets to review and read the activity links "
            f"before the call: <{section_link}|this week's section>")
