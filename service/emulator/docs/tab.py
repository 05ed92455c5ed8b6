"""The content of the document's only tab ("t.0"): body paragraphs, lists and named ranges, with index lookup."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Any

from .named_ranges import NamedRange
from .paragraphs import Paragraph
from .text import splits_pair

FIRST_TAB_ID = "t.0"

# Body index 0 is the section break (1 unit); the first paragraph starts at 1.
BODY_START = 1


class DocumentTab:
    """Body content as a list of immutable paragraphs, plus the tab's lists and named ranges.

    Paragraph start indexes are computed lazily (one linear pass, cached until the
    paragraph list changes length), so each request costs O(document), never worse.
    """

    def __init__(
        self,
        paragraphs: list[Paragraph],
        lists: dict[str, dict[str, Any]],
        named_ranges: dict[str, NamedRange],
    ) -> None:
        self.paragraphs = paragraphs
        self.lists = lists  # listId -> {"preset": ..., "listProperties": {...}}; values never mutated
        self.named_ranges = named_ranges
        self._starts: list[int] | None = None

    def clone(self) -> "DocumentTab":
        """A working copy for one batch: shallow copies suffice because paragraphs,
        list definitions and named ranges are immutable values."""
        return DocumentTab(list(self.paragraphs), dict(self.lists), dict(self.named_ranges))

    # -- indexes -------------------------------------------------------------------

    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = list(accumulate((p.length for p in self.paragraphs[:-1]), initial=BODY_START))
        return self._starts

    @property
    def end(self) -> int:
        """The body segment's end index (exclusive): one past its final newline."""
        return self.starts()[-1] + self.paragraphs[-1].length

    def locate(self, index: int) -> tuple[int, int]:
        """(paragraph number, offset inside it) of body index `index` (BODY_START <= index < end)."""
        starts = self.starts()
        i = bisect_right(starts, index) - 1
        return i, index - starts[i]

    def overlapping(self, start: int, end: int) -> range:
        """Numbers of the paragraphs that overlap [start, end), even partially."""
        first, _ = self.locate(start)
        last, _ = self.locate(max(start, end - 1))
        return range(first, last + 1)

    def splits_pair(self, index: int) -> bool:
        """True when body index `index` falls between the halves of a surrogate pair."""
        number, offset = self.locate(index)
        return splits_pair(self.paragraphs[number].text, offset)

    # -- mutation --------------------------------------------------------------------

    def put(self, number: int, paragraph: Paragraph) -> None:
        """Replace one paragraph; the cached starts survive when its length is unchanged."""
        if paragraph.length != self.paragraphs[number].length:
            self._starts = None
        self.paragraphs[number] = paragraph

    def splice(self, first: int, last: int, new: list[Paragraph]) -> None:
        """Replace paragraphs[first:last] with `new`."""
        self.paragraphs[first:last] = new
        self._starts = None

    # -- persistence -----------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {
            "paragraphs": [p.to_state() for p in self.paragraphs],
            "lists": self.lists,
            "namedRanges": [nr.to_state() for nr in self.named_ranges.values()],
        }

    @staticmethod
    def from_state(state: dict[str, Any]) -> "DocumentTab":
        ranges = [NamedRange.from_state(s) for s in state.get("namedRanges", [])]
        return DocumentTab(
            [Paragraph.from_state(p) for p in state["paragraphs"]],
            dict(state.get("lists", {})),
            {nr.named_range_id: nr for nr in ranges},
        )
