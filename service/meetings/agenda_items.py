"""Agenda items: their kinds, validation, wording, and the requests that add one paragraph to a week's item list.

An item is written without templates: one plain paragraph, its inherited styles reset, joined
to the list it follows. Every item carries a named range `docket.item.<id>` in each doc it is
written to, so an add that is retried (or raced) is applied exactly once: the planner sees the
range and does nothing.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from service.errors import ValidationError
from service.google.outline import Block, Outline
from service.render.blocks import utf16_len
from service.render.requests import BULLET_PRESETS, PARAGRAPH_RESET_FIELDS, TEXT_RESET_FIELDS

ITEM_KINDS = ("discussion", "fyi", "confidential")
# Characters, as a person counts them (code points). An agenda item is a line in a meeting
# agenda, not a memo; 1000 leaves room for a few sentences and a link, and keeps one batch small.
MAX_ITEM_LENGTH = 1000
ITEM_PRESET = BULLET_PRESETS["number"]  # the agenda list of the week templates is a numbered list

_ITEM_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# "FYI", "fyi:", "FYI -", "[FYI]" … at the start: stripped so the prefix appears exactly once.
_FYI_PREFIX = re.compile(r"^\s*(?:\[\s*fyi\s*\]|\(\s*fyi\s*\)|fyi\b)\s*[:\-–—]?\s*", re.IGNORECASE)
# Control (Cc), format (Cf) except joiners, private use (Co), surrogates (Cs), line/paragraph
# separators (Zl, Zp): Docs strips or splits on them, so they would silently change the item.
_REFUSED_CATEGORIES = {"Cc", "Co", "Cs", "Zl", "Zp"}
_ALLOWED_FORMAT = {"\u200d", "\u200c", "\ufe0f", "\ufe0e"}  # joiners and variation selectors (emoji)


@dataclass(frozen=True)
class ItemOutcome:
    """What add_item did. `url` is the agenda section's heading, for every kind (the add-on lives
    in the agenda; a confidential item's entry is in the confidential doc's section of that week).
    `created` is False when the item was already fully in place (a repeated item_id)."""

    item_id: str
    kind: str
    url: str
    created: bool

    @property
    def document_id(self) -> str:
        """The agenda doc's id, from the url (https://docs.google.com/document/d/<id>/edit#heading=…)."""
        return self.url.split("/document/d/", 1)[1].split("/", 1)[0]


@dataclass(frozen=True)
class ItemRequest:
    """A validated request to add an item (the text is never part of any message)."""

    author: str
    text: str
    kind: str
    item_id: str


def new_item_id() -> str:
    return secrets.token_hex(8)


def validate(*, author: str, text: str, kind: str, item_id: str | None) -> ItemRequest:
    """Check everything about an item before anything is read or written.

    Messages describe the problem by position and code point, never by quoting the text.
    """
    if kind not in ITEM_KINDS:
        raise ValidationError("kind", f"must be one of {', '.join(ITEM_KINDS)}")
    if not isinstance(text, str):
        raise ValidationError("text", "must be a string")
    stripped = text.strip()
    if not stripped:
        raise ValidationError("text", "must not be empty")
    if len(stripped) > MAX_ITEM_LENGTH:
        raise ValidationError("text", f"is {len(stripped)} characters long; the limit is {MAX_ITEM_LENGTH}")
    for position, char in enumerate(stripped, start=1):
        category = unicodedata.category(char)
        if category in _REFUSED_CATEGORIES or (category == "Cf" and char not in _ALLOWED_FORMAT):
            what = "line breaks and tabs" if char in "\n\r\t\v\f\u2028\u2029" else "control or invisible characters"
            raise ValidationError("text", f"must be one line without {what} (U+{ord(char):04X} at character {position})")
    if kind == "fyi":
        stripped = strip_fyi_prefix(stripped)
        if not stripped:
            raise ValidationError("text", "must say something after the FYI prefix")
    if item_id is None:
        item_id = new_item_id()
    elif not isinstance(item_id, str) or not _ITEM_ID.match(item_id):
        raise ValidationError("item_id", "must be 1–64 letters, digits, '-' or '_'")
    if not isinstance(author, str) or "@" not in author:
        raise ValidationError("author", "must be an email address")
    return ItemRequest(author.strip().lower(), stripped, kind, item_id)


def strip_fyi_prefix(text: str) -> str:
    """The text without a leading FYI marker a person typed: Docket adds its own, exactly once."""
    return _FYI_PREFIX.sub("", text, count=1).strip()


def item_key(item_id: str) -> str:
    return f"docket.item.{item_id}"


def author_keys(item_id: str, author: str) -> tuple[str, ...]:
    """Names a confidential entry's author inside the confidential doc, so a missing agenda
    placeholder can be restored with the author's name without reading the entry's text.
    None when the name would pass Docs' 256-unit limit (a very long address): the restored
    placeholder then says "a leadership member"."""
    name = f"docket.author.{item_id}.{author}"
    return (name,) if utf16_len(name) <= 256 else ()


def parse_author_key(name: str) -> tuple[str, str] | None:
    match = re.match(r"^docket\.author\.([A-Za-z0-9_-]{1,64})\.(.+@.+)$", name)
    return (match.group(1), match.group(2)) if match else None


# --- wording -----------------------------------------------------------------------------------


def agenda_line(kind: str, text: str, author_name: str) -> str:
    """The agenda paragraph of a discussion or FYI item (FYI items: prefixed exactly once)."""
    prefix = "FYI: " if kind == "fyi" else ""
    return f"{prefix}{text} — {author_name}"


def placeholder_line(author_name: str) -> str:
    """The agenda's note of a confidential item: who raised one, never what it is."""
    return f"Confidential item — {author_name} — see the confidential doc"


