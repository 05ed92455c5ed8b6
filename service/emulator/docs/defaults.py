"""What a new document holds before anyone writes: the section break, the document style and the named styles."""

from __future__ import annotations

from .paragraphs import Block, Style, empty_paragraph
from .segment import Segment
from .tab import DocumentTab, Tab


def _points(magnitude: float) -> Style:
    return {"magnitude": magnitude, "unit": "PT"}


# Observed shape of the first element (google-apis.md §1.2); its startIndex 0 is omitted.
SECTION_BREAK: Style = {
    "endIndex": 1,
    "sectionBreak": {
        "sectionStyle": {"columnSeparatorStyle": "NONE", "contentDirection": "LEFT_TO_RIGHT", "sectionType": "CONTINUOUS"}
    },
}

# A small plausible default (Letter size, 1in margins): Docket reads none of it.
DOCUMENT_STYLE: Style = {
    "background": {"color": {}},
    "pageNumberStart": 1,
    "marginTop": _points(72), "marginBottom": _points(72), "marginRight": _points(72), "marginLeft": _points(72),
    "pageSize": {"height": _points(792), "width": _points(612)},
    "marginHeader": _points(36), "marginFooter": _points(36),
    "useCustomHeaderFooterMargins": True,
    "documentFormat": {"documentMode": "PAGES"},
}

_BLACK = {"color": {"rgbColor": {}}}  # proto3: black's zero components are omitted
_GREY = {"color": {"rgbColor": {"red": 0.4, "green": 0.4, "blue": 0.4}}}
# (namedStyleType, font size pt, extra text style, space above pt, space below pt): the Docs defaults.
_NAMED = [
    ("NORMAL_TEXT", 11, {}, 0, 0),
    ("HEADING_1", 20, {}, 20, 6),
    ("HEADING_2", 16, {}, 18, 6),
    ("HEADING_3", 14, {"foregroundColor": {"color": {"rgbColor": {"red": 0.2627451, "green": 0.2627451, "blue": 0.2627451}}}}, 16, 4),
    ("HEADING_4", 12, {"foregroundColor": _GREY}, 14, 4),
    ("HEADING_5", 11, {"foregroundColor": _GREY}, 12, 4),
    ("HEADING_6", 11, {"foregroundColor": _GREY, "italic": True}, 12, 4),
    ("TITLE", 26, {}, 0, 3),
    ("SUBTITLE", 15, {"foregroundColor": _GREY}, 0, 16),
]


def named_styles() -> Style:
    styles = []
    for kind, size, extra, above, below in _NAMED:
        text: Style = {"fontSize": _points(size), "foregroundColor": _BLACK,
                       "weightedFontFamily": {"fontFamily": "Arial", "weight": 400}}
        text.update(extra)
        paragraph: Style = {"namedStyleType": kind, "direction": "LEFT_TO_RIGHT", "lineSpacing": 115}
        if kind != "NORMAL_TEXT":
            paragraph["keepWithNext"] = True
        if above:
            paragraph["spaceAbove"] = _points(above)
        if below:
            paragraph["spaceBelow"] = _points(below)
        styles.append({"namedStyleType": kind, "textStyle": text, "paragraphStyle": paragraph})
    return {"styles": styles}


def section_break() -> Block:
    """The body's leading section break (index 0, 1 unit)."""
    return Block("sectionBreak", SECTION_BREAK["sectionBreak"], 1)


def new_tab(tab_id: str, title: str) -> Tab:
    """A tab as the editor makes it: a section break and one empty paragraph, default styles."""
    content = DocumentTab(Segment([section_break(), empty_paragraph()]),
                          fields={"documentStyle": DOCUMENT_STYLE, "namedStyles": named_styles()})
    return Tab({"tabId": tab_id, "title": title}, content)
