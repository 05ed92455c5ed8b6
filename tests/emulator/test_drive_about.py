"""Drive about.get: who the caller is, `fields` required as Drive requires it, storage for users only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from service.emulator.transport import EmulatorHttp

PERSON = "zoë.okafor@example.com"


def _error(request: Any) -> HttpError:
    with pytest.raises(HttpError) as caught:
        request.execute()
    return caught.value


def test_the_service_account_learns_who_it_is_and_has_no_storage(drive: Any, kit: Any) -> None:
    about = drive.about().get(fields="*").execute()
    assert about["kind"] == "drive#about"
    assert about["user"] == {"kind": "drive#user", "emailAddress": kit.SERVICE_ACCOUNT, "me": True,
                             "displayName": kit.SERVICE_ACCOUNT.split("@")[0],
                             "permissionId": about["user"]["permissionId"]}
    assert "storageQuota" not in about  # service accounts own no storage
    assert drive.about().get(fields="user(emailAddress)").execute() == {"user": {"emailAddress": kit.SERVICE_ACCOUNT}}


def test_each_caller_is_itself_and_a_person_has_a_my_drive_quota(emu_app: Any, kit: Any) -> None:
    person = kit.drive_for(emu_app, PERSON)
    about = person.about().get(fields="user(emailAddress,me),storageQuota").execute()
    assert about["user"] == {"emailAddress": PERSON, "me": True}
    assert about["storageQuota"] == {"limit": str(15 * 1024**3), "usage": "0", "usageInDrive": "0", "usageInDriveTrash": "0"}


def test_the_user_permission_id_is_the_one_on_the_callers_grants(drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    grants = drive.permissions().list(fileId=doc["id"], supportsAllDrives=True,
                                      fields="permissions(id,emailAddress)").execute()["permissions"]
    mine = next(g["id"] for g in grants if g["emailAddress"] == kit.SERVICE_ACCOUNT)
    assert drive.about().get(fields="user/permissionId").execute()["user"]["permissionId"] == mine


def test_without_fields_drive_refuses_as_google_does_and_nothing_changes(
        emu_app: Any, emu_store: Any, drive: Any, kit: Any) -> None:
    capture = kit.capture("drive/about_get_without_fields.json")  # google-api-python-client issue #1742
    before = kit.snapshot(emu_store)
    for fields in (None, " "):
        error = _error(drive.about().get(**({} if fields is None else {"fields": fields})))
        body = json.loads(error.content)["error"]
        assert error.status_code == capture["status"] == body["code"]
        assert body["message"] == capture["error"]["message"]
        assert body["errors"] == capture["error"]["errors"]
    assert kit.snapshot(emu_store) == before


def test_an_unknown_field_is_an_invalid_selection(drive: Any) -> None:
    error = _error(drive.about().get(fields="user,title"))
    assert error.status_code == 400 and error.reason == "Invalid field selection title"


def test_about_takes_no_parameters_but_the_system_ones(emu_app: Any) -> None:
    response, content = EmulatorHttp(emu_app).request("https://www.googleapis.com/drive/v3/about?fields=user&supportsAllDrives=true")
    assert response.status == 400 and "supportsAllDrives" in json.loads(content)["error"]["message"]
