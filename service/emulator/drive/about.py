"""Drive v3 about.get: who the caller is (the `user` Docket learns its identity from) and what their Drive offers."""

from __future__ import annotations

from service.emulator.call import Call, Reply, Route
from service.emulator.drive import index as dx
from service.emulator.drive import sharing
from service.emulator.errors import ApiError

# A consumer account's free storage, 15 GiB (the figure a public about.get capture shows as `limit`).
USER_STORAGE_LIMIT = 15 * 1024**3
# DRIVE-DD files.create `mediaUpload.maxSize` (5,120 GB): the one upload limit the discovery doc states.
MAX_UPLOAD_SIZE = 5497558138880


def fields_required() -> ApiError:
    """Drive's answer to about.get without `fields` (DRIVE-DD: "Required: The `fields` parameter must be set").

    Wording, reason and location as captured from Google (google-api-python-client issue #1742;
    tests/emulator/captures/drive/about_get_without_fields.json)."""
    return ApiError(400, "The 'fields' parameter is required for this method.", reason="required",
                    location="fields", location_type="parameter")


def user_resource(email: str, *, me: bool) -> dict:
    """A Drive User. Divergence: the emulator has no directory, so the display name is the address's
    local part, as on its Permission resources; no photoLink."""
    email = email.lower()
    return {"kind": "drive#user", "displayName": email.partition("@")[0], "emailAddress": email, "me": me,
            "permissionId": dx.permission_id("user", email)}


def storage_quota(index: dict, identity: str) -> dict:
    """What the caller's My Drive holds: the sizes of uploaded (blob) files they own.

    Divergence: Google Docs files count as 0 bytes here (their `size` is not modelled)."""
    used = trashed = 0
    for record in index["files"].values():
        if record.get("driveId") or sharing.owner_email(record) != identity.lower():
            continue
        size = int(record.get("size") or 0)
        used += size
        if dx.is_trashed(index, record):
            trashed += size
    return {"limit": str(USER_STORAGE_LIMIT), "usage": str(used), "usageInDrive": str(used),
            "usageInDriveTrash": str(trashed)}


def about_get(call: Call) -> Reply:
    if not (call.text("fields") or "").strip():
        raise fields_required()
    identity = call.identity
    about: dict = {
        "kind": "drive#about",
        "user": user_resource(identity, me=True),
        # The emulator lets any identity create shared drives (drives.create), as a Workspace user may.
        "canCreateDrives": True,
        "canCreateTeamDrives": True,
        "appInstalled": False,
        "maxUploadSize": str(MAX_UPLOAD_SIZE),
        # Divergence: Google lists every conversion it offers; the emulator models no import or export,
        # so it lists none (a client deciding from importFormats then does not try one).
    }
    if not dx.is_service_account(identity):
        # Service accounts have no storage of their own since 2025 ("Service Accounts do not have storage
        # quota"), so none is reported for them. UNCONFIRMED: what Google's about.get answers for a
        # service account today; a pre-2025 capture showed a 15 GiB limit with zero usage.
        about["storageQuota"] = storage_quota(call.state.drive, identity)
    return Reply(about)


ROUTES = [Route("drive", "GET", "/drive/v3/about", "drive.about.get", about_get)]
