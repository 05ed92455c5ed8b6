"""Who may do what to a Drive item: roles from grants, folders and shared-drive membership, and Permission resources."""

from __future__ import annotations

from service.emulator.drive import errors
from service.emulator.drive import index as dx


def role_on_drive(drive: dict, identity: str) -> str | None:
    role = None
    for record in drive.get("permissions", []):
        if dx.grantee_matches(record, identity):
            role = dx.stronger(role, record["role"])
    return role


def role_on_file(index: dict, record: dict, identity: str) -> str | None:
    """The caller's strongest role: grants on the file and on folders above it (sharing a folder shares
    its contents), plus membership of the file's shared drive. None means it cannot see the file."""
    role = None
    for item in [record, *dx.ancestors(index, record)]:
        for permission in item.get("permissions", []):
            if dx.grantee_matches(permission, identity):
                role = dx.stronger(role, permission["role"])
    drive_id = record.get("driveId")
    if drive_id and drive_id in index["drives"]:
        role = dx.stronger(role, role_on_drive(index["drives"][drive_id], identity))
    return role


def in_user_corpus(index: dict, record: dict, identity: str) -> bool:
    """corpora=user holds what is the caller's or was shared with the caller (user/group grants, drive
    membership); items visible only through a domain or anyone grant are not listed there."""
    for item in [record, *dx.ancestors(index, record)]:
        for permission in item.get("permissions", []):
            if permission["type"] in ("user", "group") and dx.grantee_matches(permission, identity):
                return True
    drive_id = record.get("driveId")
    if drive_id and drive_id in index["drives"]:
        return role_on_drive(index["drives"][drive_id], identity) is not None
    return False


def require(role: str | None, minimum: str) -> None:
    if not dx.at_least(role, minimum):
        raise errors.insufficient()


def owner_email(record: dict) -> str | None:
    for permission in record.get("permissions", []):
        if permission["role"] == "owner":
            return permission.get("emailAddress")
    return None


def permission_resource(record: dict, details: list[dict] | None = None) -> dict:
    resource = {"kind": "drive#permission", **{k: v for k, v in record.items() if v is not None}}
    if record["type"] in ("user", "group"):
        # Divergence: no directory to look names up in; the display name is the address's local part.
        resource["displayName"] = record["emailAddress"].partition("@")[0]
        resource["deleted"] = False
    if record["type"] == "domain":
        resource["displayName"] = record["domain"]
    if details is not None:
        resource["permissionDetails"] = details
    return resource


def effective_permissions(index: dict, record: dict) -> list[dict]:
    """permissions.list for a file: one Permission per grantee, with the strongest role.

    In a shared drive each carries `permissionDetails` saying where each grant comes from
    (`inherited: true` for drive membership and grants on folders above). In My Drive, grants on
    folders above are merged in and no details are given (Drive documents `inheritedFrom` as a
    shared-drive-only field)."""
    in_drive = bool(record.get("driveId"))
    merged: dict[str, dict] = {}
    details: dict[str, list[dict]] = {}

    def add(grant: dict, permission_type: str, inherited_from: str | None) -> None:
        pid = grant["id"]
        if pid not in merged or dx.ROLE_RANK[grant["role"]] > dx.ROLE_RANK[merged[pid]["role"]]:
            merged[pid] = dict(grant)
        detail = {"permissionType": permission_type, "role": grant["role"], "inherited": inherited_from is not None}
        if inherited_from is not None:
            detail["inheritedFrom"] = inherited_from
        details.setdefault(pid, []).append(detail)

    for grant in record.get("permissions", []):
        add(grant, "file", None)
    for folder in dx.ancestors(index, record):
        for grant in folder.get("permissions", []):
            add(grant, "file", folder["id"])
    if in_drive and record["driveId"] in index["drives"]:
        for grant in index["drives"][record["driveId"]].get("permissions", []):
            add(grant, "member", record["driveId"])
    return [permission_resource(merged[pid], details[pid] if in_drive else None) for pid in merged]


def drive_member_permissions(drive: dict) -> list[dict]:
    """permissions.list with a shared drive's id: its members."""
    return [
        permission_resource(grant, [{"permissionType": "member", "role": grant["role"], "inherited": False}])
        for grant in drive.get("permissions", [])
    ]


def capabilities(role: str | None, in_drive: bool, is_folder: bool) -> dict:
    """The subset of File.capabilities the emulator can answer from roles."""
    editor = dx.at_least(role, "writer")
    manager = dx.at_least(role, "fileOrganizer") if in_drive else role == "owner"
    return {
        "canEdit": editor,
        "canComment": dx.at_least(role, "commenter"),
        "canRename": editor,
        "canShare": editor,
        "canReadRevisions": editor,
        "canCopy": not is_folder and role is not None,
        "canAddChildren": is_folder and editor,
        "canListChildren": is_folder and role is not None,
        "canTrash": manager,
        "canDelete": manager,
        "canMoveItemWithinDrive": manager if in_drive else editor,
    }
