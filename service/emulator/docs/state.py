"""The document model's persisted form: compact JSON, read back without re-validation (and format 1, single-tab)."""

from __future__ import annotations

from typing import Any

from .defaults import new_tab, section_break
from .loader import DEFAULT_FIRST_TAB_TITLE
from .named_ranges import NamedRange, Span
from .paragraphs import Block, Item, Paragraph, Run
from .segment import Segment
from .tab import FIRST_TAB_ID, DocumentTab, Tab
from .text import from_units, to_units

# Format 2: tabs. Text is stored as real text (a unit string's lone surrogates could not be
# written as UTF-8); short keys keep a 3,000-paragraph document's file small and fast to parse.


def _run_out(run: Run) -> dict[str, Any]:
    out: dict[str, Any] = {"t": from_units(run.text), "s": run.style}
    if run.kind is not None:
        out.update(k=run.kind, p=run.payload, n=len(run.text))
        del out["t"]
        if not run.styled:
            out["u"] = 1
    if run.extra:
        out["x"] = run.extra
    return out


def _run_in(raw: dict[str, Any]) -> Run:
    if "k" in raw:
        return Run("\ue907" * raw["n"], raw["s"], raw["k"], raw["p"], raw.get("x"), not raw.get("u"))
    return Run(to_units(raw["t"]), raw["s"], None, None, raw.get("x"))


def _item_out(item: Item) -> dict[str, Any]:
    if isinstance(item, Block):
        return {"block": item.kind, "p": item.payload, "n": item.length}
    out: dict[str, Any] = {"r": [_run_out(r) for r in item.runs], "s": item.style}
    if item.bullet is not None:
        out["b"] = item.bullet
    if item.extra:
        out["x"] = item.extra
    return out


def _item_in(raw: dict[str, Any]) -> Item:
    if "block" in raw:
        return Block(raw["block"], raw["p"], raw["n"])
    runs = tuple(_run_in(r) for r in raw["r"])
    return Paragraph(runs, raw["s"], raw.get("b"), raw.get("x"), "".join(r.text for r in runs))


def _tab_out(tab: Tab) -> dict[str, Any]:
    content = tab.content
    return {
        "properties": tab.properties,
        "body": [_item_out(i) for i in content.body.items],
        "segments": {sid: {"kind": kind, "items": [_item_out(i) for i in seg.items]}
                     for sid, (kind, seg) in content.segments.items()},
        "lists": content.lists,
        "namedRanges": [{"id": nr.named_range_id, "name": nr.name, "spans": [[s.segment_id, s.start, s.end] for s in nr.spans]}
                        for nr in content.named_ranges.values()],
        "dropdowns": content.dropdowns,
        "fields": content.fields,
        "children": [_tab_out(child) for child in tab.children],
    }


def _tab_in(raw: dict[str, Any]) -> Tab:
    ranges = [NamedRange(r["id"], r["name"], tuple(Span(*s) for s in r["spans"])) for r in raw["namedRanges"]]
    content = DocumentTab(
        Segment([_item_in(i) for i in raw["body"]]),
        segments={sid: (s["kind"], Segment([_item_in(i) for i in s["items"]])) for sid, s in raw["segments"].items()},
        lists=raw["lists"], named_ranges={nr.named_range_id: nr for nr in ranges},
        dropdowns=raw["dropdowns"], fields=raw["fields"],
    )
    return Tab(raw["properties"], content, [_tab_in(c) for c in raw["children"]])


def tabs_to_state(tabs: list[Tab]) -> list[dict[str, Any]]:
    return [_tab_out(tab) for tab in tabs]


def tabs_from_state(state: dict[str, Any]) -> list[Tab]:
    if state.get("format", 1) == 1:
        return [_tab_from_format_1(state)]
    return [_tab_in(raw) for raw in state["tabs"]]


def _tab_from_format_1(state: dict[str, Any]) -> Tab:
    """A document persisted by an emulator that held a single tab (state format 1)."""
    paragraphs = []
    for p in state["paragraphs"]:
        runs = [Run(to_units(r["text"]), r["style"]) for r in p["runs"]]
        paragraphs.append(Paragraph.make(runs, p["style"], p.get("bullet")))
    ranges = {s["namedRangeId"]: NamedRange(s["namedRangeId"], s["name"], (Span("", s["startIndex"], s["endIndex"]),))
              for s in state.get("namedRanges", [])}
    tab = new_tab(FIRST_TAB_ID, DEFAULT_FIRST_TAB_TITLE)
    tab.content.body = Segment([section_break(), *paragraphs])
    tab.content.lists = dict(state.get("lists", {}))
    tab.content.named_ranges = ranges
    return tab
