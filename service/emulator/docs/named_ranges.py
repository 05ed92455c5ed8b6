"""Named ranges: the model, how they move with edits, and their Document.namedRanges form."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class NamedRange:
    """One named range over [start, end) of the body. Google allows several ranges per
    named range; createNamedRange only ever makes one, so one is all that is modelled."""

    named_range_id: str
    name: str
    start: int
    end: int

    def to_state(self) -> dict[str, Any]:
        return {"namedRangeId": self.named_range_id, "name": self.name, "startIndex": self.start, "endIndex": self.end}

    @staticmethod
    def from_state(state: dict[str, Any]) -> "NamedRange":
        return NamedRange(state["namedRangeId"], state["name"], state["startIndex"], state["endIndex"])


def shift_for_insert(ranges: dict[str, NamedRange], index: int, length: int) -> None:
    """Move named ranges for `length` units inserted at `index`.

    Google documents only that content inserted inside a range grows it; the
    boundary cases are undocumented, so these are choices:
    - insertion before the range, or exactly AT its start, shifts it (the new
      text lands before the range; a section's anchor does not swallow text
      written just before it);
    - insertion strictly inside grows it;
    - insertion exactly AT its end does not grow it (text appended right after a
      section is not part of it).
    """
    for key, nr in ranges.items():
        if index <= nr.start:
            ranges[key] = replace(nr, start=nr.start + length, end=nr.end + length)
        elif index < nr.end:
            ranges[key] = replace(nr, end=nr.end + length)


def shift_for_delete(ranges: dict[str, NamedRange], start: int, end: int) -> None:
    """Shrink/move named ranges for the deletion of [start, end).

    A range whose content is deleted entirely is dropped (choice: Google keeps no
    zero-length ranges visible through the API as far as is known; UNCONFIRMED).
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
        new_start, new_end = moved(nr.start), moved(nr.end)
        if new_start >= new_end:
            del ranges[key]
        elif (new_start, new_end) != (nr.start, nr.end):
            ranges[key] = replace(nr, start=new_start, end=new_end)


def named_ranges_resource(ranges: dict[str, NamedRange]) -> dict[str, Any]:
    """Document.namedRanges: {name: {name, namedRanges: [{namedRangeId, name, ranges}]}}."""
    out: dict[str, Any] = {}
    for nr in ranges.values():
        group = out.setdefault(nr.name, {"name": nr.name, "namedRanges": []})
        span: dict[str, int] = {"startIndex": nr.start, "endIndex": nr.end}
        group["namedRanges"].append({"namedRangeId": nr.named_range_id, "name": nr.name, "ranges": [span]})
    return out
