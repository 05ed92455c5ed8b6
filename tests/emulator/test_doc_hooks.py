"""The emulator's test hooks: PUT/GET /_emulator/documents/<id>, and a person's edits (type, move a tab, pick an option)."""

from __future__ import annotations

import json
from typing import Any

from googleapiclient.errors import HttpError
from werkzeug.test import Client

from service.emulator.docs import people
from service.emulator.docs.hooks import dump_document, load_document
from service.emulator.store import Store

LEGACY = {
    "title": "Loaded 🦄",
    "body": {"content": [
        {"endIndex": 1, "sectionBreak": {"sectionStyle": {"sectionType": "CONTINUOUS"}}},
        {"startIndex": 1, "endIndex": 7, "paragraph": {"elements": [
            {"startIndex": 1, "endIndex": 7, "textRun": {"content": "Hello\n", "textStyle": {}}}],
            "paragraphStyle": {"namedStyleType": "NORMAL_TEXT", "headingId": "h.kept"}}},
    ]},
}


def two_tabs() -> dict[str, Any]:
    def tab(tab_id: str, title: str, text: str) -> dict[str, Any]:
        return {"tabProperties": {"tabId": tab_id, "title": title}, "documentTab": {"body": {"content": [
            {"endIndex": 1, "sectionBreak": {}},
            {"startIndex": 1, "endIndex": 1 + len(text), "paragraph": {"elements": [
                {"startIndex": 1, "endIndex": 1 + len(text), "textRun": {"content": text}}]}}]}}}

    first, second = tab("t.0", "Notes", "first\n"), tab("t.other", "Archive", "second\n")
    second["tabProperties"]["index"] = 1
    return {"title": "Tabs", "tabs": [first, second]}


def test_put_then_get_over_http(emu_app: Any, shared_drive: str, drive: Any, docs_api: Any) -> None:
    client = Client(emu_app)
    put = client.put("/_emulator/documents/1capture", json=LEGACY)
    assert put.status_code == 200
    got = client.get("/_emulator/documents/1capture").get_json()
    assert got == put.get_json()
    tab = got["tabs"][0]
    assert tab["tabProperties"] == {"tabId": "t.0", "title": "Tab 1", "index": 0}
    assert tab["documentTab"]["body"] == LEGACY["body"]
    # The Drive file was created in the shared drive, named from the body's title; Docket's clients see it.
    record = drive.files().get(fileId="1capture", supportsAllDrives=True, fields="name,driveId").execute()
    assert record == {"name": "Loaded 🦄", "driveId": shared_drive}
    assert docs_api.documents().get(documentId="1capture").execute()["body"] == LEGACY["body"]


def test_a_bad_body_is_400_and_changes_nothing(emu_app: Any, emu_store: Store, shared_drive: str) -> None:
    client = Client(emu_app)
    assert client.put("/_emulator/documents/1capture", json=LEGACY).status_code == 200
    before = dump_document(emu_store, "1capture")
    broken = json.loads(json.dumps(LEGACY))
    broken["body"]["content"][1]["endIndex"] = 9
    reply = client.put("/_emulator/documents/1capture", json=broken)
    assert reply.status_code == 400 and reply.get_json()["error"]["status"] == "INVALID_ARGUMENT"
    assert dump_document(emu_store, "1capture") == before
    assert client.put("/_emulator/documents/1other", json=["not", "a", "document"]).status_code == 400
    assert client.get("/_emulator/documents/1other").status_code == 404


def test_loading_in_process_replaces_tabs_and_keeps_the_file(emu_store: Store, shared_drive: str, docs_api: Any) -> None:
    load_document(emu_store, "1doc", LEGACY, identity="someone@example.com")
    load_document(emu_store, "1doc", two_tabs(), identity="someone@example.com")
    doc = docs_api.documents().get(documentId="1doc", includeTabsContent=True).execute()
    assert doc["title"] == "Loaded 🦄"  # the existing file keeps its name
    assert [t["tabProperties"] for t in doc["tabs"]] == [{"tabId": "t.0", "title": "Notes", "index": 0},
                                                        {"tabId": "t.other", "title": "Archive", "index": 1}]


def test_a_person_moves_a_tab_to_the_front_and_stale_writes_fail(emu_store: Store, shared_drive: str, docs_api: Any) -> None:
    load_document(emu_store, "1doc", two_tabs(), identity="x@example.com")
    read = docs_api.documents().get(documentId="1doc", includeTabsContent=True).execute()
    emu_store.add_drive_member(shared_drive, "maria@example.com", "writer")
    people.move_tab(emu_store, "1doc", "t.other", 0, identity="maria@example.com")
    now = docs_api.documents().get(documentId="1doc", includeTabsContent=True).execute()
    assert [t["tabProperties"]["tabId"] for t in now["tabs"]] == ["t.other", "t.0"]
    assert now["tabs"][1]["tabProperties"]["index"] == 1
    # Legacy reads now show the tab that is first; a write computed against the old read is stale.
    assert docs_api.documents().get(documentId="1doc").execute()["body"]["content"][1]["paragraph"][
        "elements"][0]["textRun"]["content"] == "second\n"
    stale = {"requests": [{"insertText": {"location": {"index": 1}, "text": "x"}}],
             "writeControl": {"requiredRevisionId": read["revisionId"]}}
    try:
        docs_api.documents().batchUpdate(documentId="1doc", body=stale).execute()
        raise AssertionError("a stale write was accepted")
    except HttpError as error:
        assert error.resp.status == 400


def test_a_person_types_and_picks_an_option(emu_store: Store, shared_drive: str, docs_api: Any) -> None:
    load_document(emu_store, "1doc", LEGACY, identity="x@example.com")
    emu_store.add_drive_member(shared_drive, "sam@example.com", "writer")
    created = docs_api.documents().batchUpdate(documentId="1doc", body={"requests": [
        {"createDropdownDefinition": {"dropdownDefinition": {"dropdownDefinitionId": "kix.status",
                                                             "dropdownDefinitionProperties": {"options": [
                                                                 {"optionId": "dropdownItem.open", "displayValue": "Open"},
                                                                 {"optionId": "dropdownItem.done", "displayValue": "Done"}]}}}},
        {"insertDropdown": {"dropdownDefinitionId": "kix.status", "endOfSegmentLocation": {}}},
    ]}).execute()
    dropdown_id = created["replies"][1]["insertDropdown"]["dropdown"]["dropdownId"]
    people.pick_dropdown_option(emu_store, "1doc", dropdown_id, "dropdownItem.done", identity="sam@example.com")
    people.type_text(emu_store, "1doc", " — Sam", identity="sam@example.com")
    paragraph = docs_api.documents().get(documentId="1doc").execute()["body"]["content"][1]["paragraph"]
    assert paragraph["elements"][1]["dropdown"]["dropdownProperties"]["displayValue"] == "Done"
    assert paragraph["elements"][2]["textRun"]["content"] == " — Sam\n"
