"""Drive files.copy: where the copy goes, what metadata it keeps (patched by the body), its own copy of a Doc's content."""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

ALL = {"supportsAllDrives": True}
FIELDS = "id,name,mimeType,parents,driveId,appProperties,properties,description,ownedByMe,owners"
TYPED = [{"insertText": {"location": {"index": 1}, "text": "Opening check-in 🙂\nTicket work\n"}},
         {"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 20},
                                   "paragraphStyle": {"namedStyleType": "HEADING_2"}, "fields": "namedStyleType"}},
         {"createNamedRange": {"name": "docket.week.2026-11-17", "range": {"startIndex": 1, "endIndex": 20}}}]


def _refused(kit: Any, store: Any, request: Any) -> dict:
    before = kit.snapshot(store)
    with pytest.raises(HttpError) as caught:
        request.execute()
    assert kit.snapshot(store) == before
    return json.loads(caught.value.content)["error"]


@pytest.fixture
def source(drive: Any, docs_api: Any, shared_drive: str, kit: Any) -> dict:
    """A 1:1 doc in the shared drive with typed text, a heading, a named range, properties and sharing."""
    doc = drive.files().create(body={
        "name": "1:1 María / Sam 🦄", "mimeType": kit.DOC_MIME, "parents": [shared_drive], "description": "weekly",
        "appProperties": {"docket_kind": "one_on_one", "docket_report": kit.REPORT}, "properties": {"team": "emea"},
    }, fields="id", **ALL).execute()
    docs_api.documents().batchUpdate(documentId=doc["id"], body={"requests": TYPED}).execute()
    drive.permissions().create(fileId=doc["id"], body={"type": "user", "role": "writer", "emailAddress": kit.MANAGER},
                               sendNotificationEmail=False, **ALL).execute()
    return doc


def test_a_copy_of_a_doc_has_its_content_and_metadata_and_lives_beside_it(
        drive: Any, docs_api: Any, shared_drive: str, source: dict, kit: Any) -> None:
    copy = drive.files().copy(fileId=source["id"], body={}, fields=FIELDS, **ALL).execute()
    assert copy["id"] != source["id"]
    assert copy == {"id": copy["id"], "name": "Copy of 1:1 María / Sam 🦄", "mimeType": kit.DOC_MIME,
                    "parents": [shared_drive], "driveId": shared_drive, "description": "weekly",
                    "appProperties": {"docket_kind": "one_on_one", "docket_report": kit.REPORT},
                    "properties": {"team": "emea"}}
    original = docs_api.documents().get(documentId=source["id"]).execute()
    copied = docs_api.documents().get(documentId=copy["id"]).execute()
    assert (copied["documentId"], copied["title"]) == (copy["id"], copy["name"])
    assert copied["body"] == original["body"] and copied["namedRanges"] == original["namedRanges"]
    assert copied["revisionId"] != original["revisionId"]
    # Sharing is not copied: the manager was given the source, not the copy.
    emails = {p.get("emailAddress") for p in drive.permissions().list(
        fileId=copy["id"], fields="permissions(emailAddress)", **ALL).execute()["permissions"]}
    assert kit.MANAGER not in emails and kit.SERVICE_ACCOUNT in emails


def test_the_copys_content_is_its_own(drive: Any, docs_api: Any, source: dict) -> None:
    copy = drive.files().copy(fileId=source["id"], body={"name": "copy"}, **ALL).execute()
    docs_api.documents().batchUpdate(documentId=copy["id"], body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "only in the copy\n"}}]}).execute()
    text = json.dumps(docs_api.documents().get(documentId=source["id"]).execute(), ensure_ascii=False)
    assert "only in the copy" not in text


