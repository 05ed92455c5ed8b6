"""updateParagraphStyle / updateTextStyle on the emulated document: headings, heading ids, links, resets."""

from __future__ import annotations

from typing import Any

import pytest

from service.emulator.docs.document import Document
from service.emulator.errors import ApiError
from service.emulator.ids import IdSource

LINK_BLUE = {"color": {"rgbColor": {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}}}


@pytest.fixture
def ids() -> IdSource:
    return IdSource(11)


@pytest.fixture
def doc(ids: IdSource) -> Document:
    document = Document.create("doc-s", "Styles", ids)
    document.batch_update({"requests": [{"insertText": {"location": {"index": 1}, "text": "Heading\nBody text\nMore\n"}}]}, ids)
    return document  # paragraphs [1,9) [9,19) [19,24) [24,25)


def apply(doc: Document, ids: IdSource, *requests: dict[str, Any]) -> dict[str, Any]:
    return doc.batch_update({"requests": list(requests)}, ids)


def para_style(start: int, end: int, style: dict[str, Any], fields: str) -> dict[str, Any]:
    return {"updateParagraphStyle": {"range": {"startIndex": start, "endIndex": end}, "paragraphStyle": style, "fields": fields}}


def text_style(start: int, end: int, style: dict[str, Any], fields: str) -> dict[str, Any]:
    return {"updateTextStyle": {"range": {"startIndex": start, "endIndex": end}, "textStyle": style, "fields": fields}}


def paragraphs(doc: Document) -> list[dict[str, Any]]:
    return [e["paragraph"] for e in doc.to_resource()["body"]["content"] if "paragraph" in e]


def runs(paragraph: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(e["textRun"]["content"], e["textRun"]["textStyle"]) for e in paragraph["elements"]]


def test_paragraph_style_applies_to_every_overlapped_paragraph(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, para_style(5, 10, {"alignment": "CENTER", "spaceAbove": {"magnitude": 6, "unit": "PT"}}, "alignment,spaceAbove"))
    styles = [p["paragraphStyle"] for p in paragraphs(doc)]
    assert styles[0]["alignment"] == styles[1]["alignment"] == "CENTER"
    assert styles[1]["spaceAbove"] == {"magnitude": 6, "unit": "PT"}
    assert "alignment" not in styles[2]


def test_fields_are_required_and_star_resets_unset_fields(doc: Document, ids: IdSource) -> None:
    with pytest.raises(ApiError) as caught:
        apply(doc, ids, para_style(1, 2, {"alignment": "CENTER"}, ""))
    assert caught.value.message == (
        "Invalid requests[0].updateParagraphStyle: At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)"
    )
    apply(doc, ids, para_style(1, 2, {"alignment": "END", "direction": "RIGHT_TO_LEFT"}, "alignment,direction"))
    apply(doc, ids, para_style(1, 2, {"indentStart": {"magnitude": 9, "unit": "PT"}}, "*"))
    assert paragraphs(doc)[0]["paragraphStyle"] == {
        "namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT", "indentStart": {"magnitude": 9, "unit": "PT"},
    }


def test_heading_id_is_minted_and_kept(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, para_style(1, 9, {"namedStyleType": "HEADING_2"}, "namedStyleType"))
    heading_id = paragraphs(doc)[0]["paragraphStyle"]["headingId"]
    assert heading_id.startswith("h.") and len(heading_id) == 14
    # edits elsewhere and inside the heading keep it
    apply(doc, ids, {"insertText": {"location": {"index": 3}, "text": "XX"}}, {"deleteContentRange": {"range": {"startIndex": 12, "endIndex": 15}}})
    assert paragraphs(doc)[0]["paragraphStyle"]["headingId"] == heading_id
    # restyling to another heading level keeps it
    apply(doc, ids, para_style(1, 2, {"namedStyleType": "HEADING_3"}, "namedStyleType"))
    assert paragraphs(doc)[0]["paragraphStyle"]["headingId"] == heading_id
    # a heading id survives a reload
    assert Document.from_state(doc.to_state()).to_resource()["body"] == doc.to_resource()["body"]
    # Real captures hold NORMAL_TEXT paragraphs with a headingId: restyled to normal text, a heading
    # keeps its id (the emulator's choice), and becomes the same heading again when restyled back.
    apply(doc, ids, para_style(1, 2, {"namedStyleType": "NORMAL_TEXT"}, "namedStyleType"))
    assert paragraphs(doc)[0]["paragraphStyle"]["headingId"] == heading_id
    apply(doc, ids, para_style(1, 2, {"namedStyleType": "HEADING_1"}, "namedStyleType"))
    assert paragraphs(doc)[0]["paragraphStyle"]["headingId"] == heading_id


