"""Shared drives, permissions and access control: what each identity may see and do, through the real client."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError

PERMS = "permissions(id,type,role,emailAddress,domain,permissionDetails)"


def _status(request: Any) -> tuple[int, str]:
    with pytest.raises(HttpError) as caught:
        request.execute()
    return caught.value.status_code, caught.value.reason


def test_shared_drive_items_need_supports_all_drives(drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    missing = f"File not found: {doc['id']}."
    assert _status(drive.files().get(fileId=doc["id"])) == (404, missing)
    assert _status(drive.files().update(fileId=doc["id"], body={"name": "x"})) == (404, missing)
    assert _status(drive.files().delete(fileId=doc["id"])) == (404, missing)
    assert _status(drive.files().create(body={"name": "x", "parents": [shared_drive]}))[0] == 404
    assert drive.files().get(fileId=doc["id"], supportsAllDrives=True, fields="driveId").execute() == {
        "driveId": shared_drive}


def test_listing_shared_drive_items(drive: Any, shared_drive: str, kit: Any) -> None:
    kit.new_doc(drive, shared_drive, name="in the drive")
    assert drive.files().list().execute()["files"] == []  # My Drive corpus only
    assert _status(drive.files().list(corpora="drive", driveId=shared_drive, supportsAllDrives=True))[0] == 403
    assert _status(drive.files().list(driveId=shared_drive, includeItemsFromAllDrives=True,
                                      supportsAllDrives=True))[0] == 400
    for extra in ({"corpora": "drive", "driveId": shared_drive}, {"corpora": "allDrives"}, {}):
        files = drive.files().list(supportsAllDrives=True, includeItemsFromAllDrives=True, **extra).execute()["files"]
        assert [f["name"] for f in files] == ["in the drive"]
    assert _status(drive.files().list(corpora="drive", driveId="0ANope", supportsAllDrives=True,
                                      includeItemsFromAllDrives=True)) == (404, "Shared drive not found: 0ANope")


def test_non_members_see_nothing_in_a_shared_drive(emu_app: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    outsider = kit.drive_for(emu_app, kit.OUTSIDER)
    assert _status(outsider.files().get(fileId=doc["id"], supportsAllDrives=True))[0] == 404
    assert outsider.files().list(corpora="allDrives", supportsAllDrives=True,
                                 includeItemsFromAllDrives=True).execute()["files"] == []
    assert _status(outsider.drives().get(driveId=shared_drive))[0] == 404
    assert outsider.drives().list().execute()["drives"] == []
    assert [d["name"] for d in drive.drives().list().execute()["drives"]] == ["Docket 🗂️"]


def test_per_file_permissions_grant_docs_access(emu_app: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    manager_docs = kit.docs_for(emu_app, kit.MANAGER)
    report_docs = kit.docs_for(emu_app, kit.REPORT)
    write = {"requests": [{"insertText": {"endOfSegmentLocation": {}, "text": "🦄"}}]}
    assert _status(manager_docs.documents().get(documentId=doc["id"]))[0] == 404

    drive.permissions().create(fileId=doc["id"], supportsAllDrives=True, sendNotificationEmail=False,
                               body={"type": "user", "role": "writer", "emailAddress": kit.MANAGER}).execute()
    drive.permissions().create(fileId=doc["id"], supportsAllDrives=True, sendNotificationEmail=False,
                               body={"type": "user", "role": "reader", "emailAddress": kit.REPORT}).execute()
    assert manager_docs.documents().get(documentId=doc["id"], fields="title").execute()["title"]
    manager_docs.documents().batchUpdate(documentId=doc["id"], body=write).execute()
    assert report_docs.documents().get(documentId=doc["id"], fields="title").execute()["title"]
    assert _status(report_docs.documents().batchUpdate(documentId=doc["id"], body=write)) == (
        403, "The caller does not have permission")
    # A per-file grant makes the file visible in Drive too, but not the rest of the drive.
    manager_drive = kit.drive_for(emu_app, kit.MANAGER)
    listed = manager_drive.files().list(supportsAllDrives=True, includeItemsFromAllDrives=True).execute()["files"]
    assert [f["id"] for f in listed] == [doc["id"]]
    assert _status(manager_drive.drives().get(driveId=shared_drive))[0] == 404


def test_domain_and_anyone_grants(emu_app: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    drive.permissions().create(fileId=doc["id"], supportsAllDrives=True,
                               body={"type": "domain", "role": "reader", "domain": "example.com"}).execute()
    assert kit.docs_for(emu_app, kit.REPORT).documents().get(documentId=doc["id"]).execute()
    assert _status(kit.docs_for(emu_app, kit.OUTSIDER).documents().get(documentId=doc["id"]))[0] == 404
    drive.permissions().create(fileId=doc["id"], supportsAllDrives=True, body={"type": "anyone", "role": "reader"}).execute()
    assert kit.docs_for(emu_app, kit.OUTSIDER).documents().get(documentId=doc["id"]).execute()


def test_permissions_list_shows_inherited_drive_membership(drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    drive.permissions().create(fileId=doc["id"], supportsAllDrives=True, sendNotificationEmail=False,
                               body={"type": "user", "role": "writer", "emailAddress": kit.MANAGER}).execute()
    listed = drive.permissions().list(fileId=doc["id"], supportsAllDrives=True, fields=PERMS).execute()["permissions"]
    by_email = {p["emailAddress"]: p for p in listed}
    assert by_email[kit.SERVICE_ACCOUNT]["role"] == "organizer"
    assert by_email[kit.SERVICE_ACCOUNT]["permissionDetails"] == [
        {"permissionType": "member", "role": "organizer", "inherited": True, "inheritedFrom": shared_drive}]
    assert by_email[kit.MANAGER]["permissionDetails"] == [
        {"permissionType": "file", "role": "writer", "inherited": False}]

    members = drive.permissions().list(fileId=shared_drive, supportsAllDrives=True, fields=PERMS).execute()
    assert [(p["emailAddress"], p["role"]) for p in members["permissions"]] == [(kit.SERVICE_ACCOUNT, "organizer")]
    assert _status(drive.permissions().list(fileId=shared_drive))[0] == 404


def test_drive_membership_and_its_roles(emu_store: Any, emu_app: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    emu_store.add_drive_member(shared_drive, kit.REPORT, "reader")
    report_drive = kit.drive_for(emu_app, kit.REPORT)
    assert report_drive.files().get(fileId=doc["id"], supportsAllDrives=True).execute()["id"] == doc["id"]
    assert _status(report_drive.files().update(fileId=doc["id"], body={"name": "mine"}, supportsAllDrives=True)) == (
        403, "The user does not have sufficient permissions for this file.")
    assert _status(report_drive.permissions().list(fileId=doc["id"], supportsAllDrives=True))[0] == 403
    drive.permissions().create(fileId=shared_drive, supportsAllDrives=True, sendNotificationEmail=False,
                               body={"type": "user", "role": "writer", "emailAddress": kit.MANAGER}).execute()
    assert kit.drive_for(emu_app, kit.MANAGER).files().update(
        fileId=doc["id"], body={"name": "renamed"}, supportsAllDrives=True).execute()["name"] == "renamed"


def test_permission_get_and_delete(emu_app: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    created = drive.permissions().create(fileId=doc["id"], supportsAllDrives=True, sendNotificationEmail=False,
                                         body={"type": "user", "role": "commenter", "emailAddress": kit.MANAGER}).execute()
    assert set(created) == {"kind", "id", "type", "role"}
    got = drive.permissions().get(fileId=doc["id"], permissionId=created["id"], supportsAllDrives=True,
                                  fields="emailAddress,role").execute()
    assert got == {"emailAddress": kit.MANAGER, "role": "commenter"}
    drive.permissions().delete(fileId=doc["id"], permissionId=created["id"], supportsAllDrives=True).execute()
    assert _status(kit.docs_for(emu_app, kit.MANAGER).documents().get(documentId=doc["id"]))[0] == 404
    assert _status(drive.permissions().get(fileId=doc["id"], permissionId=created["id"], supportsAllDrives=True)) == (
        404, f"Permission not found: {created['id']}.")


@pytest.mark.parametrize("body, params, status", [
    ({"type": "anyone", "role": "reader"}, {"sendNotificationEmail": True}, 400),
    ({"type": "domain", "role": "reader", "domain": "example.com"}, {"sendNotificationEmail": True}, 400),
    ({"type": "anyone", "role": "reader"}, {"sendNotificationEmail": False}, 200),
    ({"type": "user", "role": "reader", "emailAddress": "sam@example.com"}, {"sendNotificationEmail": True}, 200),
    ({"type": "user", "role": "reader"}, {}, 400),
    ({"type": "domain", "role": "reader"}, {}, 400),
    ({"type": "robot", "role": "reader"}, {}, 400),
    ({"type": "user", "role": "emperor", "emailAddress": "sam@example.com"}, {}, 400),
    ({"type": "user", "role": "organizer", "emailAddress": "sam@example.com"}, {}, 400),
    ({"type": "user", "role": "owner", "emailAddress": "sam@example.com"}, {"transferOwnership": True}, 403),
])
def test_permission_create_rules(drive: Any, shared_drive: str, kit: Any, body: dict, params: dict, status: int) -> None:
    doc = kit.new_doc(drive, shared_drive)
    request = drive.permissions().create(fileId=doc["id"], supportsAllDrives=True, body=body, **params)
    if status == 200:
        assert request.execute()["role"] == body["role"]
    else:
        assert _status(request)[0] == status


def test_ownership_transfer_in_my_drive(emu_app: Any, kit: Any) -> None:
    manager = kit.drive_for(emu_app, kit.MANAGER)
    doc = manager.files().create(body={"name": "mine 🦄", "mimeType": kit.DOC_MIME}).execute()
    new_owner = {"type": "user", "role": "owner", "emailAddress": kit.REPORT}
    assert _status(manager.permissions().create(fileId=doc["id"], body=new_owner))[0] == 403
    assert _status(manager.permissions().create(fileId=doc["id"], body=new_owner, transferOwnership=True,
                                                sendNotificationEmail=False))[0] == 403
    manager.permissions().create(fileId=doc["id"], body=new_owner, transferOwnership=True).execute()
    got = manager.files().get(fileId=doc["id"], fields="ownedByMe,owners(emailAddress),capabilities(canEdit)").execute()
    assert got == {"ownedByMe": False, "owners": [{"emailAddress": kit.REPORT}], "capabilities": {"canEdit": True}}


def test_permission_update_checks_roles_like_create(emu_app: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    mine = kit.drive_for(emu_app, kit.MANAGER)
    file_id = mine.files().create(body={"name": "mine", "mimeType": kit.DOC_MIME}).execute()["id"]
    grant = mine.permissions().create(fileId=file_id, body={"type": "user", "role": "reader",
                                                            "emailAddress": kit.REPORT}).execute()
    for role in ("bogus", "organizer", "fileOrganizer"):
        with pytest.raises(HttpError) as caught:
            mine.permissions().update(fileId=file_id, permissionId=grant["id"], body={"role": role}).execute()
        assert caught.value.status_code == 400, role
    assert mine.permissions().get(fileId=file_id, permissionId=grant["id"], fields="role").execute() == {"role": "reader"}
    assert mine.permissions().update(fileId=file_id, permissionId=grant["id"], body={"role": "writer"},
                                     fields="role").execute() == {"role": "writer"}
