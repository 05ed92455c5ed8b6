"""Text edits: the insert/delete primitives and the insertText, deleteContentRange and replaceAllText requests."""

from __future__ import annotations

import re
from typing import Any

from service.emulator.errors import unmodelled
from service.emulator.ids import IdSource

from .named_ranges import shift_for_delete, shift_for_insert
from .paragraphs import Paragraph, Run, Style
from .requests import RequestContext
from .tab import DocumentTab
from .text import cluster_end, from_units, sanitise, to_units, utf16_len


def without_link(style: Style) -> Style:
    """Links are never set on newline characters (DOCS-DD TextStyle.link)."""
    if "link" not in style:
        return style
    return {k: v for k, v in style.items() if k != "link"}


def _split_style(style: Style, ids: IdSource) -> Style:
    """Paragraph style for a paragraph split off a heading by an inserted "\\n".

    Choice (Google is silent): the paragraph that keeps the ORIGINAL terminating
    newline keeps the headingId (so links to the heading follow the existing text's
    end); every paragraph created by the split gets a fresh id, as headings never
    share ids.
    """
    if "headingId" not in style:
        return style
    return {**style, "headingId": ids.heading_id()}


def insert_units(tab: DocumentTab, index: int, units: str, ids: IdSource, style: Style | None = None) -> None:
    """Insert a unit string at a validated body index.

    Paragraph style AND bullet of new paragraphs are copied from the paragraph at the
    insertion point (DOCS-DD InsertTextRequest.text). Text style, unless given, is the
    style of the character just before the index, links and bold included: the worst
    case the documentation allows ("in most cases ... the text immediately before"),
    so clients must reset styles explicitly. Choice where Google is silent: at the
    start of a paragraph the character before belongs to another paragraph, so the
    paragraph's own first character is used instead (what the editor UI does).
    """
    number, offset = tab.locate(index)
    para = tab.paragraphs[number]
    if style is None:
        style = para.style_at(offset - 1 if offset > 0 else 0)
    newline_style = without_link(style)
    pieces = units.split("\n")
    tail = para.slice(offset, para.length)
    if len(pieces) == 1:
        runs = para.slice(0, offset) + [Run(units, style)] + tail
        tab.put(number, Paragraph.make(runs, para.style, para.bullet))
    else:
        new: list[Paragraph] = []
        for k, piece in enumerate(pieces[:-1]):
            head = para.slice(0, offset) if k == 0 else []
            runs = head + [Run(piece, style), Run("\n", newline_style)]
            new.append(Paragraph.make(runs, _split_style(para.style, ids), para.bullet))
        new.append(Paragraph.make([Run(pieces[-1], style)] + tail, para.style, para.bullet))
        tab.splice(number, number + 1, new)
    shift_for_insert(tab.named_ranges, index, len(units))


def delete_units(tab: DocumentTab, start: int, end: int) -> None:
    """Delete a validated body range [start, end) that stops before the final newline.

    Deleting across paragraphs merges them. The merged paragraph keeps the FIRST
    paragraph's style and bullet (UNCONFIRMED, as the UI's backspace does), except
    when the range starts at a paragraph's start: then nothing of the first paragraph
    survives, and the surviving (last) paragraph keeps its own style (choice: deleting
    whole paragraphs must not restyle the next one, as with Docs' paragraph marks).
    """
    first, a = tab.locate(start)
    last, b = tab.locate(end)
    p_first, p_last = tab.paragraphs[first], tab.paragraphs[last]
    keep = p_last if (first != last and a == 0) else p_first
    runs = p_first.slice(0, a) + p_last.slice(b, p_last.length)
    merged = Paragraph.make(runs, keep.style, keep.bullet)
    if first == last:
        tab.put(first, merged)
    else:
        tab.splice(first, last + 1, [merged])
    shift_for_delete(tab.named_ranges, start, end)


