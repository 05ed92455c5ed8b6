"""Dropdown chips and their definitions, person and date chips, page breaks; strikethrough and checklists as Google documents them."""

from __future__ import annotations

from typing import Any

import pytest

from service.emulator.docs.document import Document
from service.emulator.errors import ApiError
from service.emulator.ids import IdSource

RATINGS = {"dropdownDefinitionId": "kix.rating", "dropdownDefinitionProperties": {"title": "Rating", "options": [
    {"optionId": "dropdownItem.one", "displayValue": "1 – struggling"},
    {"optionId": "dropdownItem.three", "displayValue": "3 – fine", "textStyle": {"foregroundColor": {"color": {"rgbColor": {"green": 0.5}}}}},
    {"optionId": "dropdownItem.five", "displayValue": "5 – great"},
]}}


@pytest.fixture
def ids() -> IdSource:
    return IdSource(3)


@pytest.fixture
def doc(ids: IdSource) -> Document:
    doc = Document.create("doc-c", "Chips", ids)
    doc.batch_update({"requests": [{"insertText": {"location": {"index": 1}, "text": "Rating: "}}]}, ids)
    return doc


def apply(doc: Document, ids: IdSource, *requests: dict[str, Any]) -> list[dict[str, Any]]:
    return doc.batch_update({"requests": list(requests)}, ids)["replies"]


def refused(doc: Document, ids: IdSource, *requests: dict[str, Any]) -> ApiError:
    before = doc.to_state()
    with pytest.raises(ApiError) as caught:
        apply(doc, ids, *requests)
    assert doc.to_state() == before
    return caught.value


def elements(doc: Document) -> list[dict[str, Any]]:
    return doc.to_resource(include_tabs_content=True)["tabs"][0]["documentTab"]["body"]["content"][1]["paragraph"]["elements"]


def test_a_dropdown_chip_from_its_definition(doc: Document, ids: IdSource) -> None:
    created, inserted = apply(doc, ids, {"createDropdownDefinition": {"dropdownDefinition": RATINGS}},
                              {"insertDropdown": {"dropdownDefinitionId": "kix.rating", "location": {"index": 9}}})
    assert created == {"createDropdownDefinition": {"dropdownDefinition": RATINGS}}
    dropdown = inserted["insertDropdown"]["dropdown"]
    assert dropdown["dropdownProperties"] == {"dropdownDefinitionId": "kix.rating", "selectedOptionId": "dropdownItem.one",
                                              "displayValue": "1 – struggling"}
    chip = elements(doc)[1]
    assert chip == {"startIndex": 9, "endIndex": 10, "dropdown": {**dropdown, "textStyle": {}}}
    tab = doc.to_resource(include_tabs_content=True)["tabs"][0]["documentTab"]
    assert tab["dropdownDefinitions"] == {"kix.rating": RATINGS}
    assert "dropdownDefinitions" not in doc.to_resource()  # DocumentTab only
    # A person picks "5": the displayed value follows; the chip stays one unit.
    apply(doc, ids, {"updateDropdownProperties": {"dropdownId": dropdown["dropdownId"], "fields": "selectedOptionId",
                                                  "dropdownProperties": {"selectedOptionId": "dropdownItem.five"}}})
    assert elements(doc)[1]["dropdown"]["dropdownProperties"]["displayValue"] == "5 – great"
    assert elements(doc)[-1]["endIndex"] == 11


def test_a_selected_option_and_generated_ids(doc: Document, ids: IdSource) -> None:
    definition = {"dropdownDefinitionProperties": {"options": [{"displayValue": "Open"}, {"displayValue": "Done"}]}}
    (created,) = apply(doc, ids, {"createDropdownDefinition": {"dropdownDefinition": definition}})
    made = created["createDropdownDefinition"]["dropdownDefinition"]
    assert made["dropdownDefinitionId"].startswith("kix.")
    done = made["dropdownDefinitionProperties"]["options"][1]["optionId"]
    assert done.startswith("dropdownItem.")
    (inserted,) = apply(doc, ids, {"insertDropdown": {"dropdownDefinitionId": made["dropdownDefinitionId"],
                                                      "selectedOptionId": done, "endOfSegmentLocation": {}}})
    assert inserted["insertDropdown"]["dropdown"]["dropdownProperties"]["displayValue"] == "Done"


@pytest.mark.parametrize("change, words", [
    (lambda d: d["dropdownDefinitionProperties"].update(options=d["dropdownDefinitionProperties"]["options"][:1]), "between 2 and 50"),
    (lambda d: d["dropdownDefinitionProperties"].update(options=[{"displayValue": str(n)} for n in range(51)]), "between 2 and 50"),
    (lambda d: d.update(dropdownDefinitionId="rating"), "must match"),
    (lambda d: d.update(dropdownDefinitionId="kix.a"), "must match"),
    (lambda d: d["dropdownDefinitionProperties"]["options"][0].update(optionId="item.one"), "must match"),
    (lambda d: d["dropdownDefinitionProperties"]["options"][1].update(optionId="dropdownItem.one"), "used twice"),
    (lambda d: d["dropdownDefinitionProperties"]["options"][0].update(textStyle={"bold": True}), "foregroundColor"),
])
def test_definition_limits_are_400s(doc: Document, ids: IdSource, change: Any, words: str) -> None:
    import copy

    definition = copy.deepcopy(RATINGS)
    change(definition)
    assert words in refused(doc, ids, {"createDropdownDefinition": {"dropdownDefinition": definition}}).message


