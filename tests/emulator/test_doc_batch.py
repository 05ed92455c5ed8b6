"""documents.batchUpdate on the emulated document: atomicity, order, revisions, errors, the worked example."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from service.emulator.docs.document import Document
from service.emulator.errors import ApiError
from service.emulator.ids import IdSource


@pytest.fixture
def ids() -> IdSource:
    return IdSource(42)


@pytest.fixture
def doc(ids: IdSource) -> Document:
    return Document.create("doc-b", "Batch", ids)


def refused(doc: Document, ids: IdSource, body: dict[str, Any]) -> ApiError:
    with pytest.raises(ApiError) as caught:
        doc.batch_update(body, ids)
    return caught.value


WORKED_EXAMPLE = [
    {"insertText": {"location": {"index": 1}, "text": "Week of 2026-01-05\nReview metrics\nShip release\n"}},
    {"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 20}, "paragraphStyle": {"namedStyleType": "HEADING_2"}, "fields": "namedStyleType"}},
    {"createParagraphBullets": {"range": {"startIndex": 20, "endIndex": 48}, "bulletPreset": "BULLET_CHECKBOX"}},
    {"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 8}, "textStyle": {"bold": True}, "fields": "bold"}},
    {"updateTextStyle": {"range": {"startIndex": 40, "endIndex": 47}, "textStyle": {"link": {"url": "https://example.com"}}, "fields": "link"}},
]


def test_worked_example_of_the_reference(doc: Document, ids: IdSource) -> None:
    """google-apis.md §2.9, indexes as given there."""
    revision = doc.revision_id
    reply = doc.batch_update({"requests": WORKED_EXAMPLE, "writeControl": {"requiredRevisionId": revision}}, ids)
    assert reply["documentId"] == "doc-b"
    assert reply["replies"] == [{}, {}, {}, {}, {}]
    assert reply["writeControl"] == {"requiredRevisionId": doc.revision_id} and doc.revision_id != revision

    content = doc.to_resource()["body"]["content"]
    assert [(e.get("startIndex", 0), e["endIndex"]) for e in content] == [(0, 1), (1, 20), (20, 35), (35, 48), (48, 49)]
    heading, item1, item2, trailing = (e["paragraph"] for e in content[1:])
    assert heading["paragraphStyle"]["namedStyleType"] == "HEADING_2" and heading["paragraphStyle"]["headingId"].startswith("h.")
    assert "bullet" not in heading and "bullet" not in trailing
    assert item1["bullet"]["listId"] == item2["bullet"]["listId"]
    assert "nestingLevel" not in item1["bullet"]
    assert trailing["paragraphStyle"] == {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}
    assert [(e["startIndex"], e["endIndex"], e["textRun"]["content"]) for e in heading["elements"]] == [(1, 8, "Week of"), (8, 20, " 2026-01-05\n")]
    assert heading["elements"][0]["textRun"]["textStyle"] == {"bold": True}
    link_run = item2["elements"][1]
    assert (link_run["startIndex"], link_run["endIndex"], link_run["textRun"]["content"]) == (40, 47, "release")
    assert link_run["textRun"]["textStyle"]["link"] == {"url": "https://example.com"}

    # Next week's append point is 48, inside the trailing NORMAL_TEXT paragraph: no bullet inherited.
    doc.batch_update({"requests": [{"insertText": {"location": {"index": 48}, "text": "Week of 2026-01-12\n"}}],
                      "writeControl": {"requiredRevisionId": reply["writeControl"]["requiredRevisionId"]}}, ids)
    new = doc.to_resource()["body"]["content"][4]
    assert (new["startIndex"], new["endIndex"]) == (48, 67) and "bullet" not in new["paragraph"]


def test_requests_apply_in_order(doc: Document, ids: IdSource) -> None:
    doc.batch_update({"requests": [
        {"insertText": {"location": {"index": 1}, "text": "abc"}},
        {"updateTextStyle": {"range": {"startIndex": 2, "endIndex": 3}, "textStyle": {"italic": True}, "fields": "italic"}},
        {"insertText": {"location": {"index": 1}, "text": "Z"}},
    ]}, ids)
    elements = doc.to_resource()["body"]["content"][1]["paragraph"]["elements"]
    assert [(e["textRun"]["content"], e["textRun"]["textStyle"]) for e in elements] == [("Za", {}), ("b", {"italic": True}), ("c\n", {})]


def test_a_failing_request_leaves_the_document_unchanged(doc: Document, ids: IdSource) -> None:
    doc.batch_update({"requests": WORKED_EXAMPLE}, ids)
    before, revision = doc.to_state(), doc.revision_id
    error = refused(doc, ids, {"requests": [
        {"insertText": {"location": {"index": 1}, "text": "lost\n"}},
        {"createNamedRange": {"name": "s", "range": {"startIndex": 1, "endIndex": 5}}},
        {"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 500}}},
    ]})
    assert error.code == 400 and error.message.startswith("Invalid requests[2].deleteContentRange: ")
    assert doc.to_state() == before and doc.revision_id == revision


def test_stale_required_revision_is_refused_and_changes_nothing(doc: Document, ids: IdSource) -> None:
    stale = doc.revision_id
    doc.batch_update({"requests": [{"insertText": {"location": {"index": 1}, "text": "x"}}]}, ids)
    before = doc.to_state()
    error = refused(doc, ids, {"requests": [{"insertText": {"location": {"index": 1}, "text": "y"}}],
                               "writeControl": {"requiredRevisionId": stale}})
    assert error.code == 400
    assert error.message == f"The required revision ID '{stale}' does not match the latest revision."
    assert error.status == "FAILED_PRECONDITION"
    assert doc.to_state() == before


def test_target_revision(doc: Document, ids: IdSource) -> None:
    current = doc.revision_id
    doc.batch_update({"requests": [{"insertText": {"location": {"index": 1}, "text": "x"}}], "writeControl": {"targetRevisionId": current}}, ids)
    error = refused(doc, ids, {"requests": [{"insertText": {"location": {"index": 1}, "text": "y"}}], "writeControl": {"targetRevisionId": current}})
    assert error.code == 501
    assert doc.plain_text() == "x\n"


def test_each_successful_batch_mints_a_new_revision(doc: Document, ids: IdSource) -> None:
    seen = {doc.revision_id}
    for _ in range(3):
        reply = doc.batch_update({"requests": [{"insertText": {"location": {"index": 1}, "text": "x"}}]}, ids)
        seen.add(reply["writeControl"]["requiredRevisionId"])
    assert len(seen) == 4
    assert doc.to_resource()["revisionId"] == doc.revision_id


@pytest.mark.parametrize("kind", ["insertTable", "insertInlineImage", "insertRichLink", "insertSectionBreak", "updateDocumentStyle", "createHeader", "acceptSuggestion"])
def test_unmodelled_request_is_501_naming_it(doc: Document, ids: IdSource, kind: str) -> None:
    before = doc.to_state()
    error = refused(doc, ids, {"requests": [{"insertText": {"location": {"index": 1}, "text": "x"}}, {kind: {}}]})
    assert error.code == 501 and error.status == "UNIMPLEMENTED" and kind in error.message
    assert doc.to_state() == before


@pytest.mark.parametrize(
    "body",
    [
        {"requests": []},
        {},
        {"requests": [{"insertTextt": {}}]},
        {"requests": [{"insertText": {"text": "x", "location": {"index": 1}, "colour": "red"}}]},
        {"requests": [{"insertText": {"text": "x", "location": {"index": 1}}, "deleteContentRange": {}}]},
        {"requests": [{"insertText": {"text": "x", "location": {"index": 1}, "endOfSegmentLocation": {}}}]},
        {"requests": [{"insertText": {"text": "x", "location": {"index": 1}}}], "extra": 1},
    ],
)
def test_malformed_batches_are_400(doc: Document, ids: IdSource, body: dict[str, Any]) -> None:
    before = doc.to_state()
    assert refused(doc, ids, body).code == 400
    assert doc.to_state() == before


def test_empty_batch_message(doc: Document, ids: IdSource) -> None:
    assert "must specify at least one request" in refused(doc, ids, {"requests": []}).message


def test_tabs_content_mode(doc: Document, ids: IdSource) -> None:
    doc.batch_update({"requests": WORKED_EXAMPLE + [{"createNamedRange": {"name": "w", "range": {"startIndex": 1, "endIndex": 48}}}]}, ids)
    legacy = doc.to_resource()
    tabbed = doc.to_resource(include_tabs_content=True)
    for key in ("body", "lists", "namedRanges", "documentStyle", "namedStyles"):
        assert key in legacy and key not in tabbed
    assert "tabs" not in legacy
    (tab,) = tabbed["tabs"]
    assert tab["tabProperties"] == {"tabId": "t.0", "title": "Tab 1", "index": 0}  # index 0 shown, as captures show
    assert set(tab["documentTab"]) == {"body", "lists", "namedRanges", "documentStyle", "namedStyles"}
    assert tab["documentTab"]["body"] == legacy["body"]  # no heading links here, so identical
    assert {"documentId", "title", "revisionId", "suggestionsViewMode"} <= set(tabbed)


def test_resource_is_a_copy(doc: Document, ids: IdSource) -> None:
    resource = doc.to_resource()
    resource["body"]["content"][1]["paragraph"]["paragraphStyle"]["namedStyleType"] = "TITLE"
    assert doc.to_resource()["body"]["content"][1]["paragraph"]["paragraphStyle"]["namedStyleType"] == "NORMAL_TEXT"


def test_state_round_trip_is_json_and_faithful(doc: Document, ids: IdSource) -> None:
    doc.batch_update({"requests": WORKED_EXAMPLE + [
        {"insertText": {"location": {"index": 48}, "text": "😄 👩🏽‍💻 مرحبا\n"}},
        {"createNamedRange": {"name": "w", "range": {"startIndex": 1, "endIndex": 48}}},
    ]}, ids)
    state = json.loads(json.dumps(doc.to_state()))
    copy = Document.from_state(state)
    assert copy.to_resource() == doc.to_resource()
    assert copy.to_state() == doc.to_state()
    assert copy.plain_text() == doc.plain_text()
    state["title"] = "mutated"
    assert copy.title == "Batch"


def test_three_years_of_sections_stay_fast(doc: Document, ids: IdSource) -> None:
    """~150 weekly sections of ~40 paragraphs: each batch stays roughly linear in document size."""
    week = "".join(f"item {n} ✅\n" for n in range(38))
    end = 2
    started = time.perf_counter()
    for n in range(150):
        at, heading = end - 1, f"Week {n}\n"
        text = heading + week
        doc.batch_update({"requests": [
            {"insertText": {"location": {"index": at}, "text": text}},
            {"updateParagraphStyle": {"range": {"startIndex": at, "endIndex": at + 1}, "paragraphStyle": {"namedStyleType": "HEADING_2"}, "fields": "namedStyleType"}},
            {"createParagraphBullets": {"range": {"startIndex": at + len(heading), "endIndex": at + len(text)}, "bulletPreset": "BULLET_CHECKBOX"}},
            {"updateTextStyle": {"range": {"startIndex": at, "endIndex": at + 4}, "textStyle": {"bold": True}, "fields": "bold"}},
            {"createNamedRange": {"name": f"week-{n}", "range": {"startIndex": at, "endIndex": at + len(text)}}},
        ]}, ids)
        end += len(text)
    elapsed = time.perf_counter() - started
    content = doc.to_resource()["body"]["content"]
    assert content[-1]["endIndex"] == end
    assert len(content) == 1 + 150 * 39 + 1
    assert len(doc.to_resource()["namedRanges"]) == 150
    assert elapsed < 5, elapsed
