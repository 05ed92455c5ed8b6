"""Serialisation of the document model to the Docs API `Document` JSON (proto3 style: zero values omitted)."""

from __future__ import annotations

from typing import Any

from .lists import lists_resource
from .named_ranges import named_ranges_resource
from .paragraphs import UNSTYLED_KINDS, Block, Paragraph, Style, shift_indexes
from .segment import Segment
from .tab import PASSTHROUGH_FIELDS, DocumentTab, Tab, count, walk
from .text import from_units

_SEGMENT_ID_KEYS = {"headers": "headerId", "footers": "footerId", "footnotes": "footnoteId"}

# How links are shaped: "legacy" (headingId/bookmarkId, a single-tab doc read without tabs),
# "tabs" (heading{id, tabId}/bookmark{id, tabId}), or "raw" (as stored: the persisted state).
LinkMode = str


def _link_shape(style: Style, mode: LinkMode, tab_id: str) -> Style:
    """Legacy headingId/bookmarkId are returned only for a single-tab read without tabs content;
    otherwise heading{id, tabId} / bookmark{id, tabId} (google-apis.md §4.2). A legacy id names
    the tab it was written in (DOCS-DD Link)."""
    link = style.get("link")
    if not link or mode == "raw":
        return style
    if mode == "tabs":
        for legacy, modern in (("headingId", "heading"), ("bookmarkId", "bookmark")):
            if legacy in link:
                link = {modern: {"id": link[legacy], "tabId": tab_id}}
    else:
        for legacy, modern in (("headingId", "heading"), ("bookmarkId", "bookmark")):
            if modern in link:
                link = {legacy: link[modern].get("id", "")}
    return {**style, "link": link}


def _indexed(start: int, end: int, body: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"startIndex": start} if start else {}
    out["endIndex"] = end
    out.update(body)
    return out


def paragraph_resource(para: Paragraph, start: int, mode: LinkMode, tab_id: str) -> Style:
    elements, pos = [], start
    for run in para.runs:
        end = pos + len(run.text)
        if run.kind is None:
            # An empty textStyle {} is kept on runs, as Google shows it.
            text_run: Style = {"content": from_units(run.text), **(run.extra or {}),
                               "textStyle": _link_shape(run.style, mode, tab_id)}
            elements.append(_indexed(pos, end, {"textRun": text_run}))
        else:
            element = dict(run.payload or {})
            if run.styled and run.kind not in UNSTYLED_KINDS:
                element["textStyle"] = _link_shape(run.style, mode, tab_id)
            elements.append(_indexed(pos, end, {run.kind: element}))
        pos = end
    out: Style = {"elements": elements, "paragraphStyle": para.style}
    if para.bullet is not None:
        out["bullet"] = {k: v for k, v in para.bullet.items() if not (k == "nestingLevel" and v == 0)}
    if para.extra:
        out.update(para.extra)
    return _indexed(start, pos, {"paragraph": out})


def segment_content(segment: Segment, mode: LinkMode, tab_id: str) -> list[Style]:
    content = []
    for item, start in zip(segment.items, segment.starts()):
        if isinstance(item, Paragraph):
            content.append(paragraph_resource(item, start, mode, tab_id))
        else:
            assert isinstance(item, Block)
            content.append(_indexed(start, start + item.length, {item.kind: shift_indexes(item.payload, start)}))
    return content


def tab_fields(tab: DocumentTab, mode: LinkMode, tab_id: str, *, with_tab_ids: bool) -> Style:
    """The DocumentTab (or legacy top-level) fields; empty maps are omitted, as proto3 JSON does."""
    out: Style = {"body": {"content": segment_content(tab.body, mode, tab_id)}}
    for segment_id, (kind, segment) in tab.segments.items():
        group = out.setdefault(kind, {})
        group[segment_id] = {_SEGMENT_ID_KEYS[kind]: segment_id, "content": segment_content(segment, mode, tab_id)}
    for name in PASSTHROUGH_FIELDS:
        if name in tab.fields:
            out[name] = tab.fields[name]
    if tab.lists:
        out["lists"] = tab.lists if mode == "raw" else lists_resource(tab.lists)
    if tab.named_ranges:
        out["namedRanges"] = named_ranges_resource(tab.named_ranges, tab_id if with_tab_ids else None)
    if tab.dropdowns and with_tab_ids:
        # dropdownDefinitions exist only on DocumentTab (DOCS-DD): a legacy read has no place for them.
        out["dropdownDefinitions"] = tab.dropdowns
    return out


def tab_properties(tab: Tab, parent: Tab | None, index: int, level: int) -> Style:
    """TabProperties as Google returns them: index within the parent, parentTabId and nestingLevel
    computed. `index` is present even when 0, as real tabs-form captures show it
    (tests/emulator/captures/nango-tabs-*.json: "index": 0); nestingLevel 0 is omitted (proto3, and
    no capture shows it)."""
    props: Style = {k: v for k, v in tab.properties.items() if k not in ("index", "nestingLevel", "parentTabId")}
    props["index"] = index
    if parent is not None:
        props["parentTabId"] = parent.tab_id
    if level:
        props["nestingLevel"] = level
    return props


def tabs_resource(tabs: list[Tab], mode: LinkMode) -> list[Style]:
    def one(tab: Tab, parent: Tab | None, index: int, level: int) -> Style:
        out: Style = {"tabProperties": tab_properties(tab, parent, index, level),
                      "documentTab": tab_fields(tab.content, mode, tab.tab_id, with_tab_ids=True)}
        if tab.children:
            out["childTabs"] = [one(child, tab, n, level + 1) for n, child in enumerate(tab.children)]
        return out

    return [one(tab, None, n, 0) for n, tab in enumerate(tabs)]


def document_resource(document_id: str, title: str, revision_id: str, tabs: list[Tab], *,
                      include_tabs_content: bool, mode: str = "SUGGESTIONS_INLINE") -> Style:
    doc: Style = {"documentId": document_id, "title": title, "revisionId": revision_id, "suggestionsViewMode": mode}
    if include_tabs_content:
        # The legacy top-level content fields are NOT populated in this mode (DOCS-DD includeTabsContent).
        doc["tabs"] = tabs_resource(tabs, "tabs")
    else:
        first = tabs[0]
        # Legacy link ids only when the document has a single tab (google-apis.md §4.2).
        link_mode = "legacy" if count(tabs) == 1 else "tabs"
        doc.update(tab_fields(first.content, link_mode, first.tab_id, with_tab_ids=False))
    return doc


def all_tabs(tabs: list[Tab]) -> list[Tab]:
    return [tab for tab, _, _, _ in walk(tabs)]
