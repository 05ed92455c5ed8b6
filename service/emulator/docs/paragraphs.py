"""Immutable paragraph content: text runs, non-text elements (chips, breaks, footnote references…) and opaque blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .text import from_units, to_units

Style = dict[str, Any]
"""A TextStyle / ParagraphStyle / Bullet as its API JSON. Never mutated once stored: every
edit builds a new dict, so a batch's working copy can share them with the committed state."""

HEADING_TYPES = frozenset({"TITLE", "SUBTITLE"} | {f"HEADING_{n}" for n in range(1, 7)})
DEFAULT_PARAGRAPH_STYLE: Style = {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}

# Every ParagraphElement kind but textRun (DOCS-DD ParagraphElement). Each occupies its documented
# length (1 unit for all but an equation, whose length is what Google reported) and is held as an
# atom: it is never split, merged or retyped. Equation is the one kind without a textStyle.
ELEMENT_KINDS = frozenset({
    "autoText", "columnBreak", "dateElement", "dropdown", "equation", "footnoteReference",
    "horizontalRule", "inlineObjectElement", "pageBreak", "person", "richLink",
})
UNSTYLED_KINDS = frozenset({"equation"})
# The unit an atom stands for in paragraph text: Google's own stand-in for non-text content
# (DOCS-DD TextRun.content: "Any non-text elements in the run are replaced with U+E907").
ATOM = "\ue907"


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of a paragraph. A text run (`kind` None) holds unit text with one text style;
    an atom holds one non-text element (`kind` e.g. "footnoteReference") whose own fields are
    `payload` and whose text is ATOM × its length.

    `extra` holds a text run's other fields (suggestedInsertionIds, suggestedDeletionIds,
    suggestedTextStyleChanges), kept as Google gave them. `styled` is False for an element
    loaded without a textStyle (so it is returned without one).
    """

    text: str
    style: Style
    kind: str | None = None
    payload: Style | None = None
    extra: Style | None = None
    styled: bool = True

    @property
    def is_atom(self) -> bool:
        return self.kind is not None

    def with_style(self, style: Style) -> "Run":
        return Run(self.text, style, self.kind, self.payload, self.extra, self.styled)

    def part(self, start: int, end: int) -> "Run":
        """The sub-run [start, end) of a text run (atoms are only taken whole)."""
        if self.kind is not None:
            assert (start, end) == (0, len(self.text)), "an atom is never split"
            return self
        return Run(self.text[start:end], self.style, None, None, self.extra, self.styled)


def atom(kind: str, payload: Style, style: Style, length: int = 1, *, styled: bool = True) -> Run:
    return Run(ATOM * length, style, kind, payload, None, styled)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: its runs (the last ends with the terminating "\\n"), paragraph style, bullet,
    and `extra` (its other fields: suggestedParagraphStyleChanges, suggestedBulletChanges,
    positionedObjectIds, suggestedPositionedObjectIds), kept as given.

    Paragraphs are values: edits build new ones, so cloning a document for a batch is a
    shallow list copy (one copy per batch, not per request).
    """

    runs: tuple[Run, ...]
    style: Style
    bullet: Style | None = None
    extra: Style | None = None
    text: str = field(default="", compare=False)

    @staticmethod
    def make(runs: Iterable[Run], style: Style, bullet: Style | None = None, extra: Style | None = None) -> "Paragraph":
        """Build a paragraph, merging adjacent text runs with identical styles and dropping empty ones."""
        merged: list[Run] = []
        for run in runs:
            _append(merged, run)
        return Paragraph.exact(merged, style, bullet, extra)

    @staticmethod
    def joined(head: Iterable[Run], middle: Iterable[Run], tail: Iterable[Run], style: Style,
               bullet: Style | None = None, extra: Style | None = None) -> "Paragraph":
        """head + middle + tail, merged only where an edit touched: inside `middle` and at its two
        seams (or at the head/tail seam when middle is empty). Runs an edit did not touch keep their
        boundaries, so a loaded document's elements come back as they were loaded (Google itself
        shows neighbouring runs of equal style apart)."""
        out = [r for r in head if r.text]
        for run in middle:
            _append(out, run)
        rest = [r for r in tail if r.text]
        if rest:
            _append(out, rest[0])
            out.extend(rest[1:])
        return Paragraph.exact(out, style, bullet, extra)

    @staticmethod
    def exact(runs: Iterable[Run], style: Style, bullet: Style | None = None, extra: Style | None = None) -> "Paragraph":
        runs = tuple(r for r in runs if r.text)
        text = "".join(r.text for r in runs)
        if not text.endswith("\n") or "\n" in text[:-1]:
            raise AssertionError(f"a paragraph must hold exactly one final newline: {text!r}")
        return Paragraph(runs, style, bullet, extra, text)

    @property
    def length(self) -> int:
        return len(self.text)

    def slice(self, start: int, end: int) -> list[Run]:
        """The runs covering [start, end) of this paragraph (offsets in units; atoms whole)."""
        out: list[Run] = []
        pos = 0
        for run in self.runs:
            run_end = pos + len(run.text)
            if run_end > start and pos < end:
                out.append(run.part(max(start - pos, 0), min(end, run_end) - pos) if run.kind is None else run)
            pos = run_end
            if pos >= end:
                break
        return out

    def atom_at(self, offset: int) -> tuple[int, int] | None:
        """(start, end) of the atom strictly containing `offset` (offset inside it, not at its start), or None."""
        pos = 0
        for run in self.runs:
            run_end = pos + len(run.text)
            if run.kind is not None and pos < offset < run_end:
                return pos, run_end
            if run_end > offset:
                return None
            pos = run_end
        return None

    def run_at(self, offset: int) -> Run:
        pos = 0
        for run in self.runs:
            pos += len(run.text)
            if offset < pos:
                return run
        return self.runs[-1]

    def style_at(self, offset: int) -> Style:
        """The text style of the character at `offset`."""
        return self.run_at(offset).style

    def restyle(self, start: int, end: int, change: Callable[[Run], Style]) -> "Paragraph":
        """A copy whose characters in [start, end) get `change(run)` as their text style."""
        middle = [r.with_style(change(r)) for r in self.slice(start, end)]
        return Paragraph.joined(self.slice(0, start), middle, self.slice(end, self.length), self.style, self.bullet, self.extra)

    def replace_runs(self, runs: Iterable[Run]) -> "Paragraph":
        return Paragraph.make(runs, self.style, self.bullet, self.extra)

    def with_style(self, style: Style) -> "Paragraph":
        return Paragraph(self.runs, style, self.bullet, self.extra, self.text)

    def with_bullet(self, bullet: Style | None) -> "Paragraph":
        return Paragraph(self.runs, self.style, bullet, self.extra, self.text)


