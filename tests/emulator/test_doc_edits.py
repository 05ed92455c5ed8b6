"""insertText / deleteContentRange / replaceAllText on the emulated document: indexes, rules, inheritance."""

from __future__ import annotations

from typing import Any

import pytest

from service.emulator.docs.document import Document
from service.emulator.errors import ApiError
from service.emulator.ids import IdSource

PROGRAMMER = "\U0001F469\U0001F3FD\u200D\U0001F4BB"  # 7 UTF-16 units


@pytest.fixture
def ids() -> IdSource:
    return IdSource(7)


@pytest.fixture
def doc(ids: IdSource) -> Document:
    return Document.create("doc-1", "Edits", ids)


def apply(doc: Document, ids: IdSource, *requests: dict[str, Any]) -> dict[str, Any]:
    return doc.batch_update({"requests": list(requests)}, ids)


def insert(index: int, text: str) -> dict[str, Any]:
    return {"insertText": {"location": {"index": index}, "text": text}}


def delete(start: int, end: int) -> dict[str, Any]:
    return {"deleteContentRange": {"range": {"startIndex": start, "endIndex": end}}}


def content(doc: Document) -> list[dict[str, Any]]:
    return doc.to_resource()["body"]["content"]


def paragraphs(doc: Document) -> list[dict[str, Any]]:
    return [e for e in content(doc) if "paragraph" in e]


def refused(doc: Document, ids: IdSource, *requests: dict[str, Any]) -> ApiError:
    with pytest.raises(ApiError) as caught:
        apply(doc, ids, *requests)
    return caught.value


def test_new_document_shape(doc: Document) -> None:
    body = content(doc)
    assert body[0] == {
        "endIndex": 1,
        "sectionBreak": {"sectionStyle": {"columnSeparatorStyle": "NONE", "contentDirection": "LEFT_TO_RIGHT", "sectionType": "CONTINUOUS"}},
    }
    assert body[1] == {
        "startIndex": 1,
        "endIndex": 2,
        "paragraph": {
            "elements": [{"startIndex": 1, "endIndex": 2, "textRun": {"content": "\n", "textStyle": {}}}],
            "paragraphStyle": {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"},
        },
    }
    assert doc.plain_text() == "\n"


def test_emoji_counts_two_units_and_shifts_following_indexes(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, f"{PROGRAMMER} pair\nnext\n"))
    paras = paragraphs(doc)
    assert [(p["startIndex"], p["endIndex"]) for p in paras] == [(1, 14), (14, 19), (19, 20)]
    apply(doc, ids, insert(9, "X"))  # just after "👩🏽‍💻 " (1 + 7 + 1)
    assert doc.plain_text() == f"{PROGRAMMER} Xpair\nnext\n\n"


def test_cjk_and_rtl_text_are_one_unit_per_character(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "会议记录\nשלום עולם\nمرحبا\n"))
    paras = paragraphs(doc)
    assert [(p["startIndex"], p["endIndex"]) for p in paras] == [(1, 6), (6, 16), (16, 22), (22, 23)]
    apply(doc, ids, delete(7, 11))  # "לום " out of the Hebrew line
    assert doc.plain_text() == "会议记录\nשעולם\nمرحبا\n\n"


def test_insertion_inside_a_grapheme_cluster_lands_after_it(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, f"a{PROGRAMMER}b"))
    apply(doc, ids, insert(4, "|"))  # inside the emoji sequence [2, 9)
    assert doc.plain_text() == f"a{PROGRAMMER}|b\n"
    apply(doc, ids, delete(1, doc.to_resource()["body"]["content"][-1]["endIndex"] - 1))
    apply(doc, ids, insert(1, "cafe\u0301!"))
    apply(doc, ids, insert(5, "+"))  # between "e" and the combining acute accent
    assert doc.plain_text() == "cafe\u0301+!\n"


def test_insert_at_section_break_is_refused(doc: Document, ids: IdSource) -> None:
    error = refused(doc, ids, insert(0, "x"))
    assert error.code == 400
    assert error.message == (
        "Invalid requests[0].insertText: The insertion index must be inside the bounds of an existing "
        "paragraph. You can still create new paragraphs by inserting newlines."
    )


