"""UTF-16 unit strings, sanitising and grapheme-cluster boundaries of the emulated Docs text."""

from __future__ import annotations

import pytest

from service.emulator.docs.text import (
    cluster_end,
    from_units,
    sanitise,
    splits_pair,
    to_units,
    utf16_len,
)

PROGRAMMER = "\U0001F469\U0001F3FD\u200D\U0001F4BB"  # 👩🏽‍💻: woman, skin tone, ZWJ, laptop


def test_utf16_lengths_count_surrogate_pairs() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("😄") == 2
    assert utf16_len(PROGRAMMER) == 7
    assert utf16_len("会议记录") == 4
    assert utf16_len("مرحبا") == 5
    assert utf16_len("e\u0301") == 2


def test_unit_strings_round_trip_and_index_like_the_api() -> None:
    text = "a😄b" + PROGRAMMER
    units = to_units(text)
    assert len(units) == utf16_len(text) == 11
    assert units[1] == "\ud83d" and units[2] == "\ude04"
    assert from_units(units) == text
    assert from_units(units[3:4]) == "b"


def test_sanitise_strips_control_and_private_use_but_keeps_tab_and_newline() -> None:
    dirty = "a\x00b\x07c\x0bd\x0ce\rf\x1fg\th\ni\ue000j\uf8ffk"
    assert sanitise(dirty) == "abcdef" + "g\th\nijk"
    assert sanitise("😄") == "😄"  # astral characters are not private-use BMP


def test_surrogate_split_detection() -> None:
    units = to_units("x😄y")
    assert not splits_pair(units, 1)
    assert splits_pair(units, 2)
    assert not splits_pair(units, 3)


def test_cluster_end_moves_out_of_emoji_zwj_sequence() -> None:
    units = to_units("a" + PROGRAMMER + "b")
    for inside in range(2, 8):
        assert cluster_end(units, inside) == 8
    assert cluster_end(units, 1) == 1
    assert cluster_end(units, 8) == 8


def test_cluster_end_keeps_combining_marks_with_their_base() -> None:
    units = to_units("e\u0301\u0302x")
    assert cluster_end(units, 1) == 3
    assert cluster_end(units, 2) == 3
    assert cluster_end(units, 3) == 3


def test_cluster_end_pairs_regional_indicators() -> None:
    flags = "\U0001F1E9\U0001F1EA\U0001F1EB\U0001F1F7"  # 🇩🇪🇫🇷
    units = to_units(flags)
    assert cluster_end(units, 2) == 4  # between D and E: inside the German flag
    assert cluster_end(units, 4) == 4  # between the two flags: a boundary
    assert cluster_end(units, 6) == 8


@pytest.mark.parametrize("request_", [
    {"insertPageBreak": {"location": {"index": 3}}},
    {"insertPerson": {"location": {"index": 3}, "personProperties": {"email": "sam@example.com"}}},
], ids=["page break", "person chip"])
def test_an_element_inserted_inside_a_surrogate_pair_lands_after_it(request_):
    """Outside testing split an emoji with an element insert; Google moves the point past the cluster."""
    from service.emulator.docs.document import Document
    from service.emulator.ids import IdSource

    ids = IdSource(seed=1)
    doc = Document.create("d", "t", ids)
    doc.batch_update({"requests": [{"insertText": {"location": {"index": 1}, "text": "a😀b\n"}}]}, ids)
    doc.batch_update({"requests": [request_]}, ids)
    contents = [e.get("textRun", {}).get("content") for c in doc.to_resource()["body"]["content"] if "paragraph" in c
                for e in c["paragraph"]["elements"]]
    assert contents[0] == "a😀"  # whole: the element came after the pair
    assert all(c is None or "\ud83d" not in c.replace("😀", "") for c in contents)
