"""Every kind of element a real document holds: loaded, returned as loaded, and shifted exactly by every edit Docket sends.

The document here is written in the shape documents.get returns (indexes computed by a small
builder); tests/emulator/test_captures.py does the same with real captured responses.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import pytest

from service.emulator.docs.document import Document
from service.emulator.docs.loader import InvalidDocument
from service.emulator.errors import ApiError
from service.emulator.ids import IdSource

Build = Callable[[int], tuple[dict[str, Any], int]]
PLAIN = {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def para(*parts: tuple, style: dict | None = None, **extra: Any) -> Build:
    """A paragraph of ("text", content[, textStyle[, extra]]) and (kind, payload[, length]) parts."""
    def build(start: int) -> tuple[dict[str, Any], int]:
        elements, pos = [], start
        for part in parts:
            if part[0] == "text":
                run = {"content": part[1], **(part[3] if len(part) > 3 else {}), "textStyle": part[2] if len(part) > 2 else {}}
                end = pos + utf16(part[1])
                elements.append({"startIndex": pos, "endIndex": end, "textRun": run} if pos else {"endIndex": end, "textRun": run})
            else:
                end = pos + (part[2] if len(part) > 2 else 1)
                element = {"endIndex": end, part[0]: part[1]}
                if pos:
                    element["startIndex"] = pos
                elements.append(element)
            pos = end
        body = {"elements": elements, "paragraphStyle": style or PLAIN, **extra}
        out = {"endIndex": pos, "paragraph": body}
        if start:
            out["startIndex"] = start
        return out, pos
    return build


def content(items: list[Build], start: int = 0) -> tuple[list[dict[str, Any]], int]:
    out, pos = [], start
    for item in items:
        element, pos = item(pos)
        out.append(element)
    return out, pos


def table(*rows: list[list[Build]]) -> Build:
    """A table: its start, each row's start and each cell's start take 1 unit (google-apis.md §2.7)."""
    def build(start: int) -> tuple[dict[str, Any], int]:
        pos, table_rows = start + 1, []
        for row in rows:
            row_start, cells = pos, []
            pos += 1
            for cell in row:
                cell_start = pos
                cell_content, pos = content(cell, pos + 1)
                cells.append({"startIndex": cell_start, "endIndex": pos, "content": cell_content,
                              "tableCellStyle": {"rowSpan": 1, "columnSpan": 1}})
            table_rows.append({"startIndex": row_start, "endIndex": pos, "tableCells": cells, "tableRowStyle": {}})
        return {"startIndex": start, "endIndex": pos, "table": {"rows": len(rows), "columns": len(rows[0]),
                                                               "tableRows": table_rows}}, pos
    return build


def block(kind: str, value: dict[str, Any], inner: list[Build] | None = None) -> Build:
    def build(start: int) -> tuple[dict[str, Any], int]:
        if inner is None:
            return {"startIndex": start, "endIndex": start + 1, kind: value}, start + 1
        inner_content, end = content(inner, start + 1)
        return {"startIndex": start, "endIndex": end, kind: {**value, "content": inner_content}}, end
    return build


SECTION = {"sectionStyle": {"columnSeparatorStyle": "NONE", "contentDirection": "LEFT_TO_RIGHT", "sectionType": "CONTINUOUS"}}


def rich_document() -> dict[str, Any]:
    first_section = lambda start: ({"endIndex": 1, "sectionBreak": SECTION}, 1)  # noqa: E731
    body, _ = content([
        first_section,
        block("tableOfContents", {}, [para(("text", "Intro\n", {"link": {"headingId": "h.intro"}}))]),
        para(("text", "Intro\n"), style={**PLAIN, "namedStyleType": "HEADING_1", "headingId": "h.intro"}),
        para(("text", "Normal with an id\n"), style={**PLAIN, "headingId": "h.kept"}),
        para(("text", "Heading without id\n"), style={**PLAIN, "namedStyleType": "HEADING_2"}),
        para(("text", "See "), ("footnoteReference", {"footnoteId": "kix.fn1", "footnoteNumber": "1", "textStyle": {}}),
             ("text", " and "), ("person", {"personId": "kix.p1", "personProperties": {"email": "ana@example.com", "name": "Ana"},
                                           "textStyle": {}}),
             ("text", " on "), ("dateElement", {"dateId": "kix.d1", "dateElementProperties": {"timestamp": "2026-01-05T00:00:00Z",
                                                                                               "displayText": "Jan 5, 2026"},
                                                 "textStyle": {}}),
             ("text", " "), ("richLink", {"richLinkId": "kix.r1", "richLinkProperties": {"title": "Plan", "uri": "https://docs.google.com/x"},
                                         "textStyle": {}}),
             ("text", "\n")),
        para(("horizontalRule", {"textStyle": {}}), ("text", "\n")),
        para(("inlineObjectElement", {"inlineObjectId": "kix.img1", "textStyle": {}}), ("text", "\n"),
             positionedObjectIds=["kix.pos1"]),
        para(("text", "Page "), ("autoText", {"type": "PAGE_NUMBER", "textStyle": {}}), ("text", " x "),
             ("equation", {}, 3), ("text", "\n")),
        table([[para(("text", "cell a\n"))], [para(("text", "cell b\n"))]]),
        para(("text", "after table"), ("pageBreak", {"textStyle": {}}), ("columnBreak", {"textStyle": {}}), ("text", "\n")),
        block("sectionBreak", {"sectionStyle": {"sectionType": "NEXT_PAGE"}}),
        para(("text", "kept "), ("text", "suggested ", {}, {"suggestedInsertionIds": ["suggest.ins"]}),
             ("text", "removed", {}, {"suggestedDeletionIds": ["suggest.del"]}), ("text", "\n")),
        para(("text", "end\n")),
    ])
    header, _ = content([para(("text", "Header\n"))])
    footnote, _ = content([para(("text", " A footnote\n"))])
    return {
        "title": "Rich", "documentId": "rich", "revisionId": "r", "suggestionsViewMode": "SUGGESTIONS_INLINE",
        "body": {"content": body},
        "headers": {"kix.h1": {"headerId": "kix.h1", "content": header}},
        "footers": {"kix.f1": {"footerId": "kix.f1", "content": copy.deepcopy(header)}},
        "footnotes": {"kix.fn1": {"footnoteId": "kix.fn1", "content": footnote}},
        "documentStyle": {"defaultHeaderId": "kix.h1", "defaultFooterId": "kix.f1"},
        "inlineObjects": {"kix.img1": {"objectId": "kix.img1", "inlineObjectProperties": {"embeddedObject": {"title": "img"}}}},
        "positionedObjects": {"kix.pos1": {"objectId": "kix.pos1", "positionedObjectProperties": {}}},
        "namedRanges": {"anchor": {"name": "anchor", "namedRanges": [{"namedRangeId": "kix.nr1", "name": "anchor",
                                                                      "ranges": [{"startIndex": 80, "endIndex": 90}]}]}},
    }


@pytest.fixture
def ids() -> IdSource:
    return IdSource(5)


@pytest.fixture
def loaded(ids: IdSource) -> Document:
    doc = Document.create("rich", "Rich", ids)
    doc.replace_content(rich_document(), ids)
    return doc


def legacy(doc: Document, **kw: Any) -> dict[str, Any]:
    out = doc.to_resource(**kw)
    for key in ("documentId", "revisionId", "title", "suggestionsViewMode"):
        out.pop(key)
    return out


def expected() -> dict[str, Any]:
    out = rich_document()
    for key in ("documentId", "revisionId", "title", "suggestionsViewMode"):
        out.pop(key)
    return out


def test_every_element_is_returned_as_loaded(loaded: Document) -> None:
    assert legacy(loaded) == expected()
    tab = loaded.to_resource(include_tabs_content=True)["tabs"][0]
    assert tab["tabProperties"] == {"tabId": "t.0", "title": "Tab 1", "index": 0}
    ranges = tab["documentTab"]["namedRanges"]["anchor"]["namedRanges"][0]["ranges"]
    assert ranges == [{"startIndex": 80, "endIndex": 90, "tabId": "t.0"}]


def test_the_state_keeps_everything(loaded: Document) -> None:
    assert legacy(Document.from_state(loaded.to_state())) == expected()


def shifted(value: Any, at: int, delta: int) -> Any:
    """JSON `value` with every index at or after `at` moved by `delta` (what an insertion before them does)."""
    if isinstance(value, list):
        return [shifted(v, at, delta) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: shifted(v, at, delta) for k, v in value.items()}
    for key in ("startIndex", "endIndex"):
        if key in value and value[key] >= at:
            out[key] = value[key] + delta
    return out


def test_an_insertion_shifts_every_later_element_exactly(loaded: Document, ids: IdSource) -> None:
    before = expected()
    at = before["body"]["content"][3]["startIndex"] + 2  # inside "Normal with an id"
    loaded.batch_update({"requests": [{"insertText": {"location": {"index": at}, "text": "ABCD"}}]}, ids)
    after = legacy(loaded)
    assert after["body"]["content"][:3] == before["body"]["content"][:3]
    assert after["body"]["content"][4:] == shifted(before["body"]["content"][4:], at, 4)
    assert after["namedRanges"] == shifted(before["namedRanges"], at, 4)
    for key in ("headers", "footers", "footnotes", "inlineObjects", "positionedObjects", "documentStyle"):
        assert after[key] == before[key]


def test_insertions_and_deletions_in_the_body_keep_elements_and_blocks_whole(loaded: Document, ids: IdSource) -> None:
    body = expected()["body"]["content"]
    heading_start = body[2]["startIndex"]
    loaded.batch_update({"requests": [
        {"insertText": {"location": {"index": heading_start}, "text": "New line\n"}},
        {"updateParagraphStyle": {"range": {"startIndex": heading_start, "endIndex": heading_start + 1},
                                  "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"}, "fields": "namedStyleType"}},
        {"deleteContentRange": {"range": {"startIndex": heading_start, "endIndex": heading_start + 9}}},
    ]}, ids)
    assert legacy(loaded)["body"] == expected()["body"]


def test_edits_next_to_every_kind_of_element(loaded: Document, ids: IdSource) -> None:
    """Text typed right before and right after each non-text element lands beside it, never inside."""
    body = expected()["body"]["content"]
    chips = body[5]["paragraph"]["elements"]
    person = next(e for e in chips if "person" in e)
    loaded.batch_update({"requests": [
        {"insertText": {"location": {"index": person["endIndex"]}, "text": "!"}},
        {"insertText": {"location": {"index": person["startIndex"]}, "text": "@"}},
    ]}, ids)
    elements = legacy(loaded)["body"]["content"][5]["paragraph"]["elements"]
    kinds = [next(k for k in e if k not in ("startIndex", "endIndex")) for e in elements]
    assert kinds == ["textRun", "footnoteReference", "textRun", "person", "textRun", "dateElement", "textRun",
                     "richLink", "textRun"]
    assert elements[2]["textRun"]["content"] == " and @" and elements[4]["textRun"]["content"] == "! on "
    assert elements[3]["person"] == person["person"]


@pytest.mark.parametrize("what", ["table start", "inside table", "inside equation", "newline before table"])
def test_edits_into_blocks_and_atoms_are_refused(loaded: Document, ids: IdSource, what: str) -> None:
    body = expected()["body"]["content"]
    table = next(e for e in body if "table" in e)
    equation = next(e for e in body[8]["paragraph"]["elements"] if "equation" in e)
    request = {
        "table start": {"insertText": {"location": {"index": table["startIndex"]}, "text": "x"}},
        "inside table": {"insertText": {"location": {"index": table["startIndex"] + 3}, "text": "x"}},
        "inside equation": {"insertText": {"location": {"index": equation["startIndex"] + 1}, "text": "x"}},
        "newline before table": {"deleteContentRange": {"range": {"startIndex": table["startIndex"] - 1,
                                                                  "endIndex": table["startIndex"]}}},
    }[what]
    before = loaded.to_state()
    with pytest.raises(ApiError) as caught:
        loaded.batch_update({"requests": [request]}, ids)
    assert caught.value.code == (501 if what == "inside table" else 400)
    assert loaded.to_state() == before


def test_a_whole_table_can_be_deleted_and_indexes_follow(loaded: Document, ids: IdSource) -> None:
    body = expected()["body"]["content"]
    number = next(n for n, e in enumerate(body) if "table" in e)
    table = body[number]
    length = table["endIndex"] - table["startIndex"]
    loaded.batch_update({"requests": [{"deleteContentRange": {"range": {"startIndex": table["startIndex"],
                                                                        "endIndex": table["endIndex"]}}}]}, ids)
    after = legacy(loaded)["body"]["content"]
    assert after[:number] == body[:number]
    assert after[number:] == shifted(body[number + 1:], table["endIndex"], -length)


def test_headers_footers_and_footnotes_are_segments(loaded: Document, ids: IdSource) -> None:
    loaded.batch_update({"requests": [
        {"insertText": {"location": {"segmentId": "kix.h1", "index": 0}, "text": "My "}},
        {"insertText": {"endOfSegmentLocation": {"segmentId": "kix.fn1"}, "text": " (more)"}},
        {"createNamedRange": {"name": "in header", "range": {"segmentId": "kix.h1", "startIndex": 0, "endIndex": 3}}},
    ]}, ids)
    out = legacy(loaded)
    assert out["headers"]["kix.h1"]["content"][0]["paragraph"]["elements"][0]["textRun"]["content"] == "My Header\n"
    assert out["footnotes"]["kix.fn1"]["content"][0]["paragraph"]["elements"][0]["textRun"]["content"] == " A footnote (more)\n"
    assert out["body"] == expected()["body"]
    assert out["namedRanges"]["in header"]["namedRanges"][0]["ranges"] == [{"segmentId": "kix.h1", "endIndex": 3}]
    with pytest.raises(ApiError) as caught:
        loaded.batch_update({"requests": [{"insertPageBreak": {"location": {"segmentId": "kix.h1", "index": 0}}}]}, ids)
    assert caught.value.code == 400  # page breaks only go in the body


def text_of(doc: Document, mode: str) -> list[str]:
    body = doc.to_resource(view_mode=mode)["body"]["content"]
    return ["".join(e.get("textRun", {}).get("content", "") for e in s["paragraph"]["elements"])
            for s in body if "paragraph" in s][-2:]


def test_suggestions_view_modes(loaded: Document) -> None:
    assert text_of(loaded, "SUGGESTIONS_INLINE") == ["kept suggested removed\n", "end\n"]
    assert text_of(loaded, "PREVIEW_SUGGESTIONS_ACCEPTED") == ["kept suggested \n", "end\n"]
    assert text_of(loaded, "PREVIEW_WITHOUT_SUGGESTIONS") == ["kept removed\n", "end\n"]
    accepted = loaded.to_resource(view_mode="PREVIEW_SUGGESTIONS_ACCEPTED")
    last = accepted["body"]["content"][-1]
    inline_last = loaded.to_resource()["body"]["content"][-1]
    assert last["startIndex"] == inline_last["startIndex"] - len("removed")  # indexes recomputed
    runs = [e["textRun"] for s in accepted["body"]["content"] if "paragraph" in s for e in s["paragraph"]["elements"]
            if "textRun" in e]
    assert not any("suggestedInsertionIds" in r or "suggestedDeletionIds" in r for r in runs)


@pytest.mark.parametrize("breakage", ["gap", "length", "no final newline", "no section break", "unknown element",
                                      "range outside", "duplicate tab id"])
def test_a_bad_body_is_refused(ids: IdSource, breakage: str) -> None:
    body = rich_document()
    content_ = body["body"]["content"]
    if breakage == "gap":
        content_[3]["startIndex"] += 1
    elif breakage == "length":
        content_[3]["paragraph"]["elements"][0]["textRun"]["content"] = "short\n"
    elif breakage == "no final newline":
        content_[-1]["paragraph"]["elements"][0]["textRun"]["content"] = "end!"
    elif breakage == "no section break":
        content_[0] = {"endIndex": 1, "paragraph": {"elements": [{"endIndex": 1, "textRun": {"content": "\n"}}]}}
    elif breakage == "unknown element":
        content_[6]["paragraph"]["elements"][0] = {"startIndex": content_[6]["startIndex"],
                                                   "endIndex": content_[6]["startIndex"] + 1, "sparkle": {}}
    elif breakage == "range outside":
        body["namedRanges"]["anchor"]["namedRanges"][0]["ranges"][0]["endIndex"] = 10_000
    else:
        body = {"tabs": [{"tabProperties": {"tabId": "t.0"}, "documentTab": {"body": rich_document()["body"]}},
                         {"tabProperties": {"tabId": "t.0"}, "documentTab": {"body": rich_document()["body"]}}]}
    doc = Document.create("d", "D", ids)
    before = doc.to_state()
    with pytest.raises(InvalidDocument):
        doc.replace_content(body, ids)
    assert doc.to_state() == before
