"""Parsing and validation shared by every batchUpdate sub-request: keys, tabs, segments, locations, ranges, field masks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from service.emulator.docs.errors import invalid_request
from service.emulator.errors import ApiError, unmodelled
from service.emulator.ids import IdSource

from .paragraphs import Block, Paragraph
from .segment import Segment
from .tab import DocumentTab, Tab, find, walk


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


@dataclass(frozen=True)
class Where:
    """The tab and segment a Location / Range / EndOfSegmentLocation names."""

    tab_id: str
    tab: DocumentTab
    segment_id: str
    segment: Segment


@dataclass
class RequestContext:
    """One sub-request being applied: its position (for error messages), the working tabs, the id source."""

    index: int
    kind: str
    tabs: list[Tab]
    ids: IdSource

    def error(self, detail: str) -> ApiError:
        return invalid_request(self.index, self.kind, detail)

    def check_keys(self, obj: Any, allowed: Iterable[str], where: str = "") -> None:
        """Refuse unknown JSON fields the way Google's JSON parser does (400), and non-objects."""
        path = f"requests[{self.index}].{snake(self.kind)}" + (f".{snake(where)}" if where else "")
        if not isinstance(obj, dict):
            raise ApiError(400, f"Invalid JSON payload received. Expected an object at '{path}'.")
        allowed = set(allowed)
        for key in obj:
            if key not in allowed:
                raise ApiError(
                    400, f"Invalid JSON payload received. Unknown name \"{key}\" at '{path}': Cannot find field."
                )

    # -- tabs and segments ---------------------------------------------------------------

    def tab(self, tab_id: Any) -> tuple[str, DocumentTab]:
        """The tab named by `tab_id`; omitted or empty means the first tab (DOCS-DD Location.tabId)."""
        if not tab_id:
            first = self.tabs[0]
            return first.tab_id, first.content
        found = find(self.tabs, str(tab_id))
        if found is None:
            # A tabId naming no tab is a 400 (DOCS-DD); the wording is UNCONFIRMED.
            raise self.error(f"The tab with ID '{tab_id}' was not found.")
        return found[0].tab_id, found[0].content

    def where(self, obj: dict[str, Any]) -> Where:
        tab_id, tab = self.tab(obj.get("tabId"))
        segment_id = obj.get("segmentId") or ""
        segment = tab.segment(segment_id)
        if segment is None:
            # An unknown header/footer/footnote id is a 400; the wording is UNCONFIRMED.
            raise self.error(f"The segment with ID '{segment_id}' was not found in tab '{tab_id}'.")
        return Where(tab_id, tab, segment_id, segment)

    def tabs_criteria(self, criteria: Any) -> list[DocumentTab]:
        """The tabs a TabsCriteria names; omitted means every tab (DOCS-DD ReplaceAllTextRequest)."""
        if criteria is None:
            return [tab.content for tab, _, _, _ in walk(self.tabs)]
        self.check_keys(criteria, {"tabIds"}, "tabsCriteria")
        ids = criteria.get("tabIds") or []
        if not ids:
            return [tab.content for tab, _, _, _ in walk(self.tabs)]
        return [self.tab(tab_id)[1] for tab_id in ids]

    # -- indexes -----------------------------------------------------------------------

    def _integer(self, value: Any, name: str) -> int:
        if value is None:
            return 0  # proto3: an absent integer is 0
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
                return int(value)  # JSON int32 may arrive as a string
            raise ApiError(400, f"Invalid value at 'requests[{self.index}].{snake(self.kind)}.{name}', expected an integer.")
        return value

    def insertion(self, req: dict[str, Any], *, body_only: bool = False) -> tuple[Where, int]:
        """The place named by `location` or `endOfSegmentLocation`, validated to fall inside a paragraph."""
        location, end_of_segment = req.get("location"), req.get("endOfSegmentLocation")
        if (location is None) == (end_of_segment is None):
            raise self.error("Exactly one of location or endOfSegmentLocation must be specified.")
        if end_of_segment is not None:
            self.check_keys(end_of_segment, {"segmentId", "tabId"}, "endOfSegmentLocation")
            where = self.where(end_of_segment)
            self._check_body_only(where, body_only)
            return where, where.segment.end - 1  # "immediately before the last newline in the document segment"
        self.check_keys(location, {"index", "segmentId", "tabId"}, "location")
        where = self.where(location)
        self._check_body_only(where, body_only)
        index = self._integer(location.get("index"), "location.index")
        segment = where.segment
        outside = ("The insertion index must be inside the bounds of an existing paragraph. "
                   "You can still create new paragraphs by inserting newlines.")  # observed wording
        if index < segment.first_index:
            raise self.error(outside)
        end = segment.end
        if index >= end:
            # Observed wording (third-party), google-apis.md §2.2.
            raise self.error(f"Index {index} must be less than the end index of the referenced segment, {end}.")
        number, offset = segment.locate(index)
        item = segment.items[number]
        if isinstance(item, Block):
            if offset == 0:
                raise self.error(outside)  # e.g. a table's start index (DOCS-DD InsertTextRequest)
            raise unmodelled(f"{self.kind} inside a {item.kind}")
        if item.atom_at(offset) is not None:
            raise self.error(f"Index {index} is inside an element that cannot be split.")  # UNCONFIRMED wording
        return where, index

    def _check_body_only(self, where: Where, body_only: bool) -> None:
        if body_only and where.segment_id:
            raise self.error(f"{self.kind} can only be used in the body of a document.")

    def range(self, rng: Any, *, allow_final_newline: bool) -> tuple[Where, int, int]:
        """[startIndex, endIndex) of a Range, validated against its segment.

        Empty ranges are refused for every request type (choice: Google's behaviour for
        empty style ranges is undocumented; for deletes it is a 400).
        """
        if rng is None:
            raise self.error("The range must be specified.")
        self.check_keys(rng, {"startIndex", "endIndex", "segmentId", "tabId"}, "range")
        where = self.where(rng)
        start = self._integer(rng.get("startIndex"), "range.startIndex")
        end = self._integer(rng.get("endIndex"), "range.endIndex")
        if start > end:
            raise self.error(f"The start index {start} must be less than the end index {end}.")
        if start == end:
            raise self.error("The range should not be empty.")
        if start < where.segment.first_index:
            # UNCONFIRMED wording; index 0 of a body is the section break, which no modelled request may touch.
            raise self.error("Cannot operate on the first section break in the document.")
        seg_end = where.segment.end
        if end > seg_end:
            # Wording modelled on the observed insertText message (UNCONFIRMED for ranges).
            raise self.error(f"Index {end - 1} must be less than the end index of the referenced segment, {seg_end}.")
        if end == seg_end and not allow_final_newline:
            # Observed wording (third-party), google-apis.md §2.3.
            raise self.error("The range cannot include the newline character at the end of the segment.")
        return where, start, end

    def paragraphs_in(self, where: Where, start: int, end: int) -> list[tuple[int, Paragraph]]:
        """The paragraphs [start, end) overlaps, for paragraph-level requests (styles, bullets).

        Not modelled: paragraphs inside tables and tables of contents (Google would reach them);
        a range overlapping one is answered 501 rather than half-applied.
        """
        out = []
        for number in where.segment.overlapping(start, end):
            item = where.segment.items[number]
            if isinstance(item, Paragraph):
                out.append((number, item))
            elif item.kind != "sectionBreak":
                raise unmodelled(f"{self.kind} over a {item.kind}")
        return out

    def fields(self, raw: Any, allowed: Iterable[str]) -> set[str]:
        """The top-level fields named by a FieldMask string; "*" means all of `allowed`."""
        allowed = set(allowed)
        if not isinstance(raw, str) or not raw.strip():
            raise self.error("At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)")
        names = {part.strip() for part in raw.split(",") if part.strip()}
        if "*" in names:
            return set(allowed)
        top: set[str] = set()
        for name in names:
            head = name.split(".", 1)[0]
            if head not in allowed:
                raise self.error(f"Invalid field mask: '{name}' is not a field of the style.")
            top.add(head)
        return top