def test_dropdown_misuse_is_refused(doc: Document, ids: IdSource) -> None:
    (_, inserted) = apply(doc, ids, {"createDropdownDefinition": {"dropdownDefinition": RATINGS}},
                          {"insertDropdown": {"dropdownDefinitionId": "kix.rating", "location": {"index": 9}}})
    dropdown_id = inserted["insertDropdown"]["dropdown"]["dropdownId"]
    assert "already used" in refused(doc, ids, {"createDropdownDefinition": {"dropdownDefinition": RATINGS}}).message
    assert refused(doc, ids, {"insertDropdown": {"dropdownDefinitionId": "kix.nope", "location": {"index": 1}}}).code == 400
    assert refused(doc, ids, {"insertDropdown": {"dropdownDefinitionId": "kix.rating", "selectedOptionId": "dropdownItem.x",
                                                 "location": {"index": 1}}}).code == 400
    assert refused(doc, ids, {"updateDropdownProperties": {"dropdownId": dropdown_id, "fields": "selectedOptionId",
                                                           "dropdownProperties": {"selectedOptionId": "dropdownItem.x"}}}).code == 400
    # A definition in use cannot be deleted (DOCS-DD); once its chip is gone it can.
    assert "used by dropdowns" in refused(doc, ids, {"deleteDropdownDefinition": {"dropdownDefinitionId": "kix.rating"}}).message
    apply(doc, ids, {"deleteContentRange": {"range": {"startIndex": 9, "endIndex": 10}}},
          {"deleteDropdownDefinition": {"dropdownDefinitionId": "kix.rating"}})
    assert "dropdownDefinitions" not in doc.to_resource(include_tabs_content=True)["tabs"][0]["documentTab"]


def test_person_date_and_page_break(doc: Document, ids: IdSource) -> None:
    apply(doc, ids,
          {"insertPerson": {"personProperties": {"email": "sam@example.com", "name": "Sam"}, "location": {"index": 9}}},
          {"insertDate": {"dateElementProperties": {"timestamp": "2026-11-16T09:00:00Z", "dateFormat": "DATE_FORMAT_ISO8601"},
                          "location": {"index": 10}}},
          {"insertPageBreak": {"endOfSegmentLocation": {}}})
    body = doc.to_resource()["body"]["content"]
    first = body[1]["paragraph"]["elements"]
    assert first[1]["person"]["personProperties"] == {"email": "sam@example.com", "name": "Sam"}
    assert first[1]["person"]["personId"]
    assert first[2]["dateElement"]["dateElementProperties"]["displayText"] == "2026-11-16"
    assert [e["startIndex"] for e in first] == [1, 9, 10, 11, 12]
    assert "pageBreak" in first[3] and first[4]["textRun"]["content"] == "\n"  # a page break, then a newline
    assert body[-1]["startIndex"] == 13 and body[-1]["endIndex"] == 14
    assert refused(doc, ids, {"insertPerson": {"personProperties": {"name": "No email"}, "location": {"index": 1}}}).code == 400


def test_strikethrough_and_checklists_as_documented(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, {"insertText": {"location": {"index": 9}, "text": "done\ntodo"}},
          {"createParagraphBullets": {"range": {"startIndex": 1, "endIndex": 19}, "bulletPreset": "BULLET_CHECKBOX"}},
          {"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 14}, "textStyle": {"strikethrough": True},
                               "fields": "strikethrough"}})
    resource = doc.to_resource()
    first, second = resource["body"]["content"][1:3]
    runs = first["paragraph"]["elements"]
    # Strikethrough is a plain boolean TextStyle field; the struck newline merges into one run.
    assert [e["textRun"] for e in runs] == [{"content": "Rating: done\n", "textStyle": {"strikethrough": True}}]
    # The checklist's list: GLYPH_TYPE_UNSPECIFIED, no glyph symbol; a checked state is not exposed.
    list_id = first["paragraph"]["bullet"]["listId"]
    assert second["paragraph"]["bullet"]["listId"] == list_id
    level = resource["lists"][list_id]["listProperties"]["nestingLevels"][0]
    assert level["glyphType"] == "GLYPH_TYPE_UNSPECIFIED" and "glyphSymbol" not in level
    # A range fully covering a list paragraph restyles its bullet too (documented).
    assert first["paragraph"]["bullet"]["textStyle"] == {"strikethrough": True}
    assert second["paragraph"]["bullet"].get("textStyle", {}) == {}
