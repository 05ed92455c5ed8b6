"""Reads a document's outline — revision, paragraph boundaries, heading ids, named ranges — with one masked get."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from service.google.clients import Google

# Only what the section writer needs: no text, no styles beyond the heading id. On a document
# holding years of weekly sections this is a small fraction of a full documents.get.
OUTLINE_FIELDS = "revisionId,namedRanges,body(content(startIndex,endIndex,paragraph(paragraphStyle(headingId))))"


@dataclass(frozen=True)
class Block:
    """One structural element of the body: its UTF-16 range and, for headings, the heading id."""

    start: int
    end: int
    heading_id: str | None
    is_paragraph: bool


@dataclass(frozen=True)
class Outline:
    document_id: str
    revision_id: str
    blocks: tuple[Block, ...]
    named_ranges: Mapping[str, tuple[tuple[int, int], ...]]

    @property
    def end_index(self) -> int:
        return self.blocks[-1].end if self.blocks else 1

    @property
    def last_paragraph(self) -> Block:
        return self.blocks[-1]

    @property
    def is_empty(self) -> bool:
        """A new document: just the section break and one empty paragraph."""
        return self.end_index <= 2

    def has(self, name: str) -> bool:
        return name in self.named_ranges

    def range_of(self, name: str) -> tuple[int, int] | None:
        """The span of a named range (first to last of its ranges)."""
        ranges = self.named_ranges.get(name)
        if not ranges:
            return None
        return min(r[0] for r in ranges), max(r[1] for r in ranges)

    def heading_at_or_after(self, index: int, limit: int) -> str | None:
        """The id of the first heading paragraph starting in [index, limit)."""
        for block in self.blocks:
            if index <= block.start < limit and block.heading_id:
                return block.heading_id
        return None

    def paragraph_ending_at(self, index: int) -> Block | None:
        return next((b for b in self.blocks if b.end == index and b.is_paragraph), None)


def read_outline(google: Google, document_id: str) -> Outline:
    """One documents.get with a fields mask (one read per document: docs/architecture.md)."""
    doc = google.call(google.documents.get(documentId=document_id, fields=OUTLINE_FIELDS),
                      f"documents.get {document_id}", method="docs.get")
    return parse_outline(document_id, doc)


def parse_outline(document_id: str, doc: Mapping) -> Outline:
    blocks = []
    for element in doc.get("body", {}).get("content", []):
        paragraph = element.get("paragraph")
        heading = (paragraph or {}).get("paragraphStyle", {}).get("headingId") or None
        # proto3 JSON omits a zero startIndex (the leading section break).
        blocks.append(Block(int(element.get("startIndex", 0)), int(element["endIndex"]), heading, paragraph is not None))
    named: dict[str, tuple[tuple[int, int], ...]] = {}
    for name, group in doc.get("namedRanges", {}).items():
        spans = []
        for named_range in group.get("namedRanges", []):
            for r in named_range.get("ranges", []):
                spans.append((int(r.get("startIndex", 0)), int(r["endIndex"])))
        named[name] = tuple(spans)
    return Outline(document_id, doc["revisionId"], tuple(blocks), named)