def test_insert_at_segment_end_is_refused_with_googles_message(doc: Document, ids: IdSource) -> None:
    error = refused(doc, ids, insert(2, "x"))
    assert error.code == 400 and error.status == "INVALID_ARGUMENT"
    assert error.message == "Invalid requests[0].insertText: Index 2 must be less than the end index of the referenced segment, 2."


def test_end_of_segment_location_inserts_before_the_final_newline(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "first\n"))
    apply(doc, ids, {"insertText": {"text": "last", "endOfSegmentLocation": {"segmentId": "", "tabId": "t.0"}}})
    assert doc.plain_text() == "first\nlast\n"


def test_unknown_segments_and_tabs_are_refused(doc: Document, ids: IdSource) -> None:
    # Outside testing found unknown segment ids accepted (501 then): Google answers 400.
    error = refused(doc, ids, {"insertText": {"text": "x", "location": {"index": 1, "segmentId": "kix.header1"}}})
    assert error.code == 400 and "kix.header1" in error.message
    error = refused(doc, ids, {"insertText": {"text": "x", "location": {"index": 1, "tabId": "t.abc"}}})
    assert error.code == 400
    apply(doc, ids, {"insertText": {"text": "ok", "location": {"index": 1, "tabId": "t.0"}}})
    assert doc.plain_text() == "ok\n"


def test_control_and_private_use_characters_are_stripped_before_indexing(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "a\x01b\x0bc\rd\ue000e\tf\n"))
    assert doc.plain_text() == "abcde\tf\n\n"
    apply(doc, ids, insert(6, "Z"))  # index computed on the stripped text
    assert doc.plain_text() == "abcdeZ\tf\n\n"


def test_final_newline_cannot_be_deleted(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "hello"))
    error = refused(doc, ids, delete(1, 7))
    assert error.message == (
        "Invalid requests[0].deleteContentRange: The range cannot include the newline character at the end of the segment."
    )
    apply(doc, ids, delete(1, 6))
    assert doc.plain_text() == "\n"


@pytest.mark.parametrize(
    ("start", "end", "detail"),
    [
        (0, 3, "Cannot operate on the first section break in the document."),
        (3, 3, "The range should not be empty."),
        (4, 3, "The start index 4 must be less than the end index 3."),
        (1, 20, "Index 19 must be less than the end index of the referenced segment, 7."),
    ],
)
def test_bad_delete_ranges(doc: Document, ids: IdSource, start: int, end: int, detail: str) -> None:
    apply(doc, ids, insert(1, "hello"))
    assert refused(doc, ids, delete(start, end)).message == f"Invalid requests[0].deleteContentRange: {detail}"


def test_delete_refuses_half_a_surrogate_pair(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "a😄b"))
    assert refused(doc, ids, delete(1, 3)).code == 400
    assert refused(doc, ids, delete(3, 4)).code == 400
    apply(doc, ids, delete(2, 4))
    assert doc.plain_text() == "ab\n"


def test_delete_can_remove_a_combining_mark_alone(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "e\u0301"))
    apply(doc, ids, delete(2, 3))
    assert doc.plain_text() == "e\n"


