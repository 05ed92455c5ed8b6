"""createParagraphBullets / deleteParagraphBullets on the emulated document: presets, nesting tabs, list joining."""

from __future__ import annotations

from typing import Any

import pytest

from service.emulator.docs.document import Document
from service.emulator.docs.lists import PRESETS
from service.emulator.errors import ApiError
from service.emulator.ids import IdSource


@pytest.fixture
def ids() -> IdSource:
    return IdSource(3)


@pytest.fixture
def doc(ids: IdSource) -> Document:
    return Document.create("doc-l", "Lists", ids)


def apply(doc: Document, ids: IdSource, *requests: dict[str, Any]) -> dict[str, Any]:
    return doc.batch_update({"requests": list(requests)}, ids)


def insert(index: int, text: str) -> dict[str, Any]:
    return {"insertText": {"location": {"index": index}, "text": text}}


def bullets(start: int, end: int, preset: str) -> dict[str, Any]:
    return {"createParagraphBullets": {"range": {"startIndex": start, "endIndex": end}, "bulletPreset": preset}}


def paragraphs(doc: Document) -> list[dict[str, Any]]:
    return [e for e in doc.to_resource()["body"]["content"] if "paragraph" in e]


def test_leading_tabs_set_nesting_and_are_removed(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "top\n\tchild\n\t\tgrandchild\nback\n"), bullets(1, 30, "BULLET_DISC_CIRCLE_SQUARE"))
    paras = paragraphs(doc)
    assert doc.plain_text() == "top\nchild\ngrandchild\nback\n\n"
    assert [(p["startIndex"], p["endIndex"]) for p in paras] == [(1, 5), (5, 11), (11, 22), (22, 27), (27, 28)]
    levels = [p["paragraph"].get("bullet", {}).get("nestingLevel") for p in paras]
    assert levels == [None, 1, 2, None, None]  # nestingLevel 0 is omitted, like Google
    assert "listId" in paras[0]["paragraph"]["bullet"] and "bullet" not in paras[4]["paragraph"]
    list_id = paras[0]["paragraph"]["bullet"]["listId"]
    assert list_id.startswith("kix.")
    levels_json = doc.to_resource()["lists"][list_id]["listProperties"]["nestingLevels"]
    assert len(levels_json) == 9
    assert [lvl["glyphSymbol"] for lvl in levels_json[:4]] == ["●", "○", "■", "●"]


def test_checkbox_levels_have_no_glyph_symbol(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "todo\n"), bullets(1, 5, "BULLET_CHECKBOX"))
    list_id = paragraphs(doc)[0]["paragraph"]["bullet"]["listId"]
    for level in doc.to_resource()["lists"][list_id]["listProperties"]["nestingLevels"]:
        assert level["glyphType"] == "GLYPH_TYPE_UNSPECIFIED" and "glyphSymbol" not in level


def test_numbered_presets_have_ordered_glyphs(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "one\n"), bullets(1, 4, "NUMBERED_DECIMAL_NESTED"))
    list_id = paragraphs(doc)[0]["paragraph"]["bullet"]["listId"]
    levels = doc.to_resource()["lists"][list_id]["listProperties"]["nestingLevels"]
    assert [(lvl["glyphType"], lvl["glyphFormat"]) for lvl in levels[:3]] == [
        ("DECIMAL", "%0."), ("DECIMAL", "%0.%1."), ("DECIMAL", "%0.%1.%2."),
    ]


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_discovery_preset_is_accepted(doc: Document, ids: IdSource, preset: str) -> None:
    apply(doc, ids, insert(1, "x\n"), bullets(1, 2, preset))
    assert "bullet" in paragraphs(doc)[0]["paragraph"]


def test_unspecified_or_unknown_preset_is_refused(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "x\n"))
    for preset in ("BULLET_GLYPH_PRESET_UNSPECIFIED", "BULLET_SPIRAL", None):
        with pytest.raises(ApiError):
            apply(doc, ids, bullets(1, 2, preset))  # type: ignore[arg-type]


def test_adjacent_list_with_same_preset_is_joined(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "a\nb\nc\n"), bullets(1, 2, "BULLET_CHECKBOX"), bullets(3, 4, "BULLET_CHECKBOX"))
    paras = paragraphs(doc)
    assert paras[0]["paragraph"]["bullet"]["listId"] == paras[1]["paragraph"]["bullet"]["listId"]
    assert len(doc.to_resource()["lists"]) == 1
    apply(doc, ids, bullets(5, 6, "NUMBERED_DECIMAL_ALPHA_ROMAN"))  # different preset: a new list
    paras = paragraphs(doc)
    assert paras[2]["paragraph"]["bullet"]["listId"] != paras[1]["paragraph"]["bullet"]["listId"]


def test_a_heading_between_keeps_lists_separate(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "a\nWeek\nb\n"), bullets(1, 2, "BULLET_CHECKBOX"), bullets(8, 9, "BULLET_CHECKBOX"))
    paras = paragraphs(doc)
    assert paras[0]["paragraph"]["bullet"]["listId"] != paras[2]["paragraph"]["bullet"]["listId"]


def test_delete_bullets_keeps_visual_indent(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "a\n\tb\n"), bullets(1, 5, "BULLET_DISC_CIRCLE_SQUARE"))
    apply(doc, ids, {"deleteParagraphBullets": {"range": {"startIndex": 1, "endIndex": 5}}})
    paras = paragraphs(doc)
    assert all("bullet" not in p["paragraph"] for p in paras)
    assert paras[1]["paragraph"]["paragraphStyle"]["indentStart"] == {"magnitude": 72, "unit": "PT"}
    assert paras[0]["paragraph"]["paragraphStyle"]["indentStart"] == {"magnitude": 36, "unit": "PT"}


def test_tab_removal_moves_later_requests_indexes(doc: Document, ids: IdSource) -> None:
    # Bullets first, then styling computed on the pre-bullet indexes is off by the removed tab.
    apply(doc, ids, insert(1, "\titem\n"), bullets(1, 6, "BULLET_CHECKBOX"),
          {"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 5}, "textStyle": {"bold": True}, "fields": "bold"}})
    elements = paragraphs(doc)[0]["paragraph"]["elements"]
    assert elements[0]["textRun"] == {"content": "item", "textStyle": {"bold": True}}