def test_the_body_patches_the_copy(drive: Any, source: dict, kit: Any) -> None:
    body = {"name": "1:1 María / Zoë", "description": None,
            "appProperties": {"docket_report": "zoë@example.com", "docket_kind": None, "copied": "yes"}}
    copy = drive.files().copy(fileId=source["id"], body=body, fields=FIELDS, **ALL).execute()
    assert copy["name"] == "1:1 María / Zoë" and "description" not in copy
    assert copy["appProperties"] == {"docket_report": "zoë@example.com", "copied": "yes"}
    assert copy["properties"] == {"team": "emea"}
    assert drive.files().get(fileId=source["id"], fields="appProperties", **ALL).execute()["appProperties"] == {
        "docket_kind": "one_on_one", "docket_report": kit.REPORT}


def test_a_copy_into_another_shared_drive(drive: Any, emu_store: Any, source: dict) -> None:
    other = emu_store.seed_shared_drive("Archive 🗄️", {"docket@docket-emulator.iam.gserviceaccount.com": "organizer"})
    copy = drive.files().copy(fileId=source["id"], body={"parents": [other]}, fields="parents,driveId", **ALL).execute()
    assert copy == {"parents": [other], "driveId": other}


def test_shared_drive_items_need_supports_all_drives(drive: Any, emu_store: Any, source: dict, kit: Any) -> None:
    body = _refused(kit, emu_store, drive.files().copy(fileId=source["id"], body={}))
    assert (body["code"], body["message"]) == (404, f"File not found: {source['id']}.")


def test_a_person_who_may_only_read_gets_the_copy_in_their_my_drive(emu_app: Any, source: dict, kit: Any) -> None:
    drive = kit.drive_for(emu_app)
    drive.permissions().create(fileId=source["id"], body={"type": "user", "role": "reader", "emailAddress": kit.OUTSIDER},
                               sendNotificationEmail=False, **ALL).execute()
    reader = kit.drive_for(emu_app, kit.OUTSIDER)
    copy = reader.files().copy(fileId=source["id"], body={}, fields="driveId,ownedByMe,owners(emailAddress)", **ALL).execute()
    assert copy == {"ownedByMe": True, "owners": [{"emailAddress": kit.OUTSIDER}]}
    mine = reader.files().list(q="'root' in parents", fields="files(name)").execute()["files"]
    assert mine == [{"name": "Copy of 1:1 María / Sam 🦄"}]


def test_refusals_change_nothing(drive: Any, emu_store: Any, shared_drive: str, source: dict, kit: Any) -> None:
    # A service account has no My Drive to put a copy in.
    body = _refused(kit, emu_store, drive.files().copy(fileId=source["id"], body={"parents": ["root"]}, **ALL))
    assert (body["code"], body["errors"][0]["reason"]) == (403, "storageQuotaExceeded")
    folder = drive.files().create(body={"name": "f", "mimeType": kit.FOLDER_MIME, "parents": [shared_drive]},
                                  **ALL).execute()
    body = _refused(kit, emu_store, drive.files().copy(fileId=folder["id"], body={}, **ALL))
    assert (body["code"], body["errors"][0]["reason"]) == (403, "cannotCopyFile")
    body = _refused(kit, emu_store, drive.files().copy(fileId=source["id"], body={"appProperties": {"k": "v" * 124}}, **ALL))
    assert body["errors"][0]["reason"] == "propertyLengthLimitExceeded"
    body = _refused(kit, emu_store, drive.files().copy(fileId=source["id"], body={"id": source["id"]}, **ALL))
    assert body["code"] == 409
    body = _refused(kit, emu_store, drive.files().copy(fileId=source["id"], body={"mimeType": "text/plain"}, **ALL))
    assert body["code"] == 501 and "mimeType" in body["message"]
    body = _refused(kit, emu_store, drive.files().copy(fileId=source["id"], body={}, copyComments=True, **ALL))
    assert body["code"] == 501 and "copyComments" in body["message"]
    body = _refused(kit, emu_store, drive.files().copy(fileId="1nope", body={}, **ALL))
    assert body["code"] == 404
