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


def _list_kind(lists: Mapping[str, Any], list_id: str, depth: int) -> str:
    levels = lists.get(list_id, {}).get("listProperties", {}).get("nestingLevels", [])
    level = levels[depth] if depth < len(levels) else {}
    glyph_type = level.get("glyphType", "GLYPH_TYPE_UNSPECIFIED")
    if glyph_type not in ("GLYPH_TYPE_UNSPECIFIED", "NONE"):
        return "number"
    # A checklist level has neither a glyph type nor a glyph symbol (observed; google-apis.md §5).
    return "bullet" if level.get("glyphSymbol") else "checkbox"


def _link(style: Mapping[str, Any], document_id: str) -> str | None:
    link = style.get("link")
    if not link:
        return None
    if "url" in link:
        return str(link["url"])
    heading = link.get("headingId") or link.get("heading", {}).get("id")
    return f"https://docs.google.com/document/d/{document_id}/edit#heading={heading}" if heading else None


def view_blocks(document: Mapping[str, Any]) -> list[ViewBlock]:
    """The body's paragraphs as view blocks (tables and other elements are skipped)."""
    lists = document.get("lists", {})
    document_id = document.get("documentId", "")
    blocks: list[ViewBlock] = []
    for element in document.get("body", {}).get("content", []):
        paragraph = element.get("paragraph")
        if not paragraph:
            continue
        spans = []
        for part in paragraph.get("elements", []):
            run = part.get("textRun")
            if not run:
                continue
            text = run.get("content", "").replace("\n", "").replace(PLACEHOLDER, "")
            if text:
                style = run.get("textStyle", {})
                spans.append(ViewSpan(text, bool(style.get("bold")), bool(style.get("italic")), _link(style, document_id)))
        style = paragraph.get("paragraphStyle", {})
        bullet = paragraph.get("bullet")
        depth = int(bullet.get("nestingLevel", 0)) if bullet else 0
        kind = _list_kind(lists, bullet["listId"], depth) if bullet else None
        blocks.append(ViewBlock(style.get("namedStyleType", "NORMAL_TEXT"), tuple(spans), kind, depth, style.get("headingId")))
    return blocks


def as_text(document: Mapping[str, Any]) -> str:
    """A readable plain-text rendering: headings as '#', lists indented with '-', '1.', '[ ]'."""
    lines = []
    counters: dict[int, int] = {}
    for block in view_blocks(document):
        text = "".join(f"{s.text} <{s.link}>" if s.link and s.link != s.text else s.text for s in block.spans)
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
    """The whole document as `documents.get` returns it, for people to read (`docket docs show`, the local views)."""
    result: dict[str, Any] = google.call(google.documents.get(documentId=document_id), f"documents.get {document_id}",
                                         method="docs.get")
    return result
