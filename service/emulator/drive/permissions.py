"""Drive v3 permissions.* (create, list, get, update, delete) on files and on shared drives."""

from __future__ import annotations

from service.emulator.call import Call, Reply, Route
from service.emulator.drive import errors, sharing
from service.emulator.drive import index as dx
from service.emulator.drive.errors import bad_sharing_request as _bad_request
from service.emulator.drive.files import supports_all_drives, visible_file
from service.emulator.errors import ApiError, unmodelled

# UNCONFIRMED (google-apis.md §13): Drive's default Permission fields; callers should pass `fields`.
PERMISSION_DEFAULT = "kind,id,type,role"
LIST_DEFAULT = f"kind,nextPageToken,permissions({PERMISSION_DEFAULT})"


class _Target:
    """The item a permissions call is about: a file (record) or a shared drive (drive)."""

    def __init__(self, call: Call) -> None:
        file_id = call.path["fileId"]
        index = call.state.drive
        self.drive: dict | None = index["drives"].get(file_id)
        self.record: dict | None = None
        if self.drive is not None:
            # A shared drive's id stands for the drive itself; it is a shared-drive item like any other.
            if not supports_all_drives(call) or sharing.role_on_drive(self.drive, call.identity) is None:
                raise errors.not_found(file_id)
            self.role = sharing.role_on_drive(self.drive, call.identity)
            self.grants = self.drive["permissions"]
        else:
            self.record, self.role = visible_file(call, file_id)
            self.grants = self.record["permissions"]

    @property
    def in_drive(self) -> bool:
        return self.drive is not None or bool(self.record and self.record.get("driveId"))

    def listing(self, index: dict) -> list[dict]:
        if self.drive is not None:
            return sharing.drive_member_permissions(self.drive)
        assert self.record is not None
        return sharing.effective_permissions(index, self.record)

    def require_manager(self) -> None:
        """Who may change sharing: organizers of a drive; writers of a file (writersCanShare is true)."""
        sharing.require(self.role, "organizer" if self.drive is not None else "writer")


def _check_role(role: object) -> None:
    if role not in dx.ROLE_RANK:
        raise _bad_request("The permission role field is required and must be a valid role.")


def _check_role_fits(role: str, target: _Target) -> None:
    """Roles that exist only in shared drives (create and update alike)."""
    if role == "organizer" and target.drive is None:
        raise _bad_request("The organizer role is only valid on a shared drive.")
    if role == "fileOrganizer" and not target.in_drive:
        raise _bad_request("The fileOrganizer role is only valid in a shared drive.")


def _validated_grant(call: Call, target: _Target) -> dict:
    body = call.require_body()
    for key in body:
        if key not in ("type", "role", "emailAddress", "domain", "allowFileDiscovery", "kind"):
            raise unmodelled(f"the Permission field `{key}` in permissions.create")
    kind, role = body.get("type"), body.get("role")
    if kind not in dx.PERMISSION_TYPES:
        raise _bad_request("The permission type field is required and must be user, group, domain or anyone.")
    _check_role(role)
    if kind in ("user", "group") and not body.get("emailAddress"):
        raise _bad_request("The emailAddress field is required for user and group permissions.")
    if kind == "domain" and not body.get("domain"):
        raise _bad_request("The domain field is required for domain permissions.")
    if "allowFileDiscovery" in body and kind not in ("domain", "anyone"):
        raise _bad_request("allowFileDiscovery applies only to domain and anyone permissions.")
    _check_role_fits(role, target)
    if target.drive is not None and kind not in ("user", "group"):
        raise unmodelled("domain or anyone membership of a shared drive")
    return dx.grant(kind, role, email=body.get("emailAddress"), domain=body.get("domain"),
                    allow_file_discovery=body.get("allowFileDiscovery"))


def _check_notification(call: Call, kind: str, transfer: bool) -> None:
    """DRIVE-DD: sendNotificationEmail "defaults to true for users and groups, and is not allowed for
    other requests. It must not be disabled for ownership transfers." (The emulator sends no mail.)"""
    if not call.has("sendNotificationEmail"):
        if call.has("emailMessage") and kind not in ("user", "group"):
            raise _bad_request("emailMessage is only allowed when notifying users and groups.")
        return
    send = call.flag("sendNotificationEmail")
    if kind not in ("user", "group") and send:
        raise _bad_request("Notification emails can only be sent to users and groups.")
    if transfer and not send:
        raise ApiError(403, "sendNotificationEmail must not be disabled for ownership transfers.",
                       reason="forbidden")
    if not send and call.has("emailMessage"):
        raise _bad_request("emailMessage requires sendNotificationEmail to be true.")