def test_title_and_subtitle_get_heading_ids_too(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, para_style(1, 2, {"namedStyleType": "TITLE"}, "namedStyleType"), para_style(9, 10, {"namedStyleType": "SUBTITLE"}, "namedStyleType"))
    first, second, third = paragraphs(doc)[:3]
    assert first["paragraphStyle"]["headingId"] != second["paragraphStyle"]["headingId"]
    assert "headingId" not in third["paragraphStyle"]


def test_splitting_a_heading_gives_the_new_paragraph_a_fresh_id(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, para_style(1, 9, {"namedStyleType": "HEADING_1"}, "namedStyleType"))
    heading_id = paragraphs(doc)[0]["paragraphStyle"]["headingId"]
    apply(doc, ids, {"insertText": {"location": {"index": 4}, "text": "\n"}})  # "Hea" | "ding\n"
    first, second = paragraphs(doc)[:2]
    assert first["paragraphStyle"]["namedStyleType"] == second["paragraphStyle"]["namedStyleType"] == "HEADING_1"
    assert second["paragraphStyle"]["headingId"] == heading_id  # keeps the original newline
    assert first["paragraphStyle"]["headingId"] not in (heading_id, None)


def test_heading_id_is_read_only(doc: Document, ids: IdSource) -> None:
    before = doc.to_state()
    with pytest.raises(ApiError) as caught:
        apply(doc, ids, para_style(1, 2, {"headingId": "h.mine"}, "headingId"))
    assert caught.value.code == 400
    with pytest.raises(ApiError):
        apply(doc, ids, para_style(1, 2, {"headingId": "h.mine", "namedStyleType": "HEADING_1"}, "*"))
    assert doc.to_state() == before


def test_invalid_named_style_is_refused(doc: Document, ids: IdSource) -> None:
    with pytest.raises(ApiError):
        apply(doc, ids, para_style(1, 2, {"namedStyleType": "HEADING_7"}, "namedStyleType"))


def test_text_style_set_and_reset(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, text_style(1, 5, {"bold": True, "italic": True, "fontSize": {"magnitude": 14, "unit": "PT"}}, "bold,italic,fontSize"))
    assert runs(paragraphs(doc)[0])[0] == ("Head", {"bold": True, "italic": True, "fontSize": {"magnitude": 14, "unit": "PT"}})
    apply(doc, ids, text_style(1, 3, {}, "bold,fontSize"))  # listed but unset: reset
    assert runs(paragraphs(doc)[0])[:2] == [("He", {"italic": True}), ("ad", {"bold": True, "italic": True, "fontSize": {"magnitude": 14, "unit": "PT"}})]


def test_runs_with_identical_styles_merge(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, text_style(1, 3, {"bold": True}, "bold"), text_style(3, 5, {"bold": True}, "bold"))
    assert runs(paragraphs(doc)[0]) == [("Head", {"bold": True}), ("ing\n", {})]
    apply(doc, ids, text_style(1, 5, {}, "bold"))
    assert runs(paragraphs(doc)[0]) == [("Heading\n", {})]


def test_link_sets_underline_and_colour_but_never_on_newlines(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, text_style(5, 12, {"link": {"url": "https://example.com"}}, "link"))
    first, second = paragraphs(doc)[:2]
    linked = {"link": {"url": "https://example.com"}, "underline": True, "foregroundColor": LINK_BLUE}
    assert runs(first) == [("Head", {}), ("ing", linked), ("\n", {})]
    assert runs(second)[0] == ("Bod", linked)


def test_link_keeps_colour_and_underline_given_in_the_same_request(doc: Document, ids: IdSource) -> None:
    red = {"color": {"rgbColor": {"red": 1}}}
    apply(doc, ids, text_style(1, 5, {"link": {"headingId": "h.abc"}, "foregroundColor": red}, "link,foregroundColor,underline"))
    assert runs(paragraphs(doc)[0])[0] == ("Head", {"link": {"headingId": "h.abc"}, "foregroundColor": red})


