"""Serialisation of the document model to the Docs API `Document` JSON (proto3 style: zero values omitted)."""

from __future__ import annotations

import json

from .lists import lists_resource
from .named_ranges import named_ranges_resource
from .paragraphs import Paragraph, Style
from .tab import BODY_START, FIRST_TAB_ID, DocumentTab
from .text import from_units


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


def _link_shape(style: Style, tabs_mode: bool) -> Style:
    """Legacy headingId/bookmarkId are returned only for a single-tab read without tabs
    content; otherwise heading{id, tabId} / bookmark{id, tabId} (google-apis.md §4.2)."""
    link = style.get("link")
    if not link:
        return style
    if tabs_mode:
        for legacy, modern in (("headingId", "heading"), ("bookmarkId", "bookmark")):
            if legacy in link:
                link = {modern: {"id": link[legacy], "tabId": FIRST_TAB_ID}}
    else:
        for legacy, modern in (("headingId", "heading"), ("bookmarkId", "bookmark")):
            if modern in link:
                link = {legacy: link[modern].get("id", "")}
    return {**style, "link": link}


def _paragraph(para: Paragraph, start: int, tabs_mode: bool) -> Style:
    elements, pos = [], start
    for run in para.runs:
        end = pos + len(run.text)
        # An empty textStyle {} is kept on runs, as Google shows it.
        text_run = {"content": from_units(run.text), "textStyle": _link_shape(run.style, tabs_mode)}
        elements.append({"startIndex": pos, "endIndex": end, "textRun": text_run})
        pos = end
    out: Style = {"elements": elements, "paragraphStyle": para.style}
    if para.bullet is not None:
        bullet = {k: v for k, v in para.bullet.items() if not (k == "nestingLevel" and v == 0)}
        out["bullet"] = bullet
    return {"startIndex": start, "endIndex": pos, "paragraph": out}


def body_resource(tab: DocumentTab, tabs_mode: bool) -> Style:
    content = [SECTION_BREAK]
    for para, start in zip(tab.paragraphs, tab.starts()):
        content.append(_paragraph(para, start, tabs_mode))
    assert content[1]["startIndex"] == BODY_START
    return {"content": content}


def tab_fields(tab: DocumentTab, tabs_mode: bool) -> Style:
    """body, lists, namedRanges, documentStyle, namedStyles (empty maps omitted, as proto3 JSON does)."""
    out: Style = {"body": body_resource(tab, tabs_mode), "documentStyle": DOCUMENT_STYLE, "namedStyles": named_styles()}
    if tab.lists:
        out["lists"] = lists_resource(tab.lists)
    if tab.named_ranges:
        out["namedRanges"] = named_ranges_resource(tab.named_ranges)
    return out


def document_resource(document_id: str, title: str, revision_id: str, tab: DocumentTab, *, include_tabs_content: bool) -> Style:
    doc: Style = {"documentId": document_id, "title": title, "revisionId": revision_id,
                  "suggestionsViewMode": "SUGGESTIONS_INLINE"}
    if include_tabs_content:
        # The legacy top-level content fields are NOT populated in this mode (DOCS-DD includeTabsContent).
        doc["tabs"] = [{"tabProperties": {"tabId": FIRST_TAB_ID, "title": "Tab 1"},
                        "documentTab": tab_fields(tab, True)}]
    else:
        doc.update(tab_fields(tab, False))
    # One copy per read: the caller may mutate (e.g. apply a fields mask) without
    # touching the stored model, whose style dicts are shared and immutable.
    result: Style = json.loads(json.dumps(doc))
    return result
