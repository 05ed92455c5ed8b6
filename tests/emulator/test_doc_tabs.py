"""Tabs: child tabs, tabProperties as Google returns them, tab requests, per-tab ranges, legacy vs tabs reads."""

from __future__ import annotations

from typing import Any

import pytest

from service.emulator.docs.document import Document
from service.emulator.errors import ApiError
from service.emulator.ids import IdSource


@pytest.fixture
def ids() -> IdSource:
    return IdSource(11)


@pytest.fixture
def doc(ids: IdSource) -> Document:
    return Document.create("doc-t", "Tabs", ids)


def apply(doc: Document, ids: IdSource, *requests: dict[str, Any]) -> dict[str, Any]:
    return doc.batch_update({"requests": list(requests)}, ids)


def refused(doc: Document, ids: IdSource, *requests: dict[str, Any]) -> ApiError:
    before = doc.to_state()
    with pytest.raises(ApiError) as caught:
        apply(doc, ids, *requests)
    assert doc.to_state() == before  # a refused batch changes nothing
    return caught.value


def add_tab(doc: Document, ids: IdSource, **props: Any) -> str:
    reply = apply(doc, ids, {"addDocumentTab": {"tabProperties": props}})
    return reply["replies"][0]["addDocumentTab"]["tabProperties"]["tabId"]


