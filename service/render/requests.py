"""Turns blocks into the text to insert and the Docs batchUpdate requests that style it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.render.blocks import Block, ListKind, utf16_len

BULLET_PRESETS: dict[ListKind, str] = {
    "bullet": "BULLET_DISC_CIRCLE_SQUARE",
    "number": "NUMBERED_DECIMAL_ALPHA_ROMAN",
    "checkbox": "BULLET_CHECKBOX",
}

# Everything a paragraph or character can carry over from the text before the
# insertion point (Docs copies both, reference §0.4). Listing a field with no
# value resets it to the named style's.
PARAGRAPH_RESET_FIELDS = "namedStyleType,alignment,indentStart,indentEnd,indentFirstLine"
TEXT_RESET_FIELDS = (
    "bold,italic,underline,strikethrough,smallCaps,link,foregroundColor,backgroundColor,"
    "fontSize,weightedFontFamily,baselineOffset"
)

Request = dict[str, Any]


def _range(start: int, end: int) -> dict[str, int]:
    return {"startIndex": start, "endIndex": end}


@dataclass(frozen=True)
class _Run:
    """Contiguous list paragraphs that become one Docs list (one createParagraphBullets)."""

    preset: str
    start: int  # offsets in the inserted text, before Docs removes the leading tabs
    end: int


@dataclass(frozen=True)
class Rendered:
    """A rendered section: its blocks, the text to insert, and how to style it once inserted."""

    blocks: tuple[Block, ...]
    text: str
    length: int
    heading_offset: int | None

    @classmethod
    def from_blocks(cls, blocks: tuple[Block, ...]) -> Rendered:
        text = "".join(_paragraph_text(block) for block in blocks)
        tabs = sum(block.depth for block in blocks if block.kind == "list_item")
        chips = sum(len(block.chips) for block in blocks)
        heading_offset: int | None = None
        offset = 0
        for block in blocks:
            if block.kind == "heading":
                heading_offset = offset
                break
            offset += utf16_len(block.plain) + 1  # final coordinates: no tabs
        # Each chip is one more unit once inserted, after the text (Docs counts a dropdown as 1).
        return cls(blocks, text, utf16_len(text) - tabs + chips, heading_offset)

    def requests(self, start: int) -> list[Request]:
        """Styling for `text` once inserted at `start`: resets first, then styles, then bullets back-to-front."""
        if not self.blocks:
            return []
        end = start + utf16_len(self.text)
        out: list[Request] = [
            # Bullets go before the paragraph reset: deleting an inherited bullet
            # adds indentation to keep its look, which the reset then removes.
            {"deleteParagraphBullets": {"range": _range(start, end)}},
            {
                "updateParagraphStyle": {
                    "range": _range(start, end),
                    "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                    "fields": PARAGRAPH_RESET_FIELDS,
                }
            },
            {"updateTextStyle": {"range": _range(start, end), "textStyle": {}, "fields": TEXT_RESET_FIELDS}},
        ]
        runs: list[_Run] = []
        position = start
        for block in self.blocks:
            paragraph_end = position + utf16_len(_paragraph_text(block))
            if block.kind == "heading":
                out.append(
                    {
                        "updateParagraphStyle": {
                            "range": _range(position, paragraph_end),
                            "paragraphStyle": {"namedStyleType": f"HEADING_{block.level}"},
                            "fields": "namedStyleType",
                        }
                    }
                )
            out.extend(_span_styles(block, position + (block.depth if block.kind == "list_item" else 0)))
            if block.kind == "list_item":
                _add_to_runs(runs, block, position, paragraph_end)
            position = paragraph_end
        # Back-to-front: each createParagraphBullets removes the leading tabs of
        # its own paragraphs, which would shift every index after them.
        for run in sorted(runs, key=lambda r: r.start, reverse=True):
            out.append({"createParagraphBullets": {"range": _range(run.start, run.end), "bulletPreset": run.preset}})
        out.extend(self._chip_requests(start))
        return out

    def _chip_requests(self, start: int) -> list[Request]:
        """insertDropdown for every chip, back-to-front in final coordinates (the bullets have removed the tabs)."""
        places: list[tuple[int, str, str | None]] = []
        offset = start
        for block in self.blocks:
            places.extend((offset + chip.offset, chip.definition, chip.option) for chip in block.chips)
            offset += utf16_len(block.plain) + 1
        out: list[Request] = []
        for index, definition, option in sorted(places, reverse=True):
            request: dict[str, Any] = {"location": {"index": index}, "dropdownDefinitionId": definition}
            if option is not None:
                request["selectedOptionId"] = option
            out.append({"insertDropdown": request})
        return out


def _paragraph_text(block: Block) -> str:
    tabs = "\t" * block.depth if block.kind == "list_item" else ""
    return tabs + block.plain + "\n"


def _span_styles(block: Block, position: int) -> list[Request]:
    out: list[Request] = []
    for span in block.spans:
        span_end = position + utf16_len(span.text)
        style: dict[str, Any] = {}
        if span.bold:
            style["bold"] = True
        if span.italic:
            style["italic"] = True
        if span.link:
            style["link"] = {"url": span.link}
        if style:  # spans never hold "\n", so a link never touches a paragraph end
            out.append({"updateTextStyle": {"range": _range(position, span_end), "textStyle": style, "fields": ",".join(style)}})
        position = span_end
    return out


def _add_to_runs(runs: list[_Run], block: Block, start: int, end: int) -> None:
    """Extend the current run, or begin one.

    A run is one top-level Markdown list, split where its outermost items change
    kind. Nested items follow their outermost item's preset, because Docs gives a
    list one preset for all nesting levels, and splitting it would restart the
    numbering after every nested list.
    """
    preset = BULLET_PRESETS[block.list_kind or "bullet"]
    current = runs[-1] if runs else None
    continues = current is not None and current.end == start and not block.starts_list
    if continues and (block.depth > 0 or current.preset == preset):
        runs[-1] = _Run(current.preset, current.start, end)
    else:
        runs.append(_Run(preset, start, end))
