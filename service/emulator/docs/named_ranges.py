"""Named ranges: the model, how they move with edits, and their NamedRanges form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """One range of a named range: [start, end) of one segment ("" is the tab's body)."""

    segment_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class NamedRange:
    """A named range of one tab: its id, name and ranges (createNamedRange makes one; captures may hold several)."""

    named_range_id: str
    name: str
    spans: tuple[Span, ...]


def _moved_for_insert(span: Span, index: int, length: int) -> Span:
    """Google documents only that content inserted inside a range grows it; the boundary cases
    are undocumented, so these are choices:
    - insertion before the range, or exactly AT its start, shifts it (the new text lands before
      the range; a section's anchor does not swallow text written just before it);
    - insertion strictly inside grows it;
    - insertion exactly AT its end does not grow it (text appended right after a section is not
      part of it).
    """
    if index <= span.start:
        return Span(span.segment_id, span.start + length, span.end + length)
    if index < span.end:
        return Span(span.segment_id, span.start, span.end + length)
    return span


def shift_for_insert(ranges: dict[str, NamedRange], segment_id: str, index: int, length: int) -> None:
    """Move the named ranges of one tab for `length` units inserted at `index` of `segment_id`."""
    for key, nr in ranges.items():
        spans = tuple(_moved_for_insert(s, index, length) if s.segment_id == segment_id else s for s in nr.spans)
        if spans != nr.spans:
            ranges[key] = NamedRange(nr.named_range_id, nr.name, spans)


def shift_for_delete(ranges: dict[str, NamedRange], segment_id: str, start: int, end: int) -> None:
    """Shrink/move named ranges for the deletion of [start, end) of `segment_id`.

    A range whose content is deleted entirely is dropped, and a named range left without ranges
    with it (choice: Google keeps no zero-length ranges visible through the API as far as is
    known; UNCONFIRMED).
    """
    removed = end - start

    def moved(index: int) -> int:
        if index <= start:
            return index
        if index <= end:
            return start
        return index - removed

    for key in list(ranges):
        nr = ranges[key]
        if not any(s.segment_id == segment_id and s.end > start for s in nr.spans):
            continue
        spans = []
        for s in nr.spans:
            if s.segment_id != segment_id:
                spans.append(s)
                continue
            new = Span(segment_id, moved(s.start), moved(s.end))
            if new.start < new.end:
                spans.append(new)
        if not spans:
            del ranges[key]
        else:
            ranges[key] = NamedRange(nr.named_range_id, nr.name, tuple(spans))


def drop_segment(ranges: dict[str, NamedRange], segment_id: str) -> None:
    """A header, footer or footnote was deleted: its ranges go with it."""
    shift_for_delete(ranges, segment_id, 0, 1 << 40)


def named_ranges_resource(ranges: dict[str, NamedRange], tab_id: str | None) -> dict[str, Any]:
    """Document.namedRanges / DocumentTab.namedRanges: {name: {name, namedRanges: [...]}}.

    In the tabs form every range names its tab (`tabId`); legacy reads omit it (tab_id None).
    """
    out: dict[str, Any] = {}
    for nr in ranges.values():
        group = out.setdefault(nr.name, {"name": nr.name, "namedRanges": []})
        spans = []
        for s in nr.spans:
            span: dict[str, Any] = {}
            if s.segment_id:
                span["segmentId"] = s.segment_id
            if s.start:
                span["startIndex"] = s.start
            span["endIndex"] = s.end
            if tab_id is not None:
                span["tabId"] = tab_id
            spans.append(span)
        group["namedRanges"].append({"namedRangeId": nr.named_range_id, "name": nr.name, "ranges": spans})
    return out