def insert_text(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    ctx.check_keys(req, {"text", "location", "endOfSegmentLocation"})
    index = ctx.insertion_index(req)
    text = req.get("text", "")
    if not isinstance(text, str):
        raise ctx.error("text must be a string.")
    units = to_units(sanitise(text))
    # Google moves an insertion point that falls inside a grapheme cluster (a
    # surrogate pair, an emoji ZWJ sequence, a base + combining marks) to just after
    # the cluster (RULES). See doc_text.is_cluster_boundary for what is modelled.
    number, offset = ctx.tab.locate(index)
    index += cluster_end(ctx.tab.paragraphs[number].text, offset) - offset
    if units:
        insert_units(ctx.tab, index, units, ctx.ids)
    # Choice: text that is empty (after stripping) is a no-op, not an error (undocumented).
    return {}


def delete_content_range(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    ctx.check_keys(req, {"range"})
    start, end = ctx.range(req.get("range"), allow_final_newline=False)
    for index in (start, end):
        if ctx.tab.splits_pair(index):
            # Refusal documented (DOCS-DD DeleteContentRangeRequest); wording UNCONFIRMED.
            raise ctx.error(f"The range cannot start or end inside a surrogate pair (index {index}).")
    delete_units(ctx.tab, start, end)
    return {}


def replace_all_text(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """replaceAllText over the body.

    Choices: matches never span paragraphs (a search text containing "\\n" matches
    nothing); the replacement takes the text style of the first replaced character;
    case-insensitive matching is Python's re.IGNORECASE (Google's folding rules are
    undocumented); searchByRegex is not modelled (501).
    """
    ctx.check_keys(req, {"containsText", "replaceText", "tabsCriteria"})
    ctx.check_tabs_criteria(req.get("tabsCriteria"))
    criteria = req.get("containsText")
    if criteria is None:
        raise ctx.error("containsText must be specified.")
    ctx.check_keys(criteria, {"text", "matchCase", "searchByRegex"}, "containsText")
    if criteria.get("searchByRegex"):
        raise unmodelled("replaceAllText with searchByRegex")
    needle = criteria.get("text") or ""
    if not isinstance(needle, str) or not needle:
        raise ctx.error("The text to search for must not be empty.")
    replacement = req.get("replaceText") or ""
    if not isinstance(replacement, str):  # the model is also driven without the schema check (faults, tests)
        raise ctx.error("replaceText must be a string.")
    replacement = to_units(sanitise(replacement))
    pattern = re.compile(re.escape(needle), 0 if criteria.get("matchCase") else re.IGNORECASE)

    tab = ctx.tab
    starts = tab.starts()
    matches: list[tuple[int, list[tuple[int, int]]]] = []  # (paragraph number, [(start, end) offsets])
    for number, para in enumerate(tab.paragraphs):
        real = from_units(para.text[:-1])
        found: list[tuple[int, int]] = []
        cursor = units_at = 0
        for m in pattern.finditer(real):
            units_at += utf16_len(real[cursor : m.start()])
            length = utf16_len(m.group())
            if length:
                found.append((units_at, units_at + length))
            units_at += length
            cursor = m.end()
        if found:
            matches.append((number, found))
    count = sum(len(found) for _, found in matches)

    # Back to front, so earlier absolute indexes stay valid while later ones change.
    for number, found in reversed(matches):
        base = starts[number]
        if "\n" in replacement:
            for s, e in reversed(found):
                style = tab.paragraphs[number].style_at(s)
                insert_units(tab, base + e, replacement, ctx.ids, style)
                delete_units(tab, base + s, base + e)
            continue
        para, cursor = tab.paragraphs[number], 0
        runs: list[Run] = []
        for s, e in found:
            runs += para.slice(cursor, s) + [Run(replacement, para.style_at(s))]
            cursor = e
        runs += para.slice(cursor, para.length)
        for s, e in reversed(found):
            # Insert after the match, then delete it: a range ending at the match end
            # does not swallow the replacement (see doc_named_ranges.shift_for_insert).
            shift_for_insert(tab.named_ranges, base + e, len(replacement))
            shift_for_delete(tab.named_ranges, base + s, base + e)
        tab.put(number, Paragraph.make(runs, para.style, para.bullet))
    return {"replaceAllText": {"occurrencesChanged": count}} if count else {"replaceAllText": {}}
