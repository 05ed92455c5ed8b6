"""The renderer's intermediate form: paragraphs (headings, paragraphs, list items) made of styled spans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as TypingLiteral

BlockKind = TypingLiteral["heading", "paragraph", "list_item"]
ListKind = TypingLiteral["bullet", "number", "checkbox"]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: the unit of every Docs index (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Span:
    """A run of text with one style; never contains a newline."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None

    def same_style(self, other: Span) -> bool:
        return (self.bold, self.italic, self.link) == (other.bold, other.italic, other.link)


@dataclass(frozen=True)
class Chip:
    """A dropdown chip inside a paragraph: where (UTF-16 offset in the paragraph's text), which
    dropdown definition, and the option it starts on (None: the definition's first)."""

    offset: int
    definition: str
    option: str | None = None


@dataclass(frozen=True)
class Block:
    """One Docs paragraph.

    `level` is the heading level (1-6) for headings, else 0. `list_kind` and
    `depth` (0 = outermost) describe list items. `starts_list` marks the first
    item of a new top-level Markdown list, so two lists written one after the
    other stay two lists in Docs.
    """

    kind: BlockKind
    spans: tuple[Span, ...] = ()
    level: int = 0
    list_kind: ListKind | None = None
    depth: int = 0
    starts_list: bool = False
    chips: tuple[Chip, ...] = ()

    @property
    def plain(self) -> str:
        return "".join(span.text for span in self.spans)
