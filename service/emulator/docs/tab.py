"""A document's tabs: the tree (ids, titles, order, nesting) and each tab's content (segments, lists, ranges, chips)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from .named_ranges import NamedRange
from .paragraphs import Style
from .segment import Segment

FIRST_TAB_ID = "t.0"
SEGMENT_KINDS = ("headers", "footers", "footnotes")
# DocumentTab fields the emulator keeps as Google gave them (it never edits them; the caller
# must not mutate what it reads): styles, objects, suggested style changes, comment anchors.
PASSTHROUGH_FIELDS = ("documentStyle", "namedStyles", "inlineObjects", "positionedObjects",
                      "suggestedDocumentStyleChanges", "suggestedNamedStylesChanges", "commentAnchors")


class DocumentTab:
    """One tab's content: the body, the headers/footers/footnotes (segments keyed by id, with
    their kind), lists, named ranges, dropdown definitions and the passthrough fields."""

    def __init__(self, body: Segment, *, segments: dict[str, tuple[str, Segment]] | None = None,
                 lists: dict[str, dict[str, Any]] | None = None, named_ranges: dict[str, NamedRange] | None = None,
                 dropdowns: dict[str, Style] | None = None, fields: dict[str, Any] | None = None) -> None:
        self.body = body
        self.segments = segments if segments is not None else {}  # id -> ("headers"|"footers"|"footnotes", Segment)
        # listId -> {"listProperties": ..., other List fields..., "preset": str (emulator only)}; values never mutated
        self.lists = lists if lists is not None else {}
        self.named_ranges = named_ranges if named_ranges is not None else {}
        self.dropdowns = dropdowns if dropdowns is not None else {}  # dropdownDefinitionId -> DropdownDefinition
        self.fields = fields if fields is not None else {}

    def clone(self) -> "DocumentTab":
        """A working copy for one batch (shallow: segments' items and all values are immutable)."""
        return DocumentTab(
            self.body.clone(),
            segments={k: (kind, seg.clone()) for k, (kind, seg) in self.segments.items()},
            lists=dict(self.lists), named_ranges=dict(self.named_ranges), dropdowns=dict(self.dropdowns),
            fields=dict(self.fields),
        )

    def segment(self, segment_id: str) -> Segment | None:
        if not segment_id:
            return self.body
        found = self.segments.get(segment_id)
        return None if found is None else found[1]

    def all_segments(self) -> Iterator[tuple[str, Segment]]:
        yield "", self.body
        for segment_id, (_, segment) in self.segments.items():
            yield segment_id, segment


@dataclass
class Tab:
    """A node of the tab tree. `properties` holds TabProperties other than the computed ones
    (index, nestingLevel, parentTabId): tabId, title, iconEmoji and anything else given."""

    properties: dict[str, Any]
    content: DocumentTab
    children: list["Tab"] = field(default_factory=list)

    @property
    def tab_id(self) -> str:
        return str(self.properties.get("tabId", ""))

    def clone(self) -> "Tab":
        return Tab(dict(self.properties), self.content.clone(), [c.clone() for c in self.children])


def walk(tabs: list[Tab], parent: Tab | None = None, level: int = 0) -> Iterator[tuple[Tab, Tab | None, int, int]]:
    """(tab, parent, index within parent, nesting level) of every tab, in document order (pre-order)."""
    for index, tab in enumerate(tabs):
        yield tab, parent, index, level
        yield from walk(tab.children, tab, level + 1)


def find(tabs: list[Tab], tab_id: str) -> tuple[Tab, list[Tab]] | None:
    """The tab with `tab_id` and the sibling list holding it."""
    for tab, parent, _, _ in walk(tabs):
        if tab.tab_id == tab_id:
            return tab, (parent.children if parent is not None else tabs)
    return None


def count(tabs: list[Tab]) -> int:
    return sum(1 for _ in walk(tabs))
