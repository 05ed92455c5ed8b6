"""Named ranges: how they move with edits, and the createNamedRange / deleteNamedRange requests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .doc_text import utf16_len
from .errors import invalid_request

if TYPE_CHECKING:
    from .doc_requests import RequestContext


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


def create_named_range(ctx: "RequestContext", req: dict[str, Any]) -> dict[str, Any]:
    ctx.check_keys(req, {"name", "range"})
    name = req.get("name", "")
    if not isinstance(name, str) or not 1 <= utf16_len(name) <= 256:
        raise invalid_request(ctx.index, ctx.kind, "The name must be between 1 and 256 UTF-16 code units long.")
    start, end = ctx.range(req.get("range"), allow_final_newline=True)
    named_range_id = ctx.ids.named_range_id()
    ctx.tab.named_ranges[named_range_id] = NamedRange(named_range_id, name, start, end)
    return {"createNamedRange": {"namedRangeId": named_range_id}}


def delete_named_range(ctx: "RequestContext", req: dict[str, Any]) -> dict[str, Any]:
    ctx.check_keys(req, {"name", "namedRangeId", "tabsCriteria"})
    ctx.check_tabs_criteria(req.get("tabsCriteria"))
    by_id, by_name = req.get("namedRangeId"), req.get("name")
    if bool(by_id) == bool(by_name):
        raise invalid_request(ctx.index, ctx.kind, "Exactly one of namedRangeId or name must be specified.")
    ranges = ctx.tab.named_ranges
    if by_id:
        if by_id not in ranges:
            # UNCONFIRMED wording; a 400 for an unknown id is the stricter choice.
            raise invalid_request(ctx.index, ctx.kind, f"The named range with ID '{by_id}' does not exist.")
        del ranges[by_id]
        return {}
    doomed = [key for key, nr in ranges.items() if nr.name == by_name]
    if not doomed:
        # Choice (UNCONFIRMED): an unknown name is refused like an unknown id.
        raise invalid_request(ctx.index, ctx.kind, f"No named range with name '{by_name}' exists.")
    for key in doomed:
        del ranges[key]
    return {}


def named_ranges_resource(ranges: dict[str, NamedRange]) -> dict[str, Any]:
    """Document.namedRanges: {name: {name, namedRanges: [{namedRangeId, name, ranges}]}}."""
    out: dict[str, Any] = {}
    for nr in ranges.values():
        group = out.setdefault(nr.name, {"name": nr.name, "namedRanges": []})
        span: dict[str, int] = {"startIndex": nr.start, "endIndex": nr.end}
        group["namedRanges"].append({"namedRangeId": nr.named_range_id, "name": nr.name, "ranges": [span]})
    return out
