"""Content edits: the insert/delete primitives every request shares, and insertText, deleteContentRange, replaceAllText."""

from __future__ import annotations

import re
from typing import Any

from service.emulator.errors import unmodelled
from service.emulator.ids import IdSource

from .named_ranges import shift_for_delete, shift_for_insert
from .paragraphs import Block, Paragraph, Run, Style
from .requests import RequestContext, Where
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


def insert_runs(where: Where, index: int, runs: list[Run], ids: IdSource) -> None:
    """Insert runs (text and atoms; a text run may hold "\\n"s) at a validated index of a paragraph.

    Paragraph style AND bullet of new paragraphs are copied from the paragraph at the
    insertion point (DOCS-DD InsertTextRequest.text).
    """
    segment = where.segment
    number, offset = segment.locate(index)
    para = segment.items[number]
    assert isinstance(para, Paragraph)
    # Split the new runs into paragraphs at each "\n".
    lines: list[list[Run]] = [[]]
    for run in runs:
        if run.kind is not None or "\n" not in run.text:
            lines[-1].append(run)
            continue
        pieces = run.text.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                lines[-1].append(Run("\n", without_link(run.style), extra=run.extra))
                lines.append([])
            lines[-1].append(Run(piece, run.style, extra=run.extra))
    head, tail = para.slice(0, offset), para.slice(offset, para.length)
    if len(lines) == 1:
        segment.put(number, Paragraph.joined(head, lines[0], tail, para.style, para.bullet, para.extra))
    else:
        new: list[Paragraph] = []
        for k, line in enumerate(lines[:-1]):
            new.append(Paragraph.joined(head if k == 0 else [], line, [], _split_style(para.style, ids), para.bullet, para.extra))
        new.append(Paragraph.joined([], lines[-1], tail, para.style, para.bullet, para.extra))
        segment.splice(number, number + 1, new)
    shift_for_insert(where.tab.named_ranges, where.segment_id, index, sum(len(r.text) for r in runs))


def inherited_style(where: Where, index: int) -> Style:
    """The text style new text at `index` takes: that of the character just before it.

    The worst case the documentation allows ("in most cases ... the text immediately before"),
    links and bold included, so clients must reset styles explicitly. Choice where Google is
    silent: at the start of a paragraph the character before belongs to another paragraph, so
    the paragraph's own first character is used instead (what the editor UI does).
    """
    number, offset = where.segment.locate(index)
    para = where.segment.items[number]
    assert isinstance(para, Paragraph)
    return para.style_at(offset - 1 if offset > 0 else 0)


def insert_units(where: Where, index: int, units: str, ids: IdSource, style: Style | None = None) -> None:
    """Insert a unit string at a validated index, styled as inherited_style() unless `style` is given."""
    insert_runs(where, index, [Run(units, inherited_style(where, index) if style is None else style)], ids)


def delete_units(ctx: RequestContext, where: Where, start: int, end: int) -> None:
    """Delete a validated range [start, end) that stops before the segment's final newline.

    Deleting across paragraphs merges them. The merged paragraph keeps the FIRST
    paragraph's style and bullet (UNCONFIRMED, as the UI's backspace does), except
    when the range starts at a paragraph's start: then nothing of the first paragraph
    survives, and the surviving (last) paragraph keeps its own style (choice: deleting
    whole paragraphs must not restyle the next one, as with Docs' paragraph marks).
    Whole tables, tables of contents and section breaks inside the range go with it; a
    range that cuts one, or deletes the newline just before one, is refused (DOCS-DD).
    """
    segment = where.segment
    first, a = segment.locate(start)
    last, b = segment.locate(end)
    p_first, p_last = segment.items[first], segment.items[last]
    for item, offset in ((p_first, a), (p_last, b)):
        if isinstance(item, Block) and offset:
            raise unmodelled(f"deleteContentRange inside a {item.kind}")
    if isinstance(p_last, Block):
        raise ctx.error(f"Invalid deletion range. Cannot delete the requested range: it would delete the "
                        f"newline before a {p_last.kind} without deleting the {p_last.kind}.")
    for para, offset in ((p_first, a), (p_last, b)):
        if isinstance(para, Paragraph) and para.atom_at(offset) is not None:
            raise ctx.error("The range cannot start or end inside an element that cannot be split.")
    assert isinstance(p_last, Paragraph)
    if isinstance(p_first, Block):
        merged = Paragraph.joined([], [], p_last.slice(b, p_last.length), p_last.style, p_last.bullet, p_last.extra)
    else:
        keep = p_last if (first != last and a == 0) else p_first
        merged = Paragraph.joined(p_first.slice(0, a), [], p_last.slice(b, p_last.length), keep.style, keep.bullet, keep.extra)
    if first == last:
        segment.put(first, merged)
    else:
        segment.splice(first, last + 1, [merged])
    shift_for_delete(where.tab.named_ranges, where.segment_id, start, end)


