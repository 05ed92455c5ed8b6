"""Real documents.get bodies (tests/emulator/captures/, sources in its README) loaded, read back and edited as Docket edits.

GET returns what was PUT, modulo the normalisations the README lists; after Docket-style writes
(appending a section at the end of a tab's body, a person typing at its start) every element
the write did not touch is byte-identical except for its index shift.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

CAPTURES = sorted((Path(__file__).parent / "captures").glob("*.json"))
LEGACY_FIELDS = ("body", "headers", "footers", "footnotes", "documentStyle", "namedStyles", "lists", "namedRanges",
                 "inlineObjects", "positionedObjects")


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def first_tab(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(tabProperties, documentTab fields) of a capture's first tab, whichever form it is in."""
    if body.get("tabs"):
        tab = body["tabs"][0]
        return tab["tabProperties"], tab["documentTab"]
    return {"tabId": "t.0", "title": "Tab 1", "index": 0}, {k: body[k] for k in LEGACY_FIELDS if k in body}


@pytest.fixture
def client(emu_app: Any, shared_drive: str) -> Client:
    return Client(emu_app)


def put(client: Client, doc_id: str, body: dict[str, Any]) -> dict[str, Any]:
    reply = client.put(f"/_emulator/documents/{doc_id}", json=body)
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()


def test_there_are_at_least_twenty_captures() -> None:
    assert len(CAPTURES) >= 20


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.stem)
def test_a_capture_comes_back_as_it_was_put(path: Path, client: Client, docs_api: Any) -> None:
    body = load(path)
    got = client.get(f"/_emulator/documents/1{path.stem}").status_code
    assert got == 404
    put(client, f"1{path.stem}", body)
    back = client.get(f"/_emulator/documents/1{path.stem}").get_json()
    assert back["documentId"] == f"1{path.stem}" and back["title"] == body["title"]
    if body.get("tabs"):
        assert back["tabs"] == body["tabs"]
    else:
        props, fields = first_tab(body)
        assert back["tabs"] == [{"tabProperties": props, "documentTab": fields}]
    # Docket's own reads (the real client, legacy form) see the first tab's fields as captured.
    legacy = docs_api.documents().get(documentId=f"1{path.stem}").execute()
    assert {k: legacy[k] for k in LEGACY_FIELDS if k in legacy} == first_tab(body)[1]


def _text_of(paragraph: dict[str, Any]) -> str:
    return "".join(e.get("textRun", {}).get("content", "\ue907") for e in paragraph["elements"])


def _char_styles(paragraph: dict[str, Any]) -> list[Any]:
    """Each character's text style (an element counts once per unit), seam-independent."""
    out: list[Any] = []
    for e in paragraph["elements"]:
        kind = next(k for k in e if k not in ("startIndex", "endIndex"))
        out += [json.dumps(e[kind].get("textStyle"), sort_keys=True)] * (e["endIndex"] - e.get("startIndex", 0))
    return out