def _append(runs: list[Run], run: Run) -> None:
    """Append `run`, merged into the last one when both are text runs of one style and marks."""
    if not run.text:
        return
    last = runs[-1] if runs else None
    if last is not None and last.kind is None and run.kind is None and last.style == run.style and last.extra == run.extra:
        runs[-1] = Run(last.text + run.text, run.style, None, None, run.extra, run.styled)
    else:
        runs.append(run)


@dataclass(frozen=True, slots=True)
class Block:
    """A structural element other than a paragraph: a table, a table of contents or a section break.

    Held as its API JSON with every startIndex/endIndex inside it made relative to the block's
    own start, so the block moves with edits before it at no cost. Edits inside a block are not
    modelled (501); its length is exact, so every index around it is.
    """

    kind: str  # "table" | "tableOfContents" | "sectionBreak"
    payload: Style
    length: int

    @property
    def text(self) -> str:
        return ATOM * self.length


Item = Paragraph | Block


def shift_indexes(value: Any, delta: int) -> Any:
    """A copy of JSON `value` with every startIndex/endIndex moved by `delta` (a missing startIndex is 0)."""
    if isinstance(value, list):
        return [shift_indexes(v, delta) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: shift_indexes(v, delta) for k, v in value.items()}
    if "endIndex" in value or "startIndex" in value:
        # proto3 JSON omits a zero startIndex, so one at 0 is dropped and a missing one read as 0.
        start = value.get("startIndex", 0) + delta
        if start:
            out["startIndex"] = start
        else:
            out.pop("startIndex", None)
        if "endIndex" in value:
            out["endIndex"] = value["endIndex"] + delta
    return out


def empty_paragraph(style: Style | None = None) -> Paragraph:
    """The lone "\\n" paragraph of a new document."""
    return Paragraph.make([Run("\n", {})], dict(style or DEFAULT_PARAGRAPH_STYLE))


def text_run(text: str, style: Style) -> Run:
    return Run(to_units(text), style)


def run_content(run: Run) -> str:
    return from_units(run.text)