def insert_text(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    ctx.check_keys(req, {"text", "location", "endOfSegmentLocation"})
    where, index = ctx.insertion(req)
    text = req.get("text", "")
    if not isinstance(text, str):
        raise ctx.error("text must be a string.")
    units = to_units(sanitise(text))
    if not units:
        # Google refuses an empty insertText (UNCONFIRMED wording); text that is empty only after
        # stripping the characters Google drops is refused the same way (choice).
        raise ctx.error("The text to insert must not be empty.")
    insert_units(where, past_cluster(where, index), units, ctx.ids)
    return {}


def past_cluster(where: Any, index: int) -> int:
    """Where an insertion at `index` lands: Google moves an insertion point that falls inside a
    grapheme cluster (a surrogate pair, an emoji ZWJ sequence, a base + combining marks) to just
    after the cluster (RULES), for text and for every inserted element alike (a page break, a chip)
    — never between the halves of a surrogate pair. See text.is_cluster_boundary for what is modelled."""
    number, offset = where.segment.locate(index)
    para = where.segment.items[number]
    assert isinstance(para, Paragraph)
    return index + cluster_end(para.text, offset) - offset


def delete_content_range(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    ctx.check_keys(req, {"range"})
    where, start, end = ctx.range(req.get("range"), allow_final_newline=False)
    for index in (start, end):
        if where.segment.splits_pair(index):
            # Refusal documented (DOCS-DD DeleteContentRangeRequest); wording UNCONFIRMED.
            raise ctx.error(f"The range cannot start or end inside a surrogate pair (index {index}).")
    delete_units(ctx, where, start, end)
    return {}


def replace_all_text(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """replaceAllText over the bodies of the tabs in tabsCriteria (all tabs when omitted).

    Choices: matches never span paragraphs or elements (a search text containing "\\n" matches
    nothing, nor text interrupted by a chip); the replacement takes the text style of the first
    replaced character; case-insensitive matching is Python's re.IGNORECASE (Google's folding
    rules are undocumented); searchByRegex is not modelled (501); headers, footers, footnotes
    and table cells are not searched (a divergence).
    """
    ctx.check_keys(req, {"containsText", "replaceText", "tabsCriteria"})
    tabs = ctx.tabs_criteria(req.get("tabsCriteria"))
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
    count = 0
    for tab in tabs:
        where = Where("", tab, "", tab.body)
        count += _replace_in(ctx, where, pattern, replacement)
    return {"replaceAllText": {"occurrencesChanged": count}} if count else {"replaceAllText": {}}


def _matches(para: Paragraph, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) unit offsets of the matches in each text run of `para` (never across runs' elements)."""
    found: list[tuple[int, int]] = []
    pos = 0
    text = para.text[:-1]
    # Atoms cut the text: a match may not run through a chip or a footnote reference.
    for piece in re.split("(\ue907+)", text):
        if piece and not piece.startswith("\ue907"):
            real = from_units(piece)
            cursor = units_at = 0
            for m in pattern.finditer(real):
                units_at += utf16_len(real[cursor : m.start()])
                length = utf16_len(m.group())
                if length:
                    found.append((pos + units_at, pos + units_at + length))
                units_at += length
                cursor = m.end()
        pos += len(piece)
    return found


def _replace_in(ctx: RequestContext, where: Where, pattern: re.Pattern[str], replacement: str) -> int:
    segment = where.segment
    matches = [(number, found) for number, para in segment.paragraphs() if (found := _matches(para, pattern))]
    starts = segment.starts()
    count = 0
    # Back to front, so earlier absolute indexes stay valid while later ones change.
    for number, found in reversed(matches):
        base = starts[number]
        count += len(found)
        para = segment.items[number]
        assert isinstance(para, Paragraph)
        if "\n" in replacement:
            for s, e in reversed(found):
                insert_units(where, base + e, replacement, ctx.ids, para.style_at(s))
                delete_units(ctx, where, base + s, base + e)
            continue
        cursor = 0
        runs: list[Run] = []
        for s, e in found:
            runs += para.slice(cursor, s) + [Run(replacement, para.style_at(s))]
            cursor = e
        runs += para.slice(cursor, para.length)
        for s, e in reversed(found):
            # Insert after the match, then delete it: a range ending at the match end
            # does not swallow the replacement (see named_ranges.shift_for_insert).
            shift_for_insert(where.tab.named_ranges, where.segment_id, base + e, len(replacement))
            shift_for_delete(where.tab.named_ranges, where.segment_id, base + s, base + e)
        segment.put(number, para.replace_runs(runs))
    return count
