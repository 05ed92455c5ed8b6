"""The Drive index's records (files, shared drives, permission grants) and their place in the folder tree."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.emulator.persistence import State

DOCUMENT_MIME = "application/vnd.google-apps.document"
FOLDER_MIME = "application/vnd.google-apps.folder"
SERVICE_ACCOUNT_SUFFIX = ".iam.gserviceaccount.com"

# Strongest first. owner (My Drive) and organizer (shared drive) are the top of their worlds.
ROLE_RANK = {"owner": 6, "organizer": 5, "fileOrganizer": 4, "writer": 3, "commenter": 2, "reader": 1}
PERMISSION_TYPES = ("user", "group", "domain", "anyone")


def now() -> str:
    """RFC 3339 with milliseconds and Z, the shape Drive returns."""
    moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def stronger(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if ROLE_RANK[a] >= ROLE_RANK[b] else b


def at_least(role: str | None, minimum: str) -> bool:
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def is_service_account(identity: str) -> bool:
    return identity.lower().endswith(SERVICE_ACCOUNT_SUFFIX)


def permission_id(kind: str, who: str | None, allow_file_discovery: bool = False) -> str:
    """Google's permission id names the grantee, not the grant (the same user has the same id on
    every file), which lets direct and inherited grants merge. Derived from the grantee here."""
    if kind == "anyone":
        return "anyone" if allow_file_discovery else "anyoneWithLink"
    digest = hashlib.sha256(f"{kind}:{(who or '').lower()}".encode()).hexdigest()
    return str(int(digest[:16], 16)).rjust(20, "0")[:20]


def grant(kind: str, role: str, *, email: str | None = None, domain: str | None = None,
          allow_file_discovery: bool | None = None) -> dict:
    """A permission record as kept in the index."""
    who = email if kind in ("user", "group") else domain
    record: dict = {"id": permission_id(kind, who, bool(allow_file_discovery)), "type": kind, "role": role}
    if kind in ("user", "group"):
        record["emailAddress"] = (email or "").lower()
    if kind == "domain":
        record["domain"] = (domain or "").lower()
    if kind in ("domain", "anyone"):
        record["allowFileDiscovery"] = bool(allow_file_discovery)
    return record


def grantee_matches(record: dict, identity: str) -> bool:
    """Whether a grant applies to the caller.

    Divergence: the emulator cannot expand Google Groups, so a group grant applies only to an
    identity equal to the group's address."""
    identity = identity.lower()
    kind = record["type"]
    if kind in ("user", "group"):
        return record.get("emailAddress") == identity
    if kind == "domain":
        return identity.rpartition("@")[2] == record.get("domain")
    return kind == "anyone"


def put_grant(grants: list[dict], new: dict) -> dict:
    """Add a grant, replacing the grantee's existing one (one grant per grantee per item)."""
    for index, existing in enumerate(grants):
        if existing["id"] == new["id"]:
            grants[index] = new
            return new
    grants.append(new)
    return new


# -- shared drives ------------------------------------------------------------------------------


def find_drive(index: dict, *, drive_id: str | None = None, name: str | None = None) -> dict | None:
    if drive_id is not None:
        return index["drives"].get(drive_id)
    for record in index["drives"].values():
        if record["name"] == name:
            return record
    return None


def new_drive(state: State, name: str, *, drive_id: str | None = None) -> dict:
    record = {
        "id": drive_id or state.ids.drive_id(),
        "name": name,
        "createdTime": now(),
        "sequence": state.next_sequence(),
        "permissions": [],
        "requestIds": [],
    }
    state.drive["drives"][record["id"]] = record
    return record


def grant_member(state: State, drive: dict, email: str, role: str) -> dict:
    if role not in ("organizer", "fileOrganizer", "writer", "commenter", "reader"):
        raise ValueError(f"not a shared drive role: {role}")
    return put_grant(drive["permissions"], grant("user", role, email=email))


# -- files ----------------------------------------------------------------------------------------


def new_file(state: State, *, file_id: str, name: str, mime_type: str, parent: str | None,
             drive_id: str | None) -> dict:
    stamp = now()
    record = {
        "id": file_id,
        "name": name,
        "mimeType": mime_type,
        "parents": [parent] if parent else [],
        "driveId": drive_id,
        "appProperties": {},
        "properties": {},
        "explicitlyTrashed": False,
        "createdTime": stamp,
        "modifiedTime": stamp,
        "version": 1,
        "sequence": state.next_sequence(),
        "permissions": [],
        "description": None,
        "starred": False,
    }
    state.drive["files"][file_id] = record
    return record


def touch(record: dict) -> None:
    """A change to a file: new modifiedTime, next version."""
    record["modifiedTime"] = now()
    record["version"] = int(record.get("version", 1)) + 1


def ancestors(index: dict, record: dict) -> list[dict]:
    """Folders above a file, nearest first (shared drive roots are not files and are not included)."""
    chain: list[dict] = []
    seen = {record["id"]}
    current = record
    while current.get("parents"):
        parent = index["files"].get(current["parents"][0])
        if parent is None or parent["id"] in seen:
            break
        chain.append(parent)
        seen.add(parent["id"])
        current = parent
    return chain


def descendants(index: dict, folder_id: str) -> list[dict]:
    """Every file below a folder (or below a shared drive's root)."""
    children: dict[str, list[dict]] = {}
    for record in index["files"].values():
        for parent in record.get("parents", []):
            children.setdefault(parent, []).append(record)
    found: list[dict] = []
    stack = [folder_id]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child["id"])
    return found


def is_trashed(index: dict, record: dict) -> bool:
    """Trashed explicitly, or implicitly because a folder above it is."""
    return record.get("explicitlyTrashed", False) or any(
        folder.get("explicitlyTrashed", False) for folder in ancestors(index, record)
    )


def web_view_link(record: dict) -> str:
    kinds = {
        DOCUMENT_MIME: "https://docs.google.com/document/d/{}/edit?usp=drivesdk",
        "application/vnd.google-apps.spreadsheet": "https://docs.google.com/spreadsheets/d/{}/edit?usp=drivesdk",
        FOLDER_MIME: "https://drive.google.com/drive/folders/{}",
    }
    return kinds.get(record["mimeType"], "https://drive.google.com/file/d/{}/view?usp=drivesdk").format(record["id"])
