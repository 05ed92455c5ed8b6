"""The createNamedRange and deleteNamedRange requests."""

from __future__ import annotations

from typing import Any

from service.emulator.docs.errors import invalid_request

from .named_ranges import NamedRange
from .requests import RequestContext
from .text import utf16_len


def create_named_range(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    ctx.check_keys(req, {"name", "range"})
    name = req.get("name", "")
    if not isinstance(name, str) or not 1 <= utf16_len(name) <= 256:
        raise invalid_request(ctx.index, ctx.kind, "The name must be between 1 and 256 UTF-16 code units long.")
    start, end = ctx.range(req.get("range"), allow_final_newline=True)
    named_range_id = ctx.ids.named_range_id()
    ctx.tab.named_ranges[named_range_id] = NamedRange(named_range_id, name, start, end)
    return {"createNamedRange": {"namedRangeId": named_range_id}}


def delete_named_range(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
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
