"""Immutable paragraphs and text runs of the document model (text held as UTF-16 unit strings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .text import from_units, to_units

Style = dict[str, Any]
"""A TextStyle / ParagraphStyle / Bullet as its API JSON. Never mutated once stored: every
edit builds a new dict, so a batch's working copy can share them with the committed state."""

HEADING_TYPES = frozenset({"TITLE", "SUBTITLE"} | {f"HEADING_{n}" for n in range(1, 7)})
DEFAULT_PARAGRAPH_STYLE: Style = {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with one text style. `text` is a unit string."""

    text: str
    style: Style


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: its runs (the last ends with the terminating "\\n"), paragraph style and bullet.

    Paragraphs are values: edits build new ones, so cloning a document for a batch is a
    shallow list copy (one copy per batch, not per request).
    """

    runs: tuple[Run, ...]
    style: Style
    bullet: Style | None = None
    text: str = field(default="", compare=False)

    @staticmethod
    def make(runs: Iterable[Run], style: Style, bullet: Style | None = None) -> "Paragraph":
        """Build a paragraph, merging adjacent runs with identical styles and dropping empty ones."""
        merged: list[Run] = []
        for run in runs:
            if not run.text:
                continue
            if merged and merged[-1].style == run.style:
                merged[-1] = Run(merged[-1].text + run.text, run.style)
            else:
                merged.append(run)
        text = "".join(r.text for r in merged)
        if not text.endswith("\n") or "\n" in text[:-1]:
            raise AssertionError(f"a paragraph must hold exactly one final newline: {text!r}")
        return Paragraph(tuple(merged), style, bullet, text)

    @property
    def length(self) -> int:
        return len(self.text)

    def slice(self, start: int, end: int) -> list[Run]:
        """The runs covering [start, end) of this paragraph (offsets in units)."""
        out: list[Run] = []
        pos = 0
        for run in self.runs:
            run_end = pos + len(run.text)
            if run_end > start and pos < end:
                out.append(Run(run.text[max(start - pos, 0) : min(end, run_end) - pos], run.style))
            pos = run_end
            if pos >= end:
                break
        return out

    def style_at(self, offset: int) -> Style:
        """The text style of the character at `offset`."""
        pos = 0
        for run in self.runs:
            pos += len(run.text)
            if offset < pos:
                return run.style
        return self.runs[-1].style

    def restyle(self, start: int, end: int, change: Callable[[Run], Style]) -> "Paragraph":
        """A copy whose characters in [start, end) get `change(run)` as their text style."""
        pieces = self.slice(0, start)
        pieces += [Run(r.text, change(r)) for r in self.slice(start, end)]
        pieces += self.slice(end, self.length)
        return Paragraph.make(pieces, self.style, self.bullet)

    def with_style(self, style: Style) -> "Paragraph":
        return Paragraph(self.runs, style, self.bullet, self.text)

    def with_bullet(self, bullet: Style | None) -> "Paragraph":
        return Paragraph(self.runs, self.style, bullet, self.text)

    # -- persistence -------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "runs": [{"text": from_units(r.text), "style": r.style} for r in self.runs],
            "style": self.style,
        }
        if self.bullet is not None:
            state["bullet"] = self.bullet
        return state

    @staticmethod
    def from_state(state: dict[str, Any]) -> "Paragraph":
        runs = [Run(to_units(r["text"]), r["style"]) for r in state["runs"]]
        return Paragraph.make(runs, state["style"], state.get("bullet"))


def empty_paragraph(style: Style | None = None) -> Paragraph:
    """The lone "\\n" paragraph of a new document."""
    return Paragraph.make([Run("\n", {})], dict(style or DEFAULT_PARAGRAPH_STYLE))