def test_removing_a_link_drops_its_automatic_styling(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, text_style(1, 5, {"link": {"url": "https://e.x"}, "bold": True}, "link,bold"))
    apply(doc, ids, text_style(1, 5, {}, "link"))
    assert runs(paragraphs(doc)[0])[0] == ("Head", {"bold": True})


def test_heading_links_follow_the_tabs_mode(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, text_style(1, 5, {"link": {"headingId": "h.abc"}}, "link"))
    tabbed = doc.to_resource(include_tabs_content=True)["tabs"][0]["documentTab"]["body"]["content"][1]
    assert tabbed["paragraph"]["elements"][0]["textRun"]["textStyle"]["link"] == {"heading": {"id": "h.abc", "tabId": "t.0"}}
    legacy = doc.to_resource()["body"]["content"][1]
    assert legacy["paragraph"]["elements"][0]["textRun"]["textStyle"]["link"] == {"headingId": "h.abc"}


@pytest.mark.parametrize(
    "style",
    [
        {"weightedFontFamily": {"weight": 700}},
        {"link": {"url": "https://a", "headingId": "h.x"}},
        {"baselineOffset": "SIDEWAYS"},
        {"bold": "yes"},
        {"blink": True},
    ],
)
def test_invalid_text_styles_are_refused(doc: Document, ids: IdSource, style: dict[str, Any]) -> None:
    with pytest.raises(ApiError) as caught:
        apply(doc, ids, text_style(1, 5, style, ",".join(k for k in style if k != "blink") or "bold"))
    assert caught.value.code == 400


def test_weighted_font_family_with_font_family(doc: Document, ids: IdSource) -> None:
    family = {"fontFamily": "Roboto", "weight": 700}
    apply(doc, ids, text_style(1, 5, {"weightedFontFamily": family}, "weightedFontFamily"))
    assert runs(paragraphs(doc)[0])[0] == ("Head", {"weightedFontFamily": family})


def test_fully_covered_list_paragraph_restyles_its_bullet(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, {"createParagraphBullets": {"range": {"startIndex": 9, "endIndex": 24}, "bulletPreset": "NUMBERED_DECIMAL_ALPHA_ROMAN"}})
    apply(doc, ids, text_style(9, 18, {"bold": True, "link": {"url": "https://l"}}, "bold,link"), text_style(19, 21, {"italic": True}, "italic"))
    second, third = paragraphs(doc)[1:3]
    assert second["bullet"]["textStyle"] == {"bold": True}  # never a link on a bullet
    assert third["bullet"]["textStyle"] == {}  # only partly covered


def test_style_range_inside_a_surrogate_pair_takes_the_whole_character(ids: IdSource) -> None:
    doc = Document.create("doc-e", "Emoji", ids)
    apply(doc, ids, {"insertText": {"location": {"index": 1}, "text": "a😄b"}}, text_style(3, 4, {"bold": True}, "bold"))
    assert runs(paragraphs(doc)[0]) == [("a", {}), ("😄", {"bold": True}), ("b\n", {})]


def test_a_link_overlapping_an_existing_link_retargets_all_of_it(drive: Any, docs_api: Any, shared_drive: str,
                                                                  kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)["id"]

    def link(start: int, end: int, url: str) -> dict:
        return {"updateTextStyle": {"range": {"startIndex": start, "endIndex": end}, "fields": "link",
                                    "textStyle": {"link": {"url": url}}}}

    docs_api.documents().batchUpdate(documentId=doc, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "abcdef ghi jk\n"}},
        link(1, 7, "https://old"), link(12, 14, "https://other")]}).execute()
    docs_api.documents().batchUpdate(documentId=doc, body={"requests": [link(5, 10, "https://new")]}).execute()
    got = docs_api.documents().get(documentId=doc).execute()["body"]["content"][1]["paragraph"]["elements"]
    runs = [(e["textRun"]["content"], e["textRun"]["textStyle"].get("link")) for e in got]
    # "abcdef" (old link) is retargeted whole; "jk" did not overlap and keeps its own link.
    assert runs == [("abcdef gh", {"url": "https://new"}), ("i ", None), ("jk", {"url": "https://other"}),
                    ("\n", None)]
