"""Turns a full Docs `Document` resource into plain view blocks for `docket docs show` and the local HTML view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

PLACEHOLDER = "\ue907"  # what Docs puts in a text run for a non-text element


@dataclass(frozen=True)
class ViewSpan:
    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    chip: bool = False  # a smart chip (dropdown, person, date, rich link) shown as its value
    suggestion: str | None = None  # "insert" | "delete": a suggested change not yet accepted


@dataclass(frozen=True)
class ViewBlock:
    style: str  # NORMAL_TEXT, TITLE, SUBTITLE, HEADING_1 … HEADING_6
    spans: tuple[ViewSpan, ...]
    list_kind: str | None  # "checkbox" | "number" | "bullet" | None
    depth: int
    heading_id: str | None

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def heading_level(self) -> int | None:
        if self.style.startswith("HEADING_"):
            return int(self.style.rsplit("_", 1)[1])
        return {"TITLE": 1, "SUBTITLE": 2}.get(self.style)


def list_kind_of(lists: Mapping[str, Any], list_id: str, depth: int = 0) -> str:
    """"checkbox", "bullet" or "number": what a list's glyphs at `depth` make it (the one rule, for views and reads)."""
    levels = lists.get(list_id, {}).get("listProperties", {}).get("nestingLevels", [])
    level = levels[depth] if depth < len(levels) else (levels[0] if levels else {})
    glyph_type = level.get("glyphType", "GLYPH_TYPE_UNSPECIFIED")
    if glyph_type not in ("GLYPH_TYPE_UNSPECIFIED", "NONE"):
        return "number"
    # A checklist level has neither a glyph type nor a glyph symbol (observed in real documents).
    return "bullet" if level.get("glyphSymbol") else "checkbox"


def _link(style: Mapping[str, Any], document_id: str) -> str | None:
    link = style.get("link")
    if not link:
        return None
    if "url" in link:
        return str(link["url"])
    heading = link.get("headingId") or link.get("heading", {}).get("id")
    return f"https://docs.google.com/document/d/{document_id}/edit#heading={heading}" if heading else None


def _suggestion(part: Mapping[str, Any]) -> str | None:
    if part.get("suggestedInsertionIds"):
        return "insert"
    if part.get("suggestedDeletionIds"):
        return "delete"
    return None


def _span(part: Mapping[str, Any], document_id: str) -> ViewSpan | None:
    """One paragraph element as a span: a text run, or a chip shown as its value."""
    run = part.get("textRun")
    if run is not None:
        text = run.get("content", "").replace("\n", "").replace(PLACEHOLDER, "")
        if not text:
            return None
        style = run.get("textStyle", {})
        return ViewSpan(text, bool(style.get("bold")), bool(style.get("italic")), _link(style, document_id),
                        suggestion=_suggestion(run))
    for kind, shown in (("dropdown", lambda e: e.get("dropdownProperties", {}).get("displayValue", "")),
                        ("person", lambda e: e.get("personProperties", {}).get("email", "")),
                        ("dateElement", lambda e: e.get("dateElementProperties", {}).get("displayText", "")),
                        ("richLink", lambda e: e.get("richLinkProperties", {}).get("title", ""))):
        element = part.get(kind)
        if element is not None:
            link = element.get("richLinkProperties", {}).get("uri") if kind == "richLink" else None
            return ViewSpan(f"[{shown(element) or kind}]", link=link, chip=True, suggestion=_suggestion(element))
    return None


def _paragraph_blocks(content: list[Mapping[str, Any]], lists: Mapping[str, Any], document_id: str) -> list[ViewBlock]:
    blocks: list[ViewBlock] = []
    for element in content:
        if "table" in element:  # a table's cells, row by row, as paragraphs
            for row in element["table"].get("tableRows", []):
                for cell in row.get("tableCells", []):
                    blocks.extend(_paragraph_blocks(cell.get("content", []), lists, document_id))
            continue
        paragraph = element.get("paragraph")
        if not paragraph:
            continue
        spans = tuple(span for part in paragraph.get("elements", []) if (span := _span(part, document_id)))
        style = paragraph.get("paragraphStyle", {})
        bullet = paragraph.get("bullet")
        depth = int(bullet.get("nestingLevel", 0)) if bullet else 0
        kind = list_kind_of(lists, bullet["listId"], depth) if bullet else None
        blocks.append(ViewBlock(style.get("namedStyleType", "NORMAL_TEXT"), spans, kind, depth, style.get("headingId")))
    return blocks


def _tabs(tabs: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for tab in tabs:
        out.append(tab)
        out.extend(_tabs(tab.get("childTabs") or []))
    return out


def view_blocks(document: Mapping[str, Any]) -> list[ViewBlock]:
    """The document's paragraphs as view blocks, every tab in order (each titled when there are several)."""
    document_id = document.get("documentId", "")
    tabs = _tabs(document.get("tabs") or [])
    if not tabs:  # a legacy (first tab only) resource
        return _paragraph_blocks(document.get("body", {}).get("content", []), document.get("lists", {}), document_id)
    blocks: list[ViewBlock] = []
    for tab in tabs:
        content = tab.get("documentTab") or {}
        if len(tabs) > 1:
            title = (tab.get("tabProperties") or {}).get("title") or "Untitled tab"
            blocks.append(ViewBlock("TITLE", (ViewSpan(f"Tab: {title}"),), None, 0, None))
        blocks.extend(_paragraph_blocks(content.get("body", {}).get("content", []), content.get("lists", {}), document_id))
    return blocks


def _shown(span: ViewSpan) -> str:
    text = f"{span.text} <{span.link}>" if span.link and span.link != span.text else span.text
    return {"insert": f"[+{text}+]", "delete": f"[-{text}-]"}.get(span.suggestion or "", text)


def as_text(document: Mapping[str, Any]) -> str:
    """A readable plain-text rendering: headings as '#', lists indented with '-', '1.', '[ ]', chips as
    [value], suggestions not yet accepted as [+inserted+] and [-deleted-]."""
    lines = []
    counters: dict[int, int] = {}
    for block in view_blocks(document):
        text = "".join(_shown(s) for s in block.spans)
        level = block.heading_level
        if level:
            lines.append(f"{'#' * level} {text}")
        elif block.list_kind:
            counters = {d: n for d, n in counters.items() if d <= block.depth}
            counters[block.depth] = counters.get(block.depth, 0) + 1
            marker = {"checkbox": "[ ]", "bullet": "-", "number": f"{counters[block.depth]}."}[block.list_kind]
            lines.append(f"{'    ' * block.depth}{marker} {text}")
            continue
        else:
            lines.append(text)
        counters = {}
    return "\n".join(lines) + "\n"


def read_document(google: Any, document_id: str) -> dict[str, Any]:
    """The whole document as `documents.get` returns it, every tab, suggestions inline (`docket docs show`, the local views)."""
    request = google.documents.get(documentId=document_id, includeTabsContent=True, suggestionsViewMode="SUGGESTIONS_INLINE")
    result: dict[str, Any] = google.call(request, f"documents.get {document_id}", method="docs.get")
    return result
