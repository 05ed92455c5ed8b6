"""The 1:1's check-in, as Docket writes and reads it: the ratings and their chips, action-item status, and the career lines.

One place for each rule the week template and the reading of earlier weeks share: a rating's
label (the line starts with it, the answer follows its colon), its scale, its dropdown chip; the
action-item status chip and what counts as done; the career lines Docket writes (so what people
typed under "Career development and learning" can be told from them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- dropdown chips ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dropdown:
    """A dropdown definition Docket creates once per document (its ids: Docs' documented formats)."""

    id: str  # ^kix\.[a-zA-Z0-9_-]{2,14}$
    title: str
    options: tuple[tuple[str, str], ...]  # (optionId ^dropdownItem\.[a-zA-Z0-9_-]{2,14}$, displayValue); the first is the default

    def request(self) -> dict:
        """The createDropdownDefinition request (the tab is added by the section writer)."""
        return {"createDropdownDefinition": {"dropdownDefinition": {
            "dropdownDefinitionId": self.id,
            "dropdownDefinitionProperties": {"title": self.title, "options": [
                {"optionId": option, "displayValue": shown} for option, shown in self.options]}}}}


NO_ANSWER = "–"  # the first option: a new chip shows it until someone picks a value


def _scale(id_: str, title: str, low: int, high: int) -> Dropdown:
    return Dropdown(id_, title, (("dropdownItem.none", NO_ANSWER),
                                 *((f"dropdownItem.v{n}", str(n)) for n in range(low, high + 1))))


ONE_TO_FIVE = _scale("kix.dkt-1to5", "1 to 5", 1, 5)
ZERO_TO_TEN = _scale("kix.dkt-0to10", "0 to 10", 0, 10)
# Docs' own status chip presets.
STATUS = Dropdown("kix.dkt-status", "Status", (("dropdownItem.todo", "Not started"), ("dropdownItem.doing", "In progress"),
                                               ("dropdownItem.done", "Done")))
DROPDOWNS = (ONE_TO_FIVE, ZERO_TO_TEN, STATUS)


def option_id(dropdown: Dropdown, shown: str | None) -> str | None:
    """The option of `dropdown` displayed as `shown`, if any (to carry an item's status forward)."""
    return next((option for option, value in dropdown.options if value == shown), None)


# --- ratings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    key: str
    name: str  # "Mood"
    label: str  # how the template's line starts; the answer follows the line's first colon
    hint: str  # written after the label, before the colon
    low: int
    high: int
    dropdown: Dropdown
    drop_alert: int | None = None  # flag a fall of this much against the average of the weeks before
    rise_alert: int | None = None  # flag a rise of this much

    def read(self, line: str) -> int | None:
        """The answer on a check-in line of this rating: the first whole number after the colon, in scale.

        A chip shows its value as text, and people who type write a number; anything else, or a
        number outside the scale, is no answer (never guessed).
        """
        if not line.casefold().startswith(self.label.casefold()):
            return None
        _, colon, answer = line.partition(":")
        match = re.search(r"(?<![\d.])-?\d+(?![\d.])", answer) if colon else None
        if match is None:
            return None
        value = int(match.group())
        return value if self.low <= value <= self.high else None


RATINGS = (
    Rating("mood", "Mood", "Mood, 1 to 5", " (the scale is at the top of this doc)", 1, 5, ONE_TO_FIVE, drop_alert=2),
    Rating("stress", "Stress", "Stress, 0 to 10", "", 0, 10, ZERO_TO_TEN, rise_alert=3),
    Rating("happiness", "Happiness", "Happiness, 0 to 10", "", 0, 10, ZERO_TO_TEN),
)
TREND_WEEKS = 8
_SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(rating: Rating, values: list[int | None]) -> str:
    """One block per week, scaled to the rating's range (a space for a week with no answer)."""
    levels = min(len(_SPARKS), rating.high - rating.low + 1)
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        else:
            out.append(_SPARKS[round((value - rating.low) * (levels - 1) / (rating.high - rating.low))])
    return "".join(out)


def trend_line(rating: Rating, values: list[int | None]) -> str:
    """`Mood, last 8 weeks: 3 4 – 2 3 ▃▄ ▂▃`, with a flag when the latest answer moved far from the weeks before."""
    shown = " ".join(NO_ANSWER if v is None else str(v) for v in values)
    line = f"{rating.name}, last {len(values)} week{'s' if len(values) != 1 else ''}: {shown}  {sparkline(rating, values)}"
    latest, before = values[-1] if values else None, [v for v in values[:-1] if v is not None]
    if latest is None or not before:
        return line
    average = sum(before) / len(before)
    if rating.drop_alert is not None and average - latest >= rating.drop_alert:
        return f"{line}  ⚠ down {average - latest:.1f} from the average of the weeks before"
    if rating.rise_alert is not None and latest - average >= rating.rise_alert:
        return f"{line}  ⚠ up {latest - average:.1f} from the average of the weeks before"
    return line


# --- action items --------------------------------------------------------------------------------

ACTION_ITEMS = "Action items"
_DONE_PREFIX = re.compile(r"^\s*(?:\[x\]|✅|✓|✔|done\b)", re.IGNORECASE)
FROM_SUFFIX = re.compile(r"\s*\(from (\d{4}-\d{2}-\d{2})\)\s*$")


def done_by_text(text: str, struck: bool) -> bool:
    """A line without a status chip is done when all its text is struck through, or it starts with
    [x], ✅, ✓ or Done (any case)."""
    return struck or bool(_DONE_PREFIX.match(text))


# --- career development --------------------------------------------------------------------------

CAREER = "Career development and learning"
CAREER_WEEKS = 13  # "at least quarterly": after this many weeks without, the full block comes back
CAREER_NOTE = "Discussed at least quarterly; the full prompts come back in the first 1:1 of each quarter. Anything to note this week?"
CAREER_BLOCK_INTRO = "this quarter's career development conversation."
CAREER_PROMPTS = (
    "Career development and learning aspirations:",
    "Training plan that serves those aspirations and the team's skill gaps:",
    "Check-in points to review progress, and time set aside for Learning and Development:",
)
CAREER_LINK = "Career development: recommendations for managers"
CAREER_LAST = "Career development last discussed:"
CAREER_NEVER = "Career development: not yet discussed in this doc"
CAREER_OVERDUE = f"not discussed for {CAREER_WEEKS} weeks or more: this week's career development conversation."


def typed_under_career(line: str) -> bool:
    """Whether a line under "Career development and learning" holds something a person typed (not
    only Docket's own prompts; an answer after a prompt's colon counts)."""
    text = line.strip()
    if not text:
        return False
    for prompt in CAREER_PROMPTS:
        if text.startswith(prompt):
            return bool(text[len(prompt):].strip())
    ours = (CAREER_NOTE, CAREER_LINK, CAREER_LAST, CAREER_NEVER, CAREER_BLOCK_INTRO, CAREER_OVERDUE)
    return not any(text.startswith(p) or text.endswith(p) for p in ours)


def template_context() -> dict[str, object]:
    """What the week template reads of these rules (`check_in` in doc_templates/one_on_one/week.md)."""
    return {
        "ratings": [{"name": r.name, "label": r.label, "hint": r.hint, "dropdown": r.dropdown.id} for r in RATINGS],
        "status": STATUS.id,
        "career": {"intro": CAREER_BLOCK_INTRO, "prompts": list(CAREER_PROMPTS), "link": CAREER_LINK,
                   "note": CAREER_NOTE, "overdue": CAREER_OVERDUE},
    }