def confidential_line(text: str, author_name: str, stamp: str) -> str:
    return f"{text} — {author_name}, {stamp}"


# --- planning ----------------------------------------------------------------------------------


def _block_containing(outline: Outline, index: int) -> Block | None:
    return next((b for b in outline.blocks if b.start <= index < b.end and b.is_paragraph), None)


@dataclass(frozen=True)
class ItemLine:
    """An item to write into a week's list: its named-range key, its line, and any extra keys."""

    key: str
    line: str
    extra_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedItems:
    """The requests adding some items, and for each item written whether it filled a blank paragraph
    (True) or was split off the end of the list's last paragraph (False) — what undoing it needs."""

    requests: list[dict]
    filled: dict[str, bool]


def plan_items(outline: Outline, *, list_key: str, section_key: str, items: Sequence[ItemLine]) -> PlannedItems | None:
    """Requests adding each item not there yet as the last items of the list named `list_key`, in order.

    The list's named range starts at its heading and ends after its last item. If that last
    paragraph is empty (the template's blank item, or one a person left), the first item fills it;
    otherwise a new paragraph is split off the end of the last one, which keeps the last
    paragraph's text where it is and puts the item after everything already in the list, so
    items appear in the order they arrived. If people deleted the list, the items go at the end
    of the week's section and a new list range is started there. None: nothing to add, or the
    section vanished after it was ensured (the caller re-ensures).
    """
    todo = [item for item in items if not outline.has(item.key)]
    if not todo:
        return None
    span = outline.range_of(list_key)
    recreate_list = span is None
    if span is None:
        span = outline.range_of(section_key)
        if span is None:
            return None
    last = _block_containing(outline, span[1] - 1)
    if last is None:
        return None
    return items_requests(last_start=last.start, last_end=last.end, list_start=span[0], items=todo,
                          list_key=list_key if recreate_list else None)


def items_requests(*, last_start: int, last_end: int, list_start: int, items: Sequence[ItemLine],
                   list_key: str | None = None) -> PlannedItems:
    """Requests adding `items` one after the other at the end of a list whose last paragraph is [last_start, last_end).

    `list_key` is given only when the list's own range is gone and must be started again here.
    """
    requests: list[dict] = []
    filled: dict[str, bool] = {}
    for item in items:
        more, filled[item.key], (last_start, last_end) = _item_requests(
            last_start=last_start, last_end=last_end, list_start=list_start, item=item, list_key=list_key)
        requests += more
        list_key = None  # started again by the first item, if it had to be
    return PlannedItems(requests, filled)


def _item_requests(*, last_start: int, last_end: int, list_start: int, item: ItemLine,
                   list_key: str | None) -> tuple[list[dict], bool, tuple[int, int]]:
    """One item after (or into, when blank) the paragraph [last_start, last_end): its requests,
    whether it filled that blank paragraph, and the item's own paragraph (the list's new last)."""
    key, line, extra_keys = item.key, item.line, item.extra_keys
    recreate_list = list_key is not None
    length = utf16_len(line)
    requests: list[dict] = []
    # Fill a blank last item, but never a blank paragraph of another list (when the list range is gone).
    fill = last_end - last_start <= 1 and last_start > list_start and not recreate_list
    if fill:
        start = last_start
        requests.append({"insertText": {"location": {"index": start}, "text": line}})
    else:
        start = last_end
        requests.append({"insertText": {"location": {"index": last_end - 1}, "text": "\n" + line}})
    paragraph = {"startIndex": start, "endIndex": start + length + 1}
    text_range = {"startIndex": start, "endIndex": start + length}
    requests += [
        # Same order as the renderer: bullets off, paragraph reset, text reset, then the bullet,
        # which joins the list of the item before (same preset) — Docket's or a person's.
        {"deleteParagraphBullets": {"range": paragraph}},
        {"updateParagraphStyle": {"range": paragraph, "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                                  "fields": PARAGRAPH_RESET_FIELDS}},
        {"updateTextStyle": {"range": text_range, "textStyle": {}, "fields": TEXT_RESET_FIELDS}},
        {"createParagraphBullets": {"range": paragraph, "bulletPreset": ITEM_PRESET}},
        # The item's range covers its text only: a later item split off at its end does not grow it.
        {"createNamedRange": {"name": key, "range": text_range}},
    ]
    requests += [{"createNamedRange": {"name": extra, "range": text_range}} for extra in extra_keys]
    if recreate_list:
        requests.append({"createNamedRange": {"name": list_key, "range": paragraph}})
    return requests, fill, (start, start + length + 1)


def withdraw_requests(outline: Outline, item: ItemLine, filled: bool) -> list[dict] | None:
    """Requests removing an item this process just wrote, leaving the list as it was before it (None: gone already).

    A filled blank paragraph becomes blank again; a split-off paragraph is joined back (its
    newline and text deleted). Its named ranges go first, explicitly.
    """
    span = outline.range_of(item.key)
    if span is None:
        return None
    start, end = span
    requests: list[dict] = [{"deleteNamedRange": {"name": name}} for name in (item.key, *item.extra_keys)
                            if outline.has(name)]
    if end > start:
        requests.append({"deleteContentRange": {"range": {"startIndex": start if filled else start - 1, "endIndex": end}}})
    return requests


def items_within(outline: Outline, section_key: str) -> list[str]:
    """Ids of the items whose ranges lie inside a section."""
    span = outline.range_of(section_key)
    if span is None:
        return []
    found = []
    for name, ranges in outline.named_ranges.items():
        if name.startswith("docket.item.") and ranges and span[0] <= min(r[0] for r in ranges) < span[1]:
            found.append(name.removeprefix("docket.item."))
    return found
