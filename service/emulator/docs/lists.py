"""Lists and bullets: preset glyphs, and the createParagraphBullets / deleteParagraphBullets requests."""

from __future__ import annotations

from typing import Any

from .named_ranges import shift_for_delete
from .paragraphs import Paragraph, Style
from .requests import RequestContext

MAX_NESTING = 8  # nesting levels 0..8

# Glyph symbols of the unordered presets, repeating every three levels. The symbols
# are the ones the Docs UI shows; the exact code points Google stores are UNCONFIRMED.
_SYMBOLS = {
    "BULLET_DISC_CIRCLE_SQUARE": ("●", "○", "■"),
    "BULLET_DIAMONDX_ARROW3D_SQUARE": ("❖", "➢", "■"),
    "BULLET_ARROW_DIAMOND_DISC": ("➔", "◆", "●"),
    "BULLET_STAR_CIRCLE_SQUARE": ("★", "○", "■"),
    "BULLET_ARROW3D_CIRCLE_SQUARE": ("➢", "○", "■"),
    "BULLET_LEFTTRIANGLE_DIAMOND_DISC": ("◄", "◆", "●"),
    "BULLET_DIAMONDX_HOLLOWDIAMOND_SQUARE": ("❖", "◇", "■"),
    "BULLET_DIAMOND_CIRCLE_SQUARE": ("◆", "○", "■"),
}
# Glyph types and format suffix of the ordered presets, repeating every three levels.
_NUMBERED = {
    "NUMBERED_DECIMAL_ALPHA_ROMAN": (("DECIMAL", "ALPHA", "ROMAN"), "."),
    "NUMBERED_DECIMAL_ALPHA_ROMAN_PARENS": (("DECIMAL", "ALPHA", "ROMAN"), ")"),
    "NUMBERED_DECIMAL_NESTED": (("DECIMAL", "DECIMAL", "DECIMAL"), "."),
    "NUMBERED_UPPERALPHA_ALPHA_ROMAN": (("UPPER_ALPHA", "ALPHA", "ROMAN"), "."),
    "NUMBERED_UPPERROMAN_UPPERALPHA_DECIMAL": (("UPPER_ROMAN", "UPPER_ALPHA", "DECIMAL"), "."),
    "NUMBERED_ZERODECIMAL_ALPHA_ROMAN": (("ZERO_DECIMAL", "ALPHA", "ROMAN"), "."),
}
PRESETS = frozenset(_SYMBOLS) | frozenset(_NUMBERED) | {"BULLET_CHECKBOX"}


def _points(magnitude: float) -> Style:
    return {"magnitude": magnitude, "unit": "PT"}


def nesting_levels(preset: str) -> list[Style]:
    """The nine NestingLevels of a new list (indents 36pt per level, as the Docs UI makes them)."""
    levels = []
    for n in range(MAX_NESTING + 1):
        level: Style = {
            "bulletAlignment": "START",
            "indentFirstLine": _points(18 + 36 * n),
            "indentStart": _points(36 + 36 * n),
            "textStyle": {"underline": False},
            "startNumber": 1,
        }
        if preset == "BULLET_CHECKBOX":
            # Observed (google-api-nodejs-client#2870): checklists read back with
            # GLYPH_TYPE_UNSPECIFIED and no glyphSymbol; checked state is not exposed.
            level.update(glyphType="GLYPH_TYPE_UNSPECIFIED", glyphFormat=f"%{n}")
        elif preset in _SYMBOLS:
            level.update(glyphSymbol=_SYMBOLS[preset][n % 3], glyphFormat=f"%{n}")
        else:
            types, suffix = _NUMBERED[preset]
            if preset == "NUMBERED_DECIMAL_NESTED":
                glyph_format = "".join(f"%{k}." for k in range(n + 1))  # 1. / 1.1. / 1.1.1.
            else:
                glyph_format = f"%{n}{suffix}"
            level.update(glyphType=types[n % 3], glyphFormat=glyph_format)
        levels.append(level)
    return levels


def lists_resource(lists: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Document.lists, without the preset the emulator keeps for list joining."""
    return {list_id: {k: v for k, v in entry.items() if k != "preset"} for list_id, entry in lists.items()}


def create_paragraph_bullets(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """Bullets for every paragraph the range overlaps (RULES).

    Leading tabs give each paragraph's nesting level and are removed (indexes shift,
    named ranges move with them). Tabs beyond 8 are removed too and the level capped at
    8 (choice: undocumented). If the paragraph just before the range is in a list with
    the same preset, the paragraphs join that list (RULES). Not modelled: the
    paragraph indents Google may also write into list paragraphs' paragraphStyle.
    """
    ctx.check_keys(req, {"range", "bulletPreset"})
    preset = req.get("bulletPreset")
    if not isinstance(preset, str) or preset not in PRESETS:
        raise ctx.error(f"Invalid bulletPreset: {preset!r}.")
    where, start, end = ctx.range(req.get("range"), allow_final_newline=True)
    tab, segment = where.tab, where.segment
    paragraphs = ctx.paragraphs_in(where, start, end)

    list_id = None
    first = paragraphs[0][0] if paragraphs else 0
    before = segment.items[first - 1] if first > 0 else None
    if isinstance(before, Paragraph) and before.bullet is not None:
        if tab.lists.get(before.bullet["listId"], {}).get("preset") == preset:
            list_id = before.bullet["listId"]
    if list_id is None:
        list_id = ctx.ids.list_id()
        tab.lists[list_id] = {"preset": preset, "listProperties": {"nestingLevels": nesting_levels(preset)}}

    starts = segment.starts()
    for number, para in reversed(paragraphs):  # back to front: earlier start indexes stay valid
        tabs = len(para.text) - len(para.text.lstrip("\t"))
        if tabs:
            para = Paragraph.joined([], [], para.slice(tabs, para.length), para.style, para.bullet, para.extra)
            shift_for_delete(tab.named_ranges, where.segment_id, starts[number], starts[number] + tabs)
        bullet = {"listId": list_id, "nestingLevel": min(tabs, MAX_NESTING), "textStyle": {}}
        segment.put(number, para.with_bullet(bullet))
    return {}


def delete_paragraph_bullets(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """Remove bullets from every overlapping paragraph, keeping the visual nesting.

    Google "adds indent to the start of the corresponding paragraph"; modelled as
    indentStart and indentFirstLine both set to the list level's indentStart (where
    the item's text was), stored in the paragraph style.
    """
    ctx.check_keys(req, {"range"})
    where, start, end = ctx.range(req.get("range"), allow_final_newline=True)
    tab = where.tab
    for number, para in ctx.paragraphs_in(where, start, end):
        if para.bullet is None:
            continue
        levels = tab.lists.get(para.bullet["listId"], {}).get("listProperties", {}).get("nestingLevels", [])
        level = para.bullet.get("nestingLevel", 0)
        style = dict(para.style)
        if level < len(levels):
            indent = levels[level]["indentStart"]
            style.update(indentStart=indent, indentFirstLine=indent)
        where.segment.put(number, para.with_style(style).with_bullet(None))
    return {}
