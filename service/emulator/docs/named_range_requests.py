"""The createNamedRange and deleteNamedRange requests."""

from __future__ import annotations

from typing import Any

from .named_ranges import NamedRange, Span
from .requests import RequestContext
from .text import utf16_len


def create_named_range(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """A named range in the tab (and segment) its range names; the range keeps its tabId in tabs reads."""
    ctx.check_keys(req, {"name", "range"})
    name = req.get("name", "")
    if not isinstance(name, str) or not 1 <= utf16_len(name) <= 256:
        raise ctx.error("The name must be between 1 and 256 UTF-16 code units long.")
    where, start, end = ctx.range(req.get("range"), allow_final_newline=True)
    named_range_id = ctx.ids.named_range_id()
    where.tab.named_ranges[named_range_id] = NamedRange(named_range_id, name, (Span(where.segment_id, start, end),))
    return {"createNamedRange": {"namedRangeId": named_range_id}}


def delete_named_range(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """deleteNamedRange by id or by name, in the tabs of tabsCriteria (every tab when omitted)."""
    ctx.check_keys(req, {"name", "namedRangeId", "tabsCriteria"})
    tabs = ctx.tabs_criteria(req.get("tabsCriteria"))
    by_id, by_name = req.get("namedRangeId"), req.get("name")
    if bool(by_id) == bool(by_name):
        raise ctx.error("Exactly one of namedRangeId or name must be specified.")
    found = False
    for tab in tabs:
        doomed = [key for key, nr in tab.named_ranges.items()
                  if (nr.named_range_id == by_id if by_id else nr.name == by_name)]
        for key in doomed:
            del tab.named_ranges[key]
        found = found or bool(doomed)
    if not found:
        if by_id:
            # UNCONFIRMED wording; a 400 for an unknown id is the stricter choice.
            raise ctx.error(f"The named range with ID '{by_id}' does not exist.")
        # Choice (UNCONFIRMED): an unknown name is refused like an unknown id.
        raise ctx.error(f"No named range with name '{by_name}' exists.")
    return {}