def test_merging_paragraphs_keeps_the_first_paragraphs_style(doc: Document, ids: IdSource) -> None:
    apply(
        doc, ids, insert(1, "Title\nbody\n"),
        {"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 2}, "paragraphStyle": {"namedStyleType": "HEADING_1"}, "fields": "namedStyleType"}},
    )
    apply(doc, ids, delete(6, 7))  # the heading's newline: "Title" + "body"
    first = paragraphs(doc)[0]["paragraph"]
    assert doc.plain_text() == "Titlebody\n\n"
    assert first["paragraphStyle"]["namedStyleType"] == "HEADING_1"


def test_deleting_whole_paragraphs_leaves_the_next_one_unchanged(doc: Document, ids: IdSource) -> None:
    apply(
        doc, ids, insert(1, "Title\nbody\n"),
        {"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 2}, "paragraphStyle": {"namedStyleType": "HEADING_1"}, "fields": "namedStyleType"}},
    )
    apply(doc, ids, delete(1, 7))
    paras = paragraphs(doc)
    assert doc.plain_text() == "body\n\n"
    assert paras[0]["paragraph"]["paragraphStyle"] == {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}


def test_inserted_text_inherits_bold_and_link_of_the_previous_character(doc: Document, ids: IdSource) -> None:
    apply(
        doc, ids, insert(1, "see docs\n"),
        {"updateTextStyle": {"range": {"startIndex": 5, "endIndex": 9}, "textStyle": {"bold": True, "link": {"url": "https://x.test"}}, "fields": "bold,link"}},
    )
    apply(doc, ids, insert(9, " more\nnext"))
    first, second = paragraphs(doc)[0]["paragraph"], paragraphs(doc)[1]["paragraph"]
    runs = [(e["textRun"]["content"], e["textRun"]["textStyle"]) for e in first["elements"]]
    assert runs[0] == ("see ", {})
    assert runs[1][0] == "docs more"
    assert runs[1][1]["bold"] is True and runs[1][1]["link"] == {"url": "https://x.test"}
    # the inserted "\n" carries the bold but never the link
    assert runs[2][0] == "\n" and "link" not in runs[2][1] and runs[2][1]["bold"] is True
    assert second["elements"][0]["textRun"]["content"] == "next"
    assert second["elements"][0]["textRun"]["textStyle"]["link"] == {"url": "https://x.test"}


def test_text_at_paragraph_start_takes_that_paragraphs_first_character_style(doc: Document, ids: IdSource) -> None:
    apply(
        doc, ids, insert(1, "plain\nbold\n"),
        {"updateTextStyle": {"range": {"startIndex": 7, "endIndex": 11}, "textStyle": {"bold": True}, "fields": "bold"}},
    )
    apply(doc, ids, insert(7, "very "))
    second = paragraphs(doc)[1]["paragraph"]["elements"]
    assert second[0]["textRun"] == {"content": "very bold", "textStyle": {"bold": True}}


def test_newline_copies_paragraph_style_and_bullet(doc: Document, ids: IdSource) -> None:
    apply(
        doc, ids, insert(1, "item\n"),
        {"createParagraphBullets": {"range": {"startIndex": 1, "endIndex": 5}, "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE"}},
    )
    apply(doc, ids, insert(5, "\nsecond"))
    paras = paragraphs(doc)
    assert paras[0]["paragraph"]["bullet"]["listId"] == paras[1]["paragraph"]["bullet"]["listId"]
    assert "bullet" not in paras[2]["paragraph"]
    assert doc.plain_text() == "item\nsecond\n\n"


def test_replace_all_text_counts_and_replaces_across_paragraphs(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, insert(1, "Hi {NAME}!\nBye {name} 😄 {NAME}\n"))
    reply = apply(doc, ids, {"replaceAllText": {"containsText": {"text": "{NAME}", "matchCase": True}, "replaceText": "Zoë 🎉"}})
    assert reply["replies"] == [{"replaceAllText": {"occurrencesChanged": 2}}]
    assert doc.plain_text() == "Hi Zoë 🎉!\nBye {name} 😄 Zoë 🎉\n\n"
    reply = apply(doc, ids, {"replaceAllText": {"containsText": {"text": "{name}"}, "replaceText": "a\nb"}})
    assert reply["replies"] == [{"replaceAllText": {"occurrencesChanged": 1}}]
    assert doc.plain_text() == "Hi Zoë 🎉!\nBye a\nb 😄 Zoë 🎉\n\n"
    reply = apply(doc, ids, {"replaceAllText": {"containsText": {"text": "absent"}, "replaceText": "x"}})
    assert reply["replies"] == [{"replaceAllText": {}}]
    ends = [(p["startIndex"], p["endIndex"]) for p in paragraphs(doc)]
    assert all(a[1] == b[0] for a, b in zip(ends, ends[1:]))


def test_replace_all_text_by_regex_is_not_modelled(doc: Document, ids: IdSource) -> None:
    error = refused(doc, ids, {"replaceAllText": {"containsText": {"text": "a.", "searchByRegex": True}, "replaceText": "x"}})
    assert error.code == 501