def tab_list(doc: Document) -> list[dict[str, Any]]:
    def walk(tabs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for tab in tabs:
            out.append(tab["tabProperties"])
            out += walk(tab.get("childTabs", []))
        return out

    return walk(doc.to_resource(include_tabs_content=True)["tabs"])


def body_text(tab: dict[str, Any]) -> str:
    return "".join(e["textRun"]["content"] for s in tab["documentTab"]["body"]["content"] if "paragraph" in s
                   for e in s["paragraph"]["elements"] if "textRun" in e)


def test_tab_properties_as_google_returns_them(doc: Document, ids: IdSource) -> None:
    notes = add_tab(doc, ids, title="Notes")
    child = add_tab(doc, ids, title="Week 1", parentTabId=notes, iconEmoji="📅")
    grandchild = add_tab(doc, ids, title="Detail", parentTabId=child)
    assert tab_list(doc) == [
        # index is shown even when 0 (as real captures show it); nestingLevel 0 is omitted (proto3)
        {"tabId": "t.0", "title": "Tab 1", "index": 0},
        {"tabId": notes, "title": "Notes", "index": 1},
        {"tabId": child, "title": "Week 1", "iconEmoji": "📅", "index": 0, "parentTabId": notes, "nestingLevel": 1},
        {"tabId": grandchild, "title": "Detail", "index": 0, "parentTabId": child, "nestingLevel": 2},
    ]
    assert notes.startswith("t.") and notes != "t.0"
    # Google documents three levels of tabs; a fourth is refused.
    refused(doc, ids, {"addDocumentTab": {"tabProperties": {"parentTabId": grandchild}}})


def test_add_at_an_index_moves_later_tabs_up(doc: Document, ids: IdSource) -> None:
    second = add_tab(doc, ids, title="Second")
    first = add_tab(doc, ids, title="First", index=0)
    assert [t["tabId"] for t in tab_list(doc)] == [first, "t.0", second]
    assert [t.get("index", 0) for t in tab_list(doc)] == [0, 1, 2]


def test_writes_go_to_the_first_tab_unless_a_tab_is_named(doc: Document, ids: IdSource) -> None:
    other = add_tab(doc, ids, title="Other")
    apply(doc, ids, {"insertText": {"location": {"index": 1}, "text": "first tab"}},
          {"insertText": {"endOfSegmentLocation": {"tabId": other}, "text": "other tab"}},
          {"createNamedRange": {"name": "x", "range": {"startIndex": 1, "endIndex": 6, "tabId": other}}})
    tabs = doc.to_resource(include_tabs_content=True)["tabs"]
    assert [body_text(t) for t in tabs] == ["first tab\n", "other tab\n"]
    ranges = tabs[1]["documentTab"]["namedRanges"]["x"]["namedRanges"][0]["ranges"]
    assert ranges == [{"startIndex": 1, "endIndex": 6, "tabId": other}]
    assert "namedRanges" not in tabs[0]["documentTab"]
    # Legacy reads show the first tab only, and carry no tabs.
    legacy = doc.to_resource()
    assert "tabs" not in legacy and "namedRanges" not in legacy
    assert legacy["body"]["content"][1]["paragraph"]["elements"][0]["textRun"]["content"] == "first tab\n"


def test_an_index_from_another_tab_is_refused(doc: Document, ids: IdSource) -> None:
    other = add_tab(doc, ids)
    apply(doc, ids, {"insertText": {"endOfSegmentLocation": {"tabId": other}, "text": "a long line in the other tab"}})
    error = refused(doc, ids, {"insertText": {"location": {"index": 20}, "text": "x"}})
    assert "must be less than the end index of the referenced segment, 2" in error.message


def test_unknown_tab_ids_are_400_everywhere(doc: Document, ids: IdSource) -> None:
    for request in (
        {"insertText": {"location": {"index": 1, "tabId": "t.nope"}, "text": "x"}},
        {"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 2, "tabId": "t.nope"}}},
        {"createNamedRange": {"name": "n", "range": {"startIndex": 1, "endIndex": 2, "tabId": "t.nope"}}},
        {"replaceAllText": {"containsText": {"text": "a"}, "replaceText": "b", "tabsCriteria": {"tabIds": ["t.nope"]}}},
        {"deleteTab": {"tabId": "t.nope"}},
        {"updateDocumentTabProperties": {"tabProperties": {"tabId": "t.nope", "title": "x"}, "fields": "title"}},
    ):
        assert refused(doc, ids, {"insertText": {"location": {"index": 1}, "text": "ab"}}, request).code == 400


def test_delete_tab_takes_its_children_and_never_the_last_tab(doc: Document, ids: IdSource) -> None:
    parent = add_tab(doc, ids, title="Parent")
    add_tab(doc, ids, title="Child", parentTabId=parent)
    apply(doc, ids, {"deleteTab": {"tabId": parent}})
    assert [t["tabId"] for t in tab_list(doc)] == ["t.0"]
    assert "at least one tab" in refused(doc, ids, {"deleteTab": {"tabId": "t.0"}}).message


def test_update_tab_properties_renames_reorders_and_checks_the_emoji(doc: Document, ids: IdSource) -> None:
    other = add_tab(doc, ids, title="Other")
    apply(doc, ids, {"updateDocumentTabProperties": {"tabProperties": {"tabId": other, "title": "Renamed", "index": 0,
                                                                         "iconEmoji": "⭐"}, "fields": "title,index,iconEmoji"}})
    assert tab_list(doc) == [{"tabId": other, "title": "Renamed", "iconEmoji": "⭐", "index": 0},
                             {"tabId": "t.0", "title": "Tab 1", "index": 1}]
    # Writes without a tabId now go to the tab that is first.
    apply(doc, ids, {"insertText": {"location": {"index": 1}, "text": "front"}})
    assert body_text(doc.to_resource(include_tabs_content=True)["tabs"][0]) == "front\n"
    assert refused(doc, ids, {"updateDocumentTabProperties": {"tabProperties": {"tabId": other, "iconEmoji": "ab"},
                                                              "fields": "iconEmoji"}}).code == 400
    assert refused(doc, ids, {"updateDocumentTabProperties": {"tabProperties": {"tabId": other, "nestingLevel": 1},
                                                              "fields": "nestingLevel"}}).code == 400


def test_replace_all_text_reaches_every_tab_unless_told(doc: Document, ids: IdSource) -> None:
    other = add_tab(doc, ids)
    apply(doc, ids, {"insertText": {"location": {"index": 1}, "text": "cat"}},
          {"insertText": {"location": {"index": 1, "tabId": other}, "text": "cat cat"}})
    reply = apply(doc, ids, {"replaceAllText": {"containsText": {"text": "cat"}, "replaceText": "dog"}})
    assert reply["replies"][0] == {"replaceAllText": {"occurrencesChanged": 3}}
    reply = apply(doc, ids, {"replaceAllText": {"containsText": {"text": "dog"}, "replaceText": "owl",
                                                "tabsCriteria": {"tabIds": [other]}}})
    assert reply["replies"][0] == {"replaceAllText": {"occurrencesChanged": 2}}
    assert [body_text(t) for t in doc.to_resource(include_tabs_content=True)["tabs"]] == ["dog\n", "owl owl\n"]


def test_heading_links_name_their_tab_once_there_are_tabs(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, {"insertText": {"location": {"index": 1}, "text": "see"}},
          {"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 4}, "textStyle": {"link": {"headingId": "h.abc"}},
                               "fields": "link"}})
    run = lambda r: r["body"]["content"][1]["paragraph"]["elements"][0]["textRun"]["textStyle"]["link"]  # noqa: E731
    assert run(doc.to_resource()) == {"headingId": "h.abc"}
    add_tab(doc, ids)
    # Legacy ids are only returned for a single-tab document (google-apis.md §4.2).
    assert run(doc.to_resource()) == {"heading": {"id": "h.abc", "tabId": "t.0"}}


def test_tabs_survive_a_reload(doc: Document, ids: IdSource) -> None:
    parent = add_tab(doc, ids, title="P")
    add_tab(doc, ids, title="C", parentTabId=parent)
    again = Document.from_state(doc.to_state())
    assert again.to_resource(include_tabs_content=True) == doc.to_resource(include_tabs_content=True)


def test_a_document_saved_by_the_single_tab_emulator_still_loads() -> None:
    """Data dirs written before tabs (state format 1) open as one tab "t.0", named ranges and lists kept."""
    state = {"format": 1, "documentId": "old", "title": "Old", "revisionId": "r1",
             "paragraphs": [{"runs": [{"text": "Week 🦄\n", "style": {"bold": True}}],
                             "style": {"namedStyleType": "HEADING_2", "headingId": "h.abc", "direction": "LEFT_TO_RIGHT"}},
                            {"runs": [{"text": "item\n", "style": {}}], "style": {"namedStyleType": "NORMAL_TEXT"},
                             "bullet": {"listId": "kix.l", "nestingLevel": 0, "textStyle": {}}}],
             "lists": {"kix.l": {"preset": "BULLET_DISC_CIRCLE_SQUARE", "listProperties": {"nestingLevels": []}}},
             "namedRanges": [{"namedRangeId": "kix.n", "name": "docket.week.x", "startIndex": 1, "endIndex": 9}]}
    doc = Document.from_state(state)
    out = doc.to_resource()
    assert doc.plain_text() == "Week 🦄\nitem\n"
    assert out["body"]["content"][1]["paragraph"]["paragraphStyle"]["headingId"] == "h.abc"
    assert out["namedRanges"]["docket.week.x"]["namedRanges"][0]["ranges"] == [{"startIndex": 1, "endIndex": 9}]
    assert out["lists"] == {"kix.l": {"listProperties": {"nestingLevels": []}}}
    assert Document.from_state(doc.to_state()).to_resource() == out
