"""One segment of a tab (its body, a header, a footer or a footnote): structural elements with index lookup."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from .paragraphs import Block, Item, Paragraph
from .text import splits_pair


class Segment:
    """A segment's content as a list of immutable items (paragraphs and opaque blocks).

    Indexes are zero-based UTF-16 units from the segment's start: a body starts with its section
    break at 0 (1 unit), headers, footers and footnotes with their first paragraph at 0. Item
    start indexes are computed lazily (one linear pass, cached until an item's length changes),
    so each request costs O(document), never worse.
    """

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self._starts: list[int] | None = None

    def clone(self) -> "Segment":
        """A working copy for one batch: a shallow copy suffices because items are immutable values."""
        copy = Segment(list(self.items))
        copy._starts = self._starts  # never mutated in place (put/splice replace it), so it can be shared
        return copy

    # -- indexes -------------------------------------------------------------------

    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = list(accumulate((len(i.text) for i in self.items[:-1]), initial=0))
        return self._starts

    @property
    def end(self) -> int:
        """The segment's end index (exclusive): one past its final newline."""
        last = self.items[-1]
        return self.starts()[-1] + (last.length)

    @property
    def first_index(self) -> int:
        """The smallest index an edit may name: 1 in a body (after its section break), else 0."""
        first = self.items[0]
        return first.length if isinstance(first, Block) and first.kind == "sectionBreak" else 0

    def locate(self, index: int) -> tuple[int, int]:
        """(item number, offset inside it) of `index` (0 <= index < end)."""
        starts = self.starts()
        i = bisect_right(starts, index) - 1
        return i, index - starts[i]

    def paragraphs(self) -> list[tuple[int, Paragraph]]:
        """(number, paragraph) of every paragraph, blocks skipped."""
        return [(n, item) for n, item in enumerate(self.items) if isinstance(item, Paragraph)]

    def overlapping(self, start: int, end: int) -> range:
        """Numbers of the items that overlap [start, end), even partially."""
        first, _ = self.locate(start)
        last, _ = self.locate(max(start, end - 1))
        return range(first, last + 1)

    def splits_pair(self, index: int) -> bool:
        """True when `index` falls between the halves of a surrogate pair."""
        if index >= self.end:
            return False
        number, offset = self.locate(index)
        item = self.items[number]
        return isinstance(item, Paragraph) and splits_pair(item.text, offset)

    # -- mutation --------------------------------------------------------------------

    def put(self, number: int, item: Item) -> None:
        """Replace one item; the cached starts survive when its length is unchanged."""
        if item.length != self.items[number].length:
            self._starts = None
        self.items[number] = item

    def splice(self, first: int, last: int, new: list[Item]) -> None:
        """Replace items[first:last] with `new`."""
        self.items[first:last] = new
        self._starts = None

    def paragraph_texts(self) -> str:
        return "".join(item.text for item in self.items if isinstance(item, Paragraph))
