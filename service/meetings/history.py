"""What a pair wrote in the earlier weeks of their own 1:1 doc: open action items, ratings, career conversations.

Read from the document as it is (one TEXT-depth read, made anyway to append the new week), never
written: nothing leaves the doc, and what people typed stays byte-identical. Sections written
before this feature, or edited beyond recognition, are read as far as they can be: a line that
cannot be parsed is skipped, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from service.google.outline import Block, Outline, Run
from service.render.literals import RichText
from service.meetings.check_in import (ACTION_ITEMS, CAREER, CAREER_LAST, CAREER_NEVER, CAREER_WEEKS, FROM_SUFFIX,
                                       RATINGS, STATUS, TREND_WEEKS, Rating, done_by_text, option_id, trend_line,
                                       typed_under_career)

_WEEK_KEY = re.compile(r"^docket\.week\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class CarriedItem:
    """An open action item of the latest earlier week, to copy forward."""

    runs: tuple[tuple[str, str | None], ...]  # (text, link) pieces, the item's own text without any "(from …)"
    since: date  # the week it first appeared
    status: str | None  # its status chip's value ("In progress"), None without a chip

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


@dataclass(frozen=True)
class History:
    weeks: tuple[date, ...]  # the earlier sections, oldest first
    ratings: dict[str, list[int | None]]  # rating key -> the last TREND_WEEKS weeks' answers, oldest first
    carried: tuple[CarriedItem, ...]
    career_last: date | None  # the last week anything was typed under "Career development and learning"


EMPTY_HISTORY = History((), {r.key: [] for r in RATINGS}, (), None)


def earlier_weeks(outline: Outline, before: date) -> list[tuple[date, str]]:
    """The doc's week sections dated before `before`, oldest first, with their named-range keys."""
    found = []
    for name in outline.named_ranges:
        match = _WEEK_KEY.match(name)
        if match:
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                continue
            if day < before:
                found.append((day, name))
    return sorted(found)


def _parts(paragraphs: Sequence[Block]) -> dict[str, list[Block]]:
    """A section's paragraphs grouped under their subheadings (by heading text; the part before any: "")."""
    parts: dict[str, list[Block]] = {"": []}
    current = ""
    for block in paragraphs[1:]:  # the first paragraph is the section's own heading
        if block.is_heading:
            current = block.text.strip()
            parts.setdefault(current, [])
        else:
            parts[current].append(block)
    return parts


def _ratings(lines: Sequence[Block], rating: Rating) -> int | None:
    for block in lines:
        value = rating.read(block.text.strip())
        if value is not None:
            return value
    return None


def _items(lines: Sequence[Block], week: date) -> Iterator[CarriedItem]:
    """The open items of a week's "Action items" list (list paragraphs only; empty ones skipped)."""
    for block in lines:
        if block.list_id is None:
            continue
        runs = [r for r in block.runs if r.text.strip("\n")]
        status = runs[0].text.strip() if runs and runs[0].chip == "dropdown" else None
        words = [r for r in runs if r.chip is None]
        text = "".join(r.text for r in words).rstrip("\n")
        if not text.strip():
            continue
        if status is not None:
            if status == STATUS.options[-1][1]:  # "Done"
                continue
        elif done_by_text(text, all(r.struck for r in words if r.text.strip())):
            continue
        yield _carried(words, week, status)


def _carried(words: Sequence[Run], week: date, status: str | None) -> CarriedItem:
    pieces = [(r.text.rstrip("\n"), r.link) for r in words]
    text = "".join(t for t, _ in pieces)
    since = week
    suffix = FROM_SUFFIX.search(text)
    if suffix:
        try:
            since = date.fromisoformat(suffix.group(1))
        except ValueError:
            pass
        # Cut the suffix off the last pieces: an item carried twice keeps its first date, once.
        cut = len(text) - suffix.start()
        while cut and pieces:
            last_text, link = pieces[-1]
            if len(last_text) <= cut:
                cut -= len(last_text)
                pieces.pop()
            else:
                pieces[-1] = (last_text[: len(last_text) - cut], link)
                cut = 0
    pieces = [(t, link) for t, link in pieces if t]
    if pieces:  # a leading space typed after the chip is not part of the item
        pieces[0] = (pieces[0][0].lstrip(), pieces[0][1])
        pieces[-1] = (pieces[-1][0].rstrip(), pieces[-1][1])
    return CarriedItem(tuple((t, link) for t, link in pieces if t), since, status)


def read_history(outline: Outline, before: date) -> History:
    """The earlier weeks of a 1:1 doc read at TEXT depth, as far as they can be read."""
    weeks = earlier_weeks(outline, before)
    recent = weeks[-TREND_WEEKS:]
    ratings: dict[str, list[int | None]] = {r.key: [] for r in RATINGS}
    career_last: date | None = None
    carried: tuple[CarriedItem, ...] = ()
    for index, (day, key) in enumerate(weeks):
        parts = _parts(list(outline.paragraphs_in(key)))
        if any(typed_under_career(block.text) for block in parts.get(CAREER, [])):
            career_last = day
        if (day, key) in recent:
            check_in = parts.get("Opening check-in", [])
            for rating in RATINGS:
                ratings[rating.key].append(_ratings(check_in, rating))
        if index == len(weeks) - 1:
            carried = tuple(_items(parts.get(ACTION_ITEMS, []), day))
    return History(tuple(day for day, _ in weeks), ratings, carried, career_last)


def week_context(history: History, meeting: date, first_of_quarter: bool) -> dict[str, object]:
    """What the new week's template shows of the earlier weeks (`history` in doc_templates/one_on_one/week.md)."""
    trends = [trend_line(r, history.ratings[r.key]) for r in RATINGS] if history.weeks else []
    carried = [{"text": RichText(item.runs), "since": item.since.isoformat(), "status": option_id(STATUS, item.status)}
               for item in history.carried]
    if history.career_last is not None:
        weeks = (meeting - history.career_last).days // 7
        line = f"{CAREER_LAST} {history.career_last.isoformat()} ({weeks} week{'s' if weeks != 1 else ''} ago)"
        overdue = weeks >= CAREER_WEEKS
    else:
        line = CAREER_NEVER
        overdue = bool(history.weeks) and (meeting - history.weeks[0]).days // 7 >= CAREER_WEEKS
    return {"trends": trends, "carried": carried, "career_line": line, "career_block": first_of_quarter or overdue}
