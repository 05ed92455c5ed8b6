"""Reads a document's outline with one masked `documents.get` in tabs mode, as deep as the caller needs.

Three depths, each a `fields` mask over every tab (child tabs too), so reads stay small as a
document grows:
- RANGES: the revision and the named ranges — what proves a section exists (the weekly job's
  first read; a few KB whatever the document holds);
- OUTLINE: plus the paragraph boundaries, named styles and heading ids — what appending a section
  or an item needs;
- TEXT: plus the text runs (content, strikethrough, links), chips (dropdowns), bullets and lists —
  what reading earlier weeks needs. Never the other styles.

Docket writes into the tab that holds its ranges ("docket.*"), wherever people moved it, and
finds a range in any tab, so reordering tabs never makes it write a week twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from service.errors import Forbidden
from service.google.clients import Google
from service.google.document_view import list_kind_of

PLACEHOLDER = "\ue907"  # what Docs puts in a text run for a non-text element
HEADING_STYLES = frozenset({"TITLE", "SUBTITLE"} | {f"HEADING_{n}" for n in range(1, 7)})
FIRST_TAB = "t.0"


def _every_tab(inner: str) -> str:
    """`tabs(...)` with the same selection at each of the three nesting levels Docs allows."""
    return f"tabs({inner},childTabs({inner},childTabs({inner})))"


class Depth(Enum):
    RANGES = 1
    OUTLINE = 2
    TEXT = 3


_PARAGRAPH_OUTLINE = "paragraph(paragraphStyle(namedStyleType,headingId))"
_PARAGRAPH_TEXT = ("paragraph(paragraphStyle(namedStyleType,headingId),bullet(listId,nestingLevel),"
                   "elements(startIndex,endIndex,textRun(content,textStyle(strikethrough,link)),"
                   "dropdown(dropdownProperties(displayValue)),person(personProperties(email)),"
                   "dateElement(dateElementProperties(displayText))))")
_LIST_KINDS = "lists,dropdownDefinitions"  # glyph types tell a checklist from a bullet list; which chips exist
FIELDS = {
    Depth.RANGES: "revisionId," + _every_tab("tabProperties(tabId,index),documentTab(namedRanges)"),
    Depth.OUTLINE: "revisionId," + _every_tab(
        f"tabProperties(tabId,index),documentTab(namedRanges,body(content(startIndex,endIndex,{_PARAGRAPH_OUTLINE})))"),
    Depth.TEXT: "revisionId," + _every_tab(
        f"tabProperties(tabId,index),documentTab(namedRanges,{_LIST_KINDS},body(content(startIndex,endIndex,{_PARAGRAPH_TEXT})))"),
}
OUTLINE_FIELDS = FIELDS[Depth.OUTLINE]


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph's text (TEXT depth): a text run, or a chip's displayed value."""

    text: str
    struck: bool = False
    link: str | None = None
    chip: str | None = None  # "dropdown", "person" or "date" for a smart chip


@dataclass(frozen=True)
class Block:
    """One structural element of a tab's body: its UTF-16 range and, for paragraphs, style and heading id."""

    start: int
    end: int
    heading_id: str | None
    is_paragraph: bool
    style: str = "NORMAL_TEXT"
    runs: tuple[Run, ...] = ()  # TEXT depth only
    list_id: str | None = None  # TEXT depth only
    depth: int = 0  # list nesting level, TEXT depth only

    @property
    def text(self) -> str:
        """The paragraph's text without its final newline (chips as their displayed value)."""
        return "".join(r.text for r in self.runs).rstrip("\n")

    @property
    def is_heading(self) -> bool:
        return self.style in HEADING_STYLES


@dataclass(frozen=True)
class Tab:
    tab_id: str
    named_ranges: Mapping[str, tuple[tuple[int, int], ...]]
    blocks: tuple[Block, ...] | None  # None: the body was not read (RANGES depth)
    list_kinds: Mapping[str, str]  # listId -> "checkbox" | "bullet" | "number" (TEXT depth)
    dropdowns: frozenset[str] = frozenset()  # the ids of its dropdown definitions (TEXT depth)

    def holds_docket(self) -> bool:
        return any(name.startswith("docket.") for name in self.named_ranges)