def shifted(value: Any, delta: int) -> Any:
    """`value` with every index moved by delta (missing startIndex read as 0, a 0 one omitted)."""
    if isinstance(value, list):
        return [shifted(v, delta) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: shifted(v, delta) for k, v in value.items()}
    if "endIndex" in value:
        out["endIndex"] = value["endIndex"] + delta
        start = value.get("startIndex", 0) + delta
        out.pop("startIndex", None)
        if start:
            out["startIndex"] = start
    return out


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.stem)
def test_appending_a_section_at_the_end_keeps_every_original_element(path: Path, client: Client, docs_api: Any) -> None:
    body = load(path)
    doc_id = f"1{path.stem}"
    put(client, doc_id, body)
    props, fields = first_tab(body)
    tab_id = props["tabId"]
    content = fields["body"]["content"]
    end = content[-1]["endIndex"]
    last_has_text = end - content[-1].get("startIndex", 0) > 1
    # Docket: split off an empty paragraph if the last one holds text, write after it, reset every
    # style the new text could inherit, and anchor the section with a named range in that tab.
    start = end if last_has_text else end - 1
    text = "Week of 2026-11-16\nHow are you feeling?\n"
    requests: list[dict[str, Any]] = []
    if last_has_text:
        requests.append({"insertText": {"location": {"index": end - 1, "tabId": tab_id}, "text": "\n"}})
    new_end = start + len(text)
    requests += [
        {"insertText": {"location": {"index": start, "tabId": tab_id}, "text": text}},
        {"updateParagraphStyle": {"range": {"startIndex": start, "endIndex": new_end, "tabId": tab_id},
                                  "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"}, "fields": "namedStyleType"}},
        {"updateTextStyle": {"range": {"startIndex": start, "endIndex": new_end, "tabId": tab_id}, "textStyle": {},
                             "fields": "bold,italic,underline,strikethrough,link,foregroundColor,backgroundColor,fontSize"}},
        {"updateParagraphStyle": {"range": {"startIndex": start, "endIndex": start + 1, "tabId": tab_id},
                                  "paragraphStyle": {"namedStyleType": "HEADING_2"}, "fields": "namedStyleType"}},
        {"createNamedRange": {"name": "docket.week.2026-11-16",
                              "range": {"startIndex": start, "endIndex": new_end, "tabId": tab_id}}},
    ]
    docs_api.documents().batchUpdate(documentId=doc_id, body={"requests": requests}).execute()

    after = client.get(f"/_emulator/documents/{doc_id}").get_json()["tabs"][0]["documentTab"]
    got = after["body"]["content"]
    # Everything before the last original paragraph is untouched, byte for byte.
    assert got[: len(content) - 1] == content[:-1]
    if last_has_text:
        # The last original paragraph keeps its text, paragraph style, bullet and each character's
        # style (its final newline is the one Docket inserted, so only run seams may differ).
        old_last, new_last = content[-1]["paragraph"], got[len(content) - 1]["paragraph"]
        assert _text_of(new_last).rstrip("\n") == _text_of(old_last).rstrip("\n")
        assert new_last["paragraphStyle"] == old_last["paragraphStyle"]
        assert new_last.get("bullet") == old_last.get("bullet")
        assert _char_styles(new_last)[:-1] == _char_styles(old_last)[:-1]
    # (An empty last paragraph is where Docket writes, so it holds the section's heading now.)
    # Every other field of the tab (segments, styles, lists, objects) is as captured.
    for key in set(fields) - {"body", "namedRanges"}:
        assert after[key] == fields[key], key
    texts = [_text_of(e["paragraph"]) for e in got[-3:]]
    assert texts == ["Week of 2026-11-16\n", "How are you feeling?\n", "\n"]
    assert got[-3]["paragraph"]["paragraphStyle"]["namedStyleType"] == "HEADING_2"
    section = after["namedRanges"]["docket.week.2026-11-16"]["namedRanges"][0]["ranges"]
    assert section == [{"startIndex": start, "endIndex": new_end, "tabId": tab_id}]


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.stem)
def test_a_person_typing_at_the_start_shifts_every_later_element_exactly(path: Path, client: Client, docs_api: Any) -> None:
    body = load(path)
    doc_id = f"1{path.stem}"
    put(client, doc_id, body)
    props, fields = first_tab(body)
    content = fields["body"]["content"]
    typed = "Maria typed 🦄 this\n"
    units = len(typed.encode("utf-16-le")) // 2
    docs_api.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": typed}}]}).execute()
    got = client.get(f"/_emulator/documents/{doc_id}").get_json()["tabs"][0]["documentTab"]["body"]["content"]
    # The section break stays; a new paragraph holds the typed line; every later element, tables and
    # their cells included, is the captured one moved by the typed length.
    assert got[0] == content[0]
    assert _text_of(got[1]["paragraph"]) == typed
    assert got[2:] == shifted(content[1:], units)
