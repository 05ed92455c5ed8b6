"""Drive v3 drives.* (create, get, list): shared drives and who may see them."""

from __future__ import annotations

from service.emulator.call import Call, Reply, Route, invalid_value
from service.emulator.drive import index as dx
from service.emulator.drive import sharing
from service.emulator.drive.errors import drive_not_found
from service.emulator.errors import ApiError, unmodelled

DRIVE_DEFAULT = "kind,id,name"
LIST_DEFAULT = f"kind,nextPageToken,drives({DRIVE_DEFAULT})"


def drive_resource(record: dict, identity: str) -> dict:
    role = sharing.role_on_drive(record, identity)
    organizer = role == "organizer"
    return {
        "kind": "drive#drive",
        "id": record["id"],
        "name": record["name"],
        "createdTime": record["createdTime"],
        "hidden": False,
        "capabilities": {
            "canAddChildren": dx.at_least(role, "writer"),
            "canManageMembers": organizer,
            "canRename": organizer,
            "canDeleteDrive": organizer,
            "canEdit": dx.at_least(role, "writer"),
            "canShare": dx.at_least(role, "writer"),
            "canListChildren": role is not None,
        },
        # Drive's defaults for a new shared drive.
        "restrictions": {"adminManagedRestrictions": False, "copyRequiresWriterPermission": False,
                         "domainUsersOnly": False, "driveMembersOnly": False,
                         "sharingFoldersRequiresOrganizerPermission": False},
    }


def drives_create(call: Call) -> Reply:
    request_id = call.text("requestId")
    if not request_id:
        raise ApiError(400, "Required parameter: requestId", reason="required")
    body = call.require_body()
    for key in body:
        if key not in ("name", "kind"):
            raise unmodelled(f"the Drive field `{key}` in drives.create")
    index = call.state.drive
    marker = f"{call.identity.lower()} {request_id}"
    for record in index["drives"].values():
        if marker in record.get("requestIds", []):
            # DRIVE-DD: "If the shared drive already exists a 409 error will be returned."
            raise ApiError(409, "A shared drive with this request ID already exists.", reason="duplicate")
    if not body.get("name"):
        raise ApiError(400, "Required: name", reason="required")  # UNCONFIRMED wording
    record = dx.new_drive(call.state, body["name"])
    record["requestIds"].append(marker)
    dx.grant_member(call.state, record, call.identity, "organizer")
    return Reply(drive_resource(record, call.identity), default_fields=DRIVE_DEFAULT)


def visible_drive(call: Call, drive_id: str) -> dict:
    record = call.state.drive["drives"].get(drive_id)
    if record is None or sharing.role_on_drive(record, call.identity) is None:
        raise drive_not_found(drive_id)
    return record


def drives_get(call: Call) -> Reply:
    record = visible_drive(call, call.path["driveId"])
    return Reply(drive_resource(record, call.identity), default_fields=DRIVE_DEFAULT)


def drives_list(call: Call) -> Reply:
    if call.text("q"):
        raise unmodelled("drives.list with q")
    index = call.state.drive
    mine = sorted(
        (d for d in index["drives"].values() if sharing.role_on_drive(d, call.identity) is not None),
        key=lambda d: d["sequence"],
    )
    page_size = call.integer("pageSize", minimum=1, maximum=100) or 10
    offset = 0
    if call.text("pageToken"):
        try:
            offset = int(call.text("pageToken") or "")
        except ValueError:
            raise invalid_value("pageToken") from None
    body: dict = {"kind": "drive#driveList",
                  "drives": [drive_resource(d, call.identity) for d in mine[offset:offset + page_size]]}
    if offset + page_size < len(mine):
        body["nextPageToken"] = str(offset + page_size)
    return Reply(body, default_fields=LIST_DEFAULT)


_ADMIN = frozenset({"useDomainAdminAccess"})

ROUTES = [
    Route("drive", "POST", "/drive/v3/drives", "drive.drives.create", drives_create, params=frozenset({"requestId"})),
    Route("drive", "GET", "/drive/v3/drives/<fid:driveId>", "drive.drives.get", drives_get, unmodelled=_ADMIN),
    Route("drive", "GET", "/drive/v3/drives", "drive.drives.list", drives_list,
          params=frozenset({"pageSize", "pageToken", "q"}), unmodelled=_ADMIN),
]