def permissions_create(call: Call) -> Reply:
    target = _Target(call)
    new = _validated_grant(call, target)
    transfer = call.flag("transferOwnership")
    _check_notification(call, new["type"], transfer and new["role"] == "owner")
    target.require_manager()
    if new["role"] == "owner":
        if target.in_drive:
            raise ApiError(403, "Shared drive items cannot have an owner.", reason="teamDriveOwnershipNotAllowed")
        if not transfer:
            raise ApiError(403, "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
                           reason="forbidden")
        sharing.require(target.role, "owner")
        if new["type"] != "user":
            raise _bad_request("Ownership can only be transferred to a user.")
        for grant in target.grants:
            if grant["role"] == "owner":
                grant["role"] = "writer"  # "downgrade the current owner to a writer"
    created = dx.put_grant(target.grants, new)
    if target.record is not None:
        dx.touch(target.record)
    return Reply(sharing.permission_resource(created), default_fields=PERMISSION_DEFAULT)


def permissions_list(call: Call) -> Reply:
    target = _Target(call)
    if target.drive is None:
        # Readers may not list a file's permissions (Drive answers 403 insufficientFilePermissions).
        sharing.require(target.role, "writer")
    permissions = target.listing(call.state.drive)
    page_size = call.integer("pageSize", minimum=1, maximum=100)
    if page_size is None:
        # "at most 100 permissions will be returned for shared drives, and the entire list otherwise"
        page_size = 100 if target.in_drive else max(len(permissions), 1)
    offset = 0
    if call.text("pageToken"):
        if not (call.text("pageToken") or "").isdigit():
            raise ApiError(400, "Invalid Value", reason="invalid")
        offset = int(call.text("pageToken") or "0")
    body: dict = {"kind": "drive#permissionList", "permissions": permissions[offset:offset + page_size]}
    if offset + page_size < len(permissions):
        body["nextPageToken"] = str(offset + page_size)
    return Reply(body, default_fields=LIST_DEFAULT)


def _find(call: Call, target: _Target) -> dict:
    permission_id = call.path["permissionId"]
    for permission in target.listing(call.state.drive):
        if permission["id"] == permission_id:
            return permission
    raise ApiError(404, f"Permission not found: {permission_id}.", reason="notFound")


def permissions_get(call: Call) -> Reply:
    target = _Target(call)
    if target.drive is None:
        sharing.require(target.role, "writer")
    return Reply(_find(call, target), default_fields=PERMISSION_DEFAULT)


def _direct(call: Call, target: _Target) -> dict:
    found = _find(call, target)
    for grant in target.grants:
        if grant["id"] == found["id"]:
            return grant
    raise ApiError(403, "Inherited permissions cannot be changed on this item; change them where they are granted.",
                   reason="cannotModifyInheritedPermission")  # UNCONFIRMED wording


def permissions_update(call: Call) -> Reply:
    target = _Target(call)
    target.require_manager()
    grant = _direct(call, target)
    body = call.require_body()
    for key in body:
        if key not in ("role", "kind"):
            raise unmodelled(f"the Permission field `{key}` in permissions.update")
    role = body.get("role", grant["role"])
    _check_role(role)  # the same checks as permissions.create: a bad role is the caller's 400
    if role == "owner" or grant["role"] == "owner":
        raise unmodelled("ownership changes through permissions.update")
    _check_role_fits(role, target)
    grant["role"] = role
    if target.record is not None:
        dx.touch(target.record)
    return Reply(sharing.permission_resource(grant), default_fields=PERMISSION_DEFAULT)


def permissions_delete(call: Call) -> Reply:
    target = _Target(call)
    target.require_manager()
    grant = _direct(call, target)
    if grant["role"] == "owner":
        raise ApiError(403, "The owner of a file cannot be removed.", reason="cannotRemoveOwner")  # UNCONFIRMED
    target.grants.remove(grant)
    if target.record is not None:
        dx.touch(target.record)
    return Reply(None, status=204)


_COMMON = frozenset({"supportsAllDrives", "supportsTeamDrives"})
_UNMODELLED = frozenset({"useDomainAdminAccess", "enforceExpansiveAccess"})
_BASE = "/drive/v3/files/<fid:fileId>/permissions"

ROUTES = [
    Route("drive", "POST", _BASE, "drive.permissions.create", permissions_create,
          params=_COMMON | {"sendNotificationEmail", "emailMessage", "transferOwnership"},
          unmodelled=_UNMODELLED | {"moveToNewOwnersRoot", "enforceSingleParent"}),
    Route("drive", "GET", _BASE, "drive.permissions.list", permissions_list,
          params=_COMMON | {"pageSize", "pageToken"}, unmodelled=_UNMODELLED | {"includePermissionsForView"}),
    Route("drive", "GET", _BASE + "/<fid:permissionId>", "drive.permissions.get", permissions_get,
          params=_COMMON, unmodelled=_UNMODELLED),
    Route("drive", "PATCH", _BASE + "/<fid:permissionId>", "drive.permissions.update", permissions_update,
          params=_COMMON, unmodelled=_UNMODELLED | {"transferOwnership", "removeExpiration"}),
    Route("drive", "DELETE", _BASE + "/<fid:permissionId>", "drive.permissions.delete", permissions_delete,
          params=_COMMON, unmodelled=_UNMODELLED),
]