@dataclass(frozen=True)
class Outline:
    """One read of a document: every tab's named ranges, and the body of Docket's tab when read deep enough."""

    document_id: str
    revision_id: str
    tabs: tuple[Tab, ...]  # document order, parents before their children
    depth: Depth

    @property
    def tab(self) -> Tab:
        """The tab Docket writes into: the one holding its header, else its most sections, else the first."""
        docket = [t for t in self.tabs if t.holds_docket()]
        if not docket:
            return self.tabs[0]
        with_header = [t for t in docket if "docket.header" in t.named_ranges]
        pool = with_header or docket
        return max(pool, key=lambda t: sum(1 for n in t.named_ranges if n.startswith("docket.")))  # first of equals

    @property
    def tab_id(self) -> str:
        return self.tab.tab_id

    @property
    def named_ranges(self) -> Mapping[str, tuple[tuple[int, int], ...]]:
        """The named ranges of Docket's tab."""
        return self.tab.named_ranges

    @property
    def blocks(self) -> tuple[Block, ...]:
        blocks = self.tab.blocks
        if blocks is None:
            raise AssertionError("the body was not read: read at Depth.OUTLINE or deeper")
        return blocks

    @property
    def end_index(self) -> int:
        return self.blocks[-1].end if self.blocks else 1

    @property
    def last_paragraph(self) -> Block:
        return self.blocks[-1]

    @property
    def is_empty(self) -> bool:
        """A new document: just the section break and one empty paragraph (in Docket's tab)."""
        return self.end_index <= 2

    def has(self, name: str) -> bool:
        """Whether a named range exists in any tab."""
        return any(name in t.named_ranges for t in self.tabs)

    def range_of(self, name: str) -> tuple[int, int] | None:
        """The span of a named range in Docket's tab (first to last of its ranges)."""
        ranges = self.named_ranges.get(name)
        if not ranges:
            return None
        return min(r[0] for r in ranges), max(r[1] for r in ranges)

    def heading_of(self, name: str) -> str | None:
        """The heading id of the section named `name`: the first heading-styled paragraph in its range.

        Real documents hold normal paragraphs that keep a heading id and headings without one,
        so both the style and the id must say "heading"; a section without one has no anchor.
        """
        if self.tab.blocks is None or (span := self.range_of(name)) is None:
            return None
        for block in self.blocks:
            if span[0] <= block.start < span[1] and block.is_heading and block.heading_id:
                return block.heading_id
        return None

    def paragraphs_in(self, name: str) -> Iterator[Block]:
        """The paragraphs that start inside a named range of Docket's tab, in order."""
        span = self.range_of(name)
        if span is None:
            return
        for block in self.blocks:
            if span[0] <= block.start < span[1] and block.is_paragraph:
                yield block


def read_outline(google: Google, document_id: str, depth: Depth = Depth.OUTLINE) -> Outline:
    """One documents.get in tabs mode with the mask of `depth`."""
    doc = google.call(google.documents.get(documentId=document_id, includeTabsContent=True, fields=FIELDS[depth]),
                      f"documents.get {document_id}", method="docs.get")
    return parse_outline(document_id, doc, depth)


def parse_outline(document_id: str, doc: Mapping[str, Any], depth: Depth = Depth.OUTLINE) -> Outline:
    revision = doc.get("revisionId")
    if not revision:
        # Google returns a revision only to callers who may edit (view or comment access otherwise).
        raise Forbidden(f"Docket cannot edit document {document_id}: it has no edit access "
                        "(share the document with Docket's account as an editor)")
    tabs = tuple(_tab(t, depth) for t in _flatten(doc.get("tabs") or []))
    if not tabs:  # a legacy (non-tabs) response: one tab
        tabs = (_tab({"tabProperties": {"tabId": FIRST_TAB}, "documentTab": doc}, depth),)
    return Outline(document_id, str(revision), tabs, depth)


def _flatten(tabs: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for tab in tabs:
        yield tab
        yield from _flatten(tab.get("childTabs") or [])


def _tab(tab: Mapping[str, Any], depth: Depth) -> Tab:
    content = tab.get("documentTab") or {}
    named: dict[str, tuple[tuple[int, int], ...]] = {}
    for name, group in (content.get("namedRanges") or {}).items():
        named[name] = tuple((int(r.get("startIndex", 0)), int(r["endIndex"]))
                            for nr in group.get("namedRanges", []) for r in nr.get("ranges", []))
    blocks = None
    if depth is not Depth.RANGES:
        blocks = tuple(_block(e, depth) for e in (content.get("body") or {}).get("content", []))
    lists = content.get("lists") or {}
    kinds = {list_id: list_kind_of(lists, list_id) for list_id in lists}
    return Tab(str((tab.get("tabProperties") or {}).get("tabId") or FIRST_TAB), named, blocks, kinds,
               frozenset(content.get("dropdownDefinitions") or {}))


def _block(element: Mapping[str, Any], depth: Depth) -> Block:
    paragraph = element.get("paragraph")
    style = (paragraph or {}).get("paragraphStyle", {})
    # proto3 JSON omits a zero startIndex (the leading section break).
    start, end = int(element.get("startIndex", 0)), int(element["endIndex"])
    if paragraph is None or depth is not Depth.TEXT:
        return Block(start, end, style.get("headingId") or None, paragraph is not None,
                     style.get("namedStyleType", "NORMAL_TEXT"))
    bullet = paragraph.get("bullet") or {}
    return Block(start, end, style.get("headingId") or None, True, style.get("namedStyleType", "NORMAL_TEXT"),
                 tuple(_runs(paragraph.get("elements", []))), bullet.get("listId"), int(bullet.get("nestingLevel", 0)))


def _runs(elements: list[Mapping[str, Any]]) -> Iterator[Run]:
    for element in elements:
        if "textRun" in element:
            run = element["textRun"]
            style = run.get("textStyle") or {}
            link = style.get("link") or {}
            text = str(run.get("content", "")).replace(PLACEHOLDER, "")
            yield Run(text, bool(style.get("strikethrough")), link.get("url"))
        elif "dropdown" in element:
            yield Run(str((element["dropdown"].get("dropdownProperties") or {}).get("displayValue", "")), chip="dropdown")
        elif "person" in element:
            yield Run(str((element["person"].get("personProperties") or {}).get("email", "")), chip="person")
        elif "dateElement" in element:
            yield Run(str((element["dateElement"].get("dateElementProperties") or {}).get("displayText", "")), chip="date")
