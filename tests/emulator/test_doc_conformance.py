"""Conformance gaps outside testing found (each failed before it was fixed), and the surrogate-pair rules around them."""

from __future__ import annotations

from typing import Any

import pytest

from service.emulator.docs.document import Document
from service.emulator.docs.styles import LINK_COLOR
from service.emulator.errors import ApiError
from service.emulator.ids import IdSource

EMOJI = "😀"  # two UTF-16 units


@pytest.fixture
def ids() -> IdSource:
    return IdSource(9)


@pytest.fixture
def doc(ids: IdSource) -> Document:
    doc = Document.create("doc-g", "Gaps", ids)
    doc.batch_update({"requests": [{"insertText": {"location": {"index": 1}, "text": f"a{EMOJI}b"}}]}, ids)
    return doc  # a=1, the pair=2-3, b=4, "\n"=5


def refused(doc: Document, ids: IdSource, *requests: dict[str, Any]) -> ApiError:
    before = doc.to_state()
    with pytest.raises(ApiError) as caught:
        doc.batch_update({"requests": list(requests)}, ids)
    assert doc.to_state() == before
    return caught.value


def text(doc: Document) -> str:
    return doc.plain_text()


def test_empty_insert_text_is_refused(doc: Document, ids: IdSource) -> None:
    for empty in ("", "\x01\ue000"):  # empty, and empty once Google's stripped characters are gone
        assert refused(doc, ids, {"insertText": {"location": {"index": 1}, "text": empty}}).code == 400


def test_unknown_segment_and_tab_ids_are_400(doc: Document, ids: IdSource) -> None:
    for place in ({"segmentId": "kix.nosuch"}, {"tabId": "t.nosuch"}):
        assert refused(doc, ids, {"insertText": {"location": {"index": 1, **place}, "text": "x"}}).code == 400
        assert refused(doc, ids, {"insertText": {"endOfSegmentLocation": place, "text": "x"}}).code == 400
        assert refused(doc, ids, {"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 2, **place},
                                                      "textStyle": {"bold": True}, "fields": "bold"}}).code == 400
        assert refused(doc, ids, {"createNamedRange": {"name": "n", "range": {"startIndex": 1, "endIndex": 2, **place}}}).code == 400


@pytest.mark.parametrize("fields", ["link", "*", "link,bold"])
def test_a_link_underlines_and_colours_unless_the_request_sets_them(doc: Document, ids: IdSource, fields: str) -> None:
    doc.batch_update({"requests": [{"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 2},
                                                        "textStyle": {"link": {"url": "https://example.com"}},
                                                        "fields": fields}}]}, ids)
    style = doc.to_resource()["body"]["content"][1]["paragraph"]["elements"][0]["textRun"]["textStyle"]
    assert style["underline"] is True and style["foregroundColor"] == LINK_COLOR


def test_a_link_keeps_what_the_same_request_sets(doc: Document, ids: IdSource) -> None:
    doc.batch_update({"requests": [{"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 2},
                                                        "textStyle": {"link": {"url": "https://example.com"}, "underline": False},
                                                        "fields": "link,underline,foregroundColor"}}]}, ids)
    style = doc.to_resource()["body"]["content"][1]["paragraph"]["elements"][0]["textRun"]["textStyle"]
    assert style == {"link": {"url": "https://example.com"}, "underline": False}


def test_a_surrogate_pair_is_never_split(doc: Document, ids: IdSource) -> None:
    # insertText inside the pair lands after it (Google moves the point past the cluster).
    doc.batch_update({"requests": [{"insertText": {"location": {"index": 3}, "text": "X"}}]}, ids)
    assert text(doc) == f"a{EMOJI}Xb\n"
    # deleteContentRange starting or ending inside the pair is refused (DOCS-DD).
    for start, end in ((3, 5), (1, 3), (3, 4)):
        assert refused(doc, ids, {"deleteContentRange": {"range": {"startIndex": start, "endIndex": end}}}).code == 400
    # Inserted text whose pair would be cut by the stripping of other characters stays whole.
    doc.batch_update({"requests": [{"insertText": {"location": {"index": 1}, "text": f"\x01{EMOJI}\x02"}}]}, ids)
    assert text(doc) == f"{EMOJI}a{EMOJI}Xb\n"
    # A style edge inside a pair takes the whole character.
    doc.batch_update({"requests": [{"updateTextStyle": {"range": {"startIndex": 2, "endIndex": 5}, "textStyle": {"bold": True},
                                                        "fields": "bold"}}]}, ids)
    runs = [e["textRun"] for e in doc.to_resource()["body"]["content"][1]["paragraph"]["elements"]]
    assert runs[0] == {"content": f"{EMOJI}a{EMOJI}", "textStyle": {"bold": True}}
