"""Named ranges on the emulated document: creation, deletion, and how they move with edits."""

from __future__ import annotations

from typing import Any

import pytest

from service.emulator.docs.document import Document
from service.emulator.errors import ApiError
from service.emulator.ids import IdSource


@pytest.fixture
def ids() -> IdSource:
    return IdSource(5)


@pytest.fixture
def doc(ids: IdSource) -> Document:
    document = Document.create("doc-n", "Ranges", ids)
    document.batch_update({"requests": [{"insertText": {"location": {"index": 1}, "text": "0123456789\nabc\n"}}]}, ids)
    return document


def apply(doc: Document, ids: IdSource, *requests: dict[str, Any]) -> dict[str, Any]:
    return doc.batch_update({"requests": list(requests)}, ids)


def create(name: str, start: int, end: int) -> dict[str, Any]:
    return {"createNamedRange": {"name": name, "range": {"startIndex": start, "endIndex": end}}}


def span(doc: Document, name: str) -> tuple[int, int] | None:
    group = doc.to_resource().get("namedRanges", {}).get(name)
    if group is None:
        return None
    rng = group["namedRanges"][0]["ranges"][0]
    return rng["startIndex"], rng["endIndex"]


@pytest.fixture
def section(doc: Document, ids: IdSource) -> str:
    reply = apply(doc, ids, create("docket:2026-01-05", 4, 8))
    return reply["replies"][0]["createNamedRange"]["namedRangeId"]


def test_create_replies_with_id_and_is_listed(doc: Document, ids: IdSource, section: str) -> None:
    assert section.startswith("kix.")
    assert doc.to_resource()["namedRanges"] == {
        "docket:2026-01-05": {
            "name": "docket:2026-01-05",
            "namedRanges": [{"namedRangeId": section, "name": "docket:2026-01-05", "ranges": [{"startIndex": 4, "endIndex": 8}]}],
        }
    }


@pytest.mark.parametrize(
    ("index", "expected"),
    [(2, (5, 9)), (4, (5, 9)), (6, (4, 9)), (8, (4, 8)), (10, (4, 8))],
    ids=["before", "at-start-shifts", "inside-grows", "at-end-no-growth", "after"],
)
def test_insertion_moves_or_grows(doc: Document, ids: IdSource, section: str, index: int, expected: tuple[int, int]) -> None:
    apply(doc, ids, {"insertText": {"location": {"index": index}, "text": "X"}})
    assert span(doc, "docket:2026-01-05") == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(1, 3, (2, 6)), (2, 6, (2, 4)), (5, 7, (4, 6)), (6, 10, (4, 6)), (8, 10, (4, 8)), (4, 8, None), (2, 12, None)],
)
def test_deletion_shrinks_moves_or_drops(doc: Document, ids: IdSource, section: str, start: int, end: int, expected: Any) -> None:
    apply(doc, ids, {"deleteContentRange": {"range": {"startIndex": start, "endIndex": end}}})
    assert span(doc, "docket:2026-01-05") == expected


def test_emoji_insertion_moves_by_two_units(doc: Document, ids: IdSource, section: str) -> None:
    apply(doc, ids, {"insertText": {"location": {"index": 1}, "text": "😄"}})
    assert span(doc, "docket:2026-01-05") == (6, 10)


def test_bullet_tab_removal_moves_ranges(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, {"insertText": {"location": {"index": 12}, "text": "\t\t"}}, create("after", 14, 17))
    apply(doc, ids, {"createParagraphBullets": {"range": {"startIndex": 12, "endIndex": 13}, "bulletPreset": "BULLET_CHECKBOX"}})
    assert span(doc, "after") == (12, 15)


def test_delete_by_id_and_by_name(doc: Document, ids: IdSource, section: str) -> None:
    apply(doc, ids, create("dup", 1, 2), create("dup", 3, 4))
    assert len(doc.to_resource()["namedRanges"]["dup"]["namedRanges"]) == 2
    apply(doc, ids, {"deleteNamedRange": {"name": "dup"}})
    assert "dup" not in doc.to_resource()["namedRanges"]
    apply(doc, ids, {"deleteNamedRange": {"namedRangeId": section}})
    assert "namedRanges" not in doc.to_resource()
    with pytest.raises(ApiError):
        apply(doc, ids, {"deleteNamedRange": {"namedRangeId": section}})


@pytest.mark.parametrize("name", ["", "x" * 257, "😄" * 129])
def test_name_length_is_bounded_in_utf16_units(doc: Document, ids: IdSource, name: str) -> None:
    with pytest.raises(ApiError) as caught:
        apply(doc, ids, create(name, 1, 2))
    assert caught.value.code == 400


def test_name_of_256_units_is_fine(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, create("😄" * 128, 1, 2))
    assert span(doc, "😄" * 128) == (1, 2)


def test_named_range_may_cover_the_final_newline(doc: Document, ids: IdSource) -> None:
    apply(doc, ids, create("all", 1, 17))
    assert span(doc, "all") == (1, 17)
