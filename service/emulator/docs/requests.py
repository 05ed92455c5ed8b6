"""Parsing and validation shared by every batchUpdate sub-request: keys, locations, ranges, field masks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from service.emulator.docs.errors import invalid_request
from service.emulator.errors import ApiError, unmodelled
from service.emulator.ids import IdSource

from .tab import FIRST_TAB_ID, DocumentTab


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


@dataclass
class RequestContext:
    """One sub-request being applied: its position (for error messages), the working tab, the id source."""

    index: int
    kind: str
    tab: DocumentTab
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

    def check_segment(self, obj: dict[str, Any]) -> None:
        """Only the body of the first tab is modelled."""
        segment_id = obj.get("segmentId") or ""
        if segment_id:
            raise unmodelled(f"documents.batchUpdate on headers, footers and footnotes (segmentId '{segment_id}')")
        tab_id = obj.get("tabId") or ""
        if tab_id and tab_id != FIRST_TAB_ID:
            # Google: a tabId that names no tab of the document is a 400. The emulator's
            # documents have exactly one tab, "t.0".
            raise self.error(f"The tab with ID '{tab_id}' was not found.")

    def check_tabs_criteria(self, criteria: Any) -> None:
        if criteria is None:
            return
        self.check_keys(criteria, {"tabIds"}, "tabsCriteria")
        for tab_id in criteria.get("tabIds") or []:
            if tab_id != FIRST_TAB_ID:
                raise self.error(f"The tab with ID '{tab_id}' was not found.")

    def _integer(self, value: Any, name: str) -> int:
        if value is None:
            return 0  # proto3: an absent integer is 0
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
                return int(value)  # JSON int32 may arrive as a string
            raise ApiError(400, f"Invalid value at 'requests[{self.index}].{snake(self.kind)}.{name}', expected an integer.")
        return value

    def insertion_index(self, req: dict[str, Any]) -> int:
        """The index named by `location` or `endOfSegmentLocation`, validated: 1 <= index < segment end."""
        location, end_of_segment = req.get("location"), req.get("endOfSegmentLocation")
        if (location is None) == (end_of_segment is None):
            raise self.error("Exactly one of location or endOfSegmentLocation must be specified.")
        if end_of_segment is not None:
            self.check_keys(end_of_segment, {"segmentId", "tabId"}, "endOfSegmentLocation")
            self.check_segment(end_of_segment)
            return self.tab.end - 1  # "immediately before the last newline in the document segment"
        self.check_keys(location, {"index", "segmentId", "tabId"}, "location")
        self.check_segment(location)
        index = self._integer(location.get("index"), "location.index")
        if index < 1:
            # Observed wording for inserting outside any paragraph (e.g. at the section break).
            raise self.error(
                "The insertion index must be inside the bounds of an existing paragraph. "
                "You can still create new paragraphs by inserting newlines."
            )
        end = self.tab.end
        if index >= end:
            # Observed wording (third-party), google-apis.md §2.2.
            raise self.error(f"Index {index} must be less than the end index of the referenced segment, {end}.")
        return index

    def range(self, rng: Any, *, allow_final_newline: bool) -> tuple[int, int]:
        """[startIndex, endIndex) of a Range, validated against the body.

        Empty ranges are refused for every request type (choice: Google's behaviour for
        empty style ranges is undocumented; for deletes it is a 400).
        """
        if rng is None:
            raise self.error("The range must be specified.")
        self.check_keys(rng, {"startIndex", "endIndex", "segmentId", "tabId"}, "range")
        self.check_segment(rng)
        start = self._integer(rng.get("startIndex"), "range.startIndex")
        end = self._integer(rng.get("endIndex"), "range.endIndex")
        if start > end:
            raise self.error(f"The start index {start} must be less than the end index {end}.")
        if start == end:
            raise self.error("The range should not be empty.")
        if start < 1:
            # UNCONFIRMED wording; index 0 is the section break, which no modelled request may touch.
            raise self.error("Cannot operate on the first section break in the document.")
        seg_end = self.tab.end
        if end > seg_end:
            # Wording modelled on the observed insertText message (UNCONFIRMED for ranges).
            raise self.error(
                f"Index {end - 1} must be less than the end index of the referenced segment, {seg_end}."
            )
        if end == seg_end and not allow_final_newline:
            # Observed wording (third-party), google-apis.md §2.3.
            raise self.error("The range cannot include the newline character at the end of the segment.")
        return start, end

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
