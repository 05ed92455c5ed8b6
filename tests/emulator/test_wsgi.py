"""The WSGI app: Google's paths, error envelopes, 501 for what is not modelled, the Docs routes, the hook point."""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from service.emulator.errors import ApiError
from service.emulator.store import Store
from service.emulator.transport import EmulatorHttp
from service.emulator.wsgi import create_emulator_app


def _error(request: Any) -> HttpError:
    with pytest.raises(HttpError) as caught:
        request.execute()
    return caught.value


def test_unmodelled_routes_are_501_naming_method_and_path(emu_app: Any, drive: Any, shared_drive: str,
                                                          kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    error = _error(drive.files().export(fileId=doc["id"], mimeType="text/plain"))
    assert error.status_code == 501
    assert f"GET /drive/v3/files/{doc['id']}/export" in error.reason
    response, content = EmulatorHttp(emu_app).request("https://www.googleapis.com/drive/v3/changes/startPageToken", "GET")
    assert response.status == 501
    assert json.loads(content)["error"] == {
        "code": 501, "status": "UNIMPLEMENTED",
        "message": "The Docket emulator does not model GET /drive/v3/changes/startPageToken.",
    }


def test_resumable_upload_is_501_naming_it(drive: Any, shared_drive: str) -> None:
    media = MediaInMemoryUpload(b"<h1>hi</h1>", mimetype="text/html", resumable=True)
    error = _error(drive.files().create(body={"name": "x", "parents": [shared_drive]}, media_body=media,
                                        supportsAllDrives=True))
    assert error.status_code == 501 and "resumable upload" in error.reason


def test_unknown_and_unmodelled_parameters(emu_app: Any) -> None:
    http = EmulatorHttp(emu_app)
    response, content = http.request("https://www.googleapis.com/drive/v3/files?supportAllDrives=true")
    assert response.status == 400 and "supportAllDrives" in json.loads(content)["error"]["message"]
    response, content = http.request("https://www.googleapis.com/drive/v3/drives?useDomainAdminAccess=true")
    assert response.status == 501 and "useDomainAdminAccess" in json.loads(content)["error"]["message"]
    response, _ = http.request("https://www.googleapis.com/drive/v3/drives?useDomainAdminAccess=false")
    assert response.status == 200


def test_bad_json_bodies(emu_app: Any, shared_drive: str) -> None:
    http = EmulatorHttp(emu_app)
    response, content = http.request("https://docs.googleapis.com/v1/documents", "POST", body="{nope",
                                     headers={"content-type": "application/json"})
    assert response.status == 400 and json.loads(content)["error"]["status"] == "INVALID_ARGUMENT"
    response, content = http.request("https://www.googleapis.com/drive/v3/files?supportsAllDrives=true", "POST",
                                     body="[1]", headers={"content-type": "application/json"})
    assert response.status == 400


def test_documents_create_by_a_service_account_is_refused(docs_api: Any) -> None:
    error = _error(docs_api.documents().create(body={"title": "Agenda 🦄"}))
    assert error.status_code == 403 and error.error_details[0]["reason"] == "storageQuotaExceeded"


def test_documents_create_by_a_person_lands_in_their_my_drive(emu_app: Any, kit: Any) -> None:
    created = kit.docs_for(emu_app, kit.MANAGER).documents().create(body={"title": "Agenda 🦄", "body": {}}).execute()
    assert created["title"] == "Agenda 🦄"
    mine = kit.drive_for(emu_app, kit.MANAGER).files().list(fields="files(id,mimeType,ownedByMe)").execute()
    assert mine["files"] == [{"id": created["documentId"], "mimeType": kit.DOC_MIME, "ownedByMe": True}]


def test_documents_get_tabs_and_view_modes(emu_app: Any, docs_api: Any, drive: Any, shared_drive: str,
                                          kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    legacy = docs_api.documents().get(documentId=doc["id"]).execute()
    assert "body" in legacy and not legacy.get("tabs")
    with_tabs = docs_api.documents().get(documentId=doc["id"], includeTabsContent=True).execute()
    assert with_tabs["tabs"] and "body" not in with_tabs
    implied = docs_api.documents().get(documentId=doc["id"], fields="tabs(tabProperties(tabId))").execute()
    assert implied["tabs"][0]["tabProperties"]["tabId"]
    inline = docs_api.documents().get(documentId=doc["id"], suggestionsViewMode="SUGGESTIONS_INLINE",
                                      fields="suggestionsViewMode").execute()
    assert inline == {"suggestionsViewMode": "SUGGESTIONS_INLINE"}
    response, _ = EmulatorHttp(emu_app).request(
        f"https://docs.googleapis.com/v1/documents/{doc['id']}?suggestionsViewMode=SIDEWAYS")
    assert response.status == 400  # the client library refuses it first; raw HTTP reaches the emulator
    assert _error(docs_api.documents().get(documentId="1nope")).status_code == 404
    assert _error(docs_api.documents().get(documentId=shared_drive)).status_code == 404


def test_a_failed_batch_changes_nothing(docs_api: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    before = docs_api.documents().get(documentId=doc["id"]).execute()
    error = _error(docs_api.documents().batchUpdate(documentId=doc["id"], body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "kept? 🦄"}},
        {"insertText": {"location": {"index": 999}, "text": "out of range"}},
    ]}))
    assert error.status_code == 400 and error.reason.startswith("Invalid requests[1].insertText")
    assert docs_api.documents().get(documentId=doc["id"]).execute() == before


def test_before_request_hook_sees_each_call_and_can_refuse_it(emu_store: Store, shared_drive: str, kit: Any) -> None:
    seen: list[tuple[str, str, str, str]] = []

    def hook(identity: str, api: str, method: str, path: str) -> None:
        seen.append((identity, api, method, path))
        if api == "docs":
            raise ApiError(429, "Quota exceeded", reason="rateLimitExceeded")

    app = create_emulator_app(emu_store, before_request=hook)
    kit.drive_for(app, kit.MANAGER).files().list().execute()
    error = _error(kit.docs_for(app).documents().get(documentId="1abc"))
    assert error.status_code == 429
    assert seen == [(kit.MANAGER, "drive", "GET", "/drive/v3/files"),
                    (kit.SERVICE_ACCOUNT, "docs", "GET", "/v1/documents/1abc")]


def test_false_skips_only_boolean_unmodelled_parameters(emu_app: Any, shared_drive: str) -> None:
    http = EmulatorHttp(emu_app)
    # ocrLanguage is a string: "false" is a language code to model, not a default to ignore.
    response, content = http.request("https://www.googleapis.com/drive/v3/files?supportsAllDrives=true"
                                     "&ocrLanguage=false", "POST", body=json.dumps({"parents": [shared_drive]}),
                                     headers={"content-type": "application/json"})
    assert response.status == 501 and "ocrLanguage" in json.loads(content)["error"]["message"]


def test_docs_internal_errors_carry_no_drive_errors_entry(emu_app: Any, drive: Any, docs_api: Any,
                                                         shared_drive: str, kit: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from service.emulator.docs.document import Document

    doc = kit.new_doc(drive, shared_drive)["id"]

    def broken(*args: Any, **kwargs: Any) -> dict:
        raise RuntimeError("an emulator bug")

    monkeypatch.setattr(Document, "to_resource", broken)
    response, content = EmulatorHttp(emu_app).request(f"https://docs.googleapis.com/v1/documents/{doc}", "GET")
    assert response.status == 500
    assert json.loads(content) == {"error": {"code": 500, "message": "Internal error encountered.",
                                             "status": "INTERNAL"}}
