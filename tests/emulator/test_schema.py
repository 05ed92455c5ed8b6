"""Request bodies typed against the discovery schemas, lone surrogates, and `fields` checked against the response schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from service.emulator.store import Store
from service.emulator.transport import EmulatorHttp


def _error(request: Any) -> HttpError:
    with pytest.raises(HttpError) as caught:
        request.execute()
    return caught.value


def _drive_invalid(error: HttpError, location: str) -> None:
    body = json.loads(error.content)["error"]
    assert error.status_code == 400 and body["message"] == "Invalid Value"
    assert body["errors"][0]["reason"] == "invalid" and body["errors"][0]["location"] == location


def _files(store: Store) -> int:
    with store.transaction() as state:
        return len(state.drive["files"])


@pytest.mark.parametrize("body, location", [
    ({"name": "a", "parents": 5}, "parents"),
    ({"name": 5}, "name"),
    ({"name": "a", "mimeType": 5}, "mimeType"),
    ({"name": "a", "appProperties": {"k": {"a": 1}}}, "appProperties.k"),
    ({"name": "a", "starred": "yes"}, "starred"),
])
def test_files_create_refuses_wrongly_typed_values_and_writes_nothing(
        drive: Any, shared_drive: str, emu_store: Store, body: dict, location: str) -> None:
    before = _files(emu_store)
    body = {**body, "parents": body.get("parents", [shared_drive])}
    _drive_invalid(_error(drive.files().create(body=body, supportsAllDrives=True)), location)
    assert _files(emu_store) == before


def test_files_update_trashed_must_be_a_boolean(drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    _drive_invalid(_error(drive.files().update(fileId=doc["id"], supportsAllDrives=True, body={"trashed": "no"})),
                   "trashed")
    _drive_invalid(_error(drive.files().update(fileId=doc["id"], supportsAllDrives=True, body={"name": 5})), "name")
    got = drive.files().get(fileId=doc["id"], supportsAllDrives=True, fields="trashed,name").execute()
    assert got == {"trashed": False, "name": doc["name"]}
    # The shape a bad name used to leave behind broke every later ordered listing.
    drive.files().list(orderBy="name", includeItemsFromAllDrives=True, supportsAllDrives=True).execute()


def test_permissions_and_drives_bodies_are_typed(drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    _drive_invalid(_error(drive.permissions().create(
        fileId=doc["id"], supportsAllDrives=True, body={"type": "user", "role": "reader", "emailAddress": 5})),
        "emailAddress")
    _drive_invalid(_error(drive.drives().create(requestId="r1", body={"name": 5})), "name")


def test_documents_create_title_must_be_a_string(kit: Any, emu_app: Any) -> None:
    docs = kit.docs_for(emu_app, kit.MANAGER)
    error = _error(docs.documents().create(body={"title": 123}))
    assert error.status_code == 400
    assert json.loads(error.content)["error"]["message"] == "Invalid value at 'document.title' (TYPE_STRING), 123"


@pytest.mark.parametrize("request_, where", [
    ({"replaceAllText": {"containsText": {"text": "A"}, "replaceText": 5}}, "replace_all_text.replace_text"),
    ({"createParagraphBullets": {"range": {"startIndex": 1, "endIndex": 2}, "bulletPreset": ["x"]}},
     "create_paragraph_bullets.bullet_preset"),
    ({"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 2}, "fields": "fontSize",
                          "textStyle": {"fontSize": {"magnitude": "big", "unit": "PT"}}}},
     "update_text_style.text_style.font_size.magnitude"),
    ({"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 2}, "fields": "foregroundColor",
                          "textStyle": {"foregroundColor": "red"}}}, "update_text_style.text_style.foreground_color"),
    ({"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 2}, "fields": "indentStart",
                               "paragraphStyle": {"indentStart": "wide"}}},
     "update_paragraph_style.paragraph_style.indent_start"),
])
def test_batch_update_refuses_wrongly_typed_values_and_changes_nothing(
        drive: Any, docs_api: Any, shared_drive: str, kit: Any, request_: dict, where: str) -> None:
    doc = kit.new_doc(drive, shared_drive)["id"]
    docs_api.documents().batchUpdate(documentId=doc, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "A\n"}}]}).execute()
    before = docs_api.documents().get(documentId=doc).execute()
    error = _error(docs_api.documents().batchUpdate(documentId=doc, body={"requests": [request_]}))
    assert error.status_code == 400
    assert json.loads(error.content)["error"]["message"].startswith(f"Invalid value at 'requests[0].{where}' (")
    assert docs_api.documents().get(documentId=doc).execute() == before


def test_numbers_are_read_as_proto3_json_does(drive: Any, docs_api: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)["id"]
    docs_api.documents().batchUpdate(documentId=doc, body={"requests": [
        {"insertText": {"location": {"index": 1.0}, "text": "Ab"}},
        {"updateTextStyle": {"range": {"startIndex": "1", "endIndex": 2}, "fields": "weightedFontFamily",
                             "textStyle": {"weightedFontFamily": {"fontFamily": "Arial", "weight": "700"}}}},
    ]}).execute()
    got = docs_api.documents().get(documentId=doc).execute()["body"]["content"][1]["paragraph"]["elements"][0]
    assert got["textRun"]["textStyle"]["weightedFontFamily"] == {"fontFamily": "Arial", "weight": 700}


def test_lone_surrogates_are_refused_at_parse_time(emu_app: Any, emu_store: Store, drive: Any, shared_drive: str,
                                                   kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)["id"]
    http = EmulatorHttp(emu_app)
    before = _files(emu_store)
    response, content = http.request(
        "https://www.googleapis.com/drive/v3/files?supportsAllDrives=true", "POST",
        body='{"name": "bad \\ud800", "mimeType": "%s", "parents": ["%s"]}' % (kit.DOC_MIME, shared_drive),
        headers={"content-type": "application/json"})
    assert response.status == 400 and json.loads(content)["error"]["errors"][0]["reason"] == "parseError"
    assert _files(emu_store) == before
    response, content = http.request(
        f"https://docs.googleapis.com/v1/documents/{doc}:batchUpdate", "POST",
        body='{"requests": [{"insertText": {"location": {"index": 1}, "text": "x\\udc00"}}]}',
        headers={"content-type": "application/json"})
    assert response.status == 400
    assert json.loads(content)["error"]["message"].startswith("Invalid JSON payload received.")
    assert kit.docs_for(emu_app).documents().get(documentId=doc, fields="body(content(endIndex))").execute()[
        "body"]["content"][-1]["endIndex"] == 2


def test_unknown_fields_are_refused_by_drive(drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    for request, name in ((drive.files().get(fileId=doc["id"], supportsAllDrives=True, fields="foo"), "foo"),
                          (drive.files().list(fields="files(id,bogus)"), "bogus")):
        error = _error(request)
        body = json.loads(error.content)["error"]
        assert error.status_code == 400 and body["message"] == f"Invalid field selection {name}"
        assert body["errors"][0] | {"message": None} == {"message": None, "domain": "global",
                                                        "reason": "invalidParameter", "location": "fields",
                                                        "locationType": "parameter"}
    # Map keys are data: any appProperties key may be selected.
    drive.files().get(fileId=doc["id"], supportsAllDrives=True, fields="appProperties(anything),kind").execute()


def test_unknown_fields_are_refused_by_docs(drive: Any, docs_api: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)["id"]
    error = _error(docs_api.documents().get(documentId=doc, fields="bodyx"))
    assert error.status_code == 400 and error.reason == "Invalid field selection bodyx"
    assert docs_api.documents().get(documentId=doc, fields="body(content(endIndex)),title").execute()["title"]
