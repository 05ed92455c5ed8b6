"""Drive v3 files.list: corpora, shared-drive flags, the query, ordering and page tokens."""

from __future__ import annotations

import base64
import hashlib
import json

from service.emulator.call import Call, Reply, Route, invalid_value
from service.emulator.drive import index as dx
from service.emulator.drive import sharing
from service.emulator.drive.files import (
    COMMON_PARAMS,
    FILE_DEFAULT,
    file_resource,
    supports_all_drives,
)
from service.emulator.drive.query import Context, parse_query
from service.emulator.errors import ApiError, unmodelled

LIST_DEFAULT = f"kind,incompleteSearch,nextPageToken,files({FILE_DEFAULT})"


def _page_token(offset: int, fingerprint: str) -> str:
    raw = json.dumps({"o": offset, "f": fingerprint}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_page_token(token: str, fingerprint: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if data["f"] != fingerprint:
            raise ValueError
        return int(data["o"])
    except (ValueError, KeyError, TypeError):
        raise invalid_value("pageToken") from None


def _order_key(order_by: str | None):
    """A sort key for orderBy (name, createdTime, modifiedTime, folder, each optionally `desc`).

    Where Google gives no order, the emulator lists in creation order."""
    if not order_by:
        return [("sequence", False)]
    keys = []
    for part in order_by.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] != "desc"):
            raise invalid_value("orderBy")
        name = {"name": "name", "createdTime": "sequence", "modifiedTime": "modifiedTime", "folder": "folder"}.get(words[0])
        if name is None:
            raise unmodelled(f"orderBy={words[0]}")
        keys.append((name, len(words) == 2))
    return keys


def _sorted(records: list[dict], keys: list[tuple[str, bool]]) -> list[dict]:
    result = sorted(records, key=lambda r: r["sequence"])
    for name, descending in reversed(keys):
        if name == "folder":
            result.sort(key=lambda r: r["mimeType"] != dx.FOLDER_MIME, reverse=descending)
        else:
            result.sort(key=lambda r: r.get(name) or "" if name != "sequence" else r["sequence"], reverse=descending)
    return result


def files_list(call: Call) -> Reply:
    index = call.state.drive
    supports = supports_all_drives(call)
    include_drives = call.flag("includeItemsFromAllDrives", "includeTeamDriveItems")
    corpora = set((call.text("corpora") or call.text("corpus") or "user").split(","))
    drive_id = call.text("driveId") or call.text("teamDriveId")
    if not corpora <= {"user", "domain", "drive", "allDrives"}:
        raise invalid_value("corpora")
    if "domain" in corpora:
        raise unmodelled("files.list with corpora=domain")
    if (call.text("spaces") or "drive") != "drive":
        raise unmodelled(f"files.list with spaces={call.text('spaces')}")
    if (drive_id is not None) != ("drive" in corpora):
        raise ApiError(400, "The driveId parameter must be specified if and only if corpora is set to drive.",
                       reason="teamDriveIdRequiresTeamDriveCorpora")
    if (drive_id or corpora & {"drive", "allDrives"}) and not include_drives:
        raise ApiError(403, "The includeItemsFromAllDrives parameter must be set to true when driveId is "
                       "specified or corpora contains drive or allDrives.", reason="teamDriveIncludeItemsRequired")
    if include_drives and not supports:
        # UNCONFIRMED: Google's wording when shared-drive items are requested by an app not declaring support.
        raise ApiError(403, "The includeItemsFromAllDrives parameter can only be set when supportsAllDrives is true.",
                       reason="teamDriveIncludeItemsRequired")
    if drive_id is not None:
        drive = index["drives"].get(drive_id)
        if drive is None or sharing.role_on_drive(drive, call.identity) is None:
            raise ApiError(404, f"Shared drive not found: {drive_id}", reason="notFound")
    matches = parse_query(call.text("q") or "")
    context = Context(index, call.identity)
    keys = _order_key(call.text("orderBy"))
    candidates = []
    for record in index["files"].values():
        in_drive = record.get("driveId")
        if drive_id is not None and in_drive != drive_id:
            continue
        if in_drive and not include_drives:
            continue
        if "allDrives" in corpora or drive_id is not None:
            if sharing.role_on_file(index, record, call.identity) is None:
                continue
        elif not sharing.in_user_corpus(index, record, call.identity):
            continue
        if matches(record, context):
            candidates.append(record)
    candidates = _sorted(candidates, keys)
    # "If unspecified, at most 100 files will be returned for shared drives, and the entire list otherwise."
    page_size = call.integer("pageSize", minimum=1, maximum=1000)
    if page_size is None:
        page_size = 100 if include_drives else max(len(candidates), 1)
    fingerprint = hashlib.sha256(
        json.dumps([call.text(k) for k in ("q", "orderBy", "corpora", "driveId")] + [include_drives]).encode()
    ).hexdigest()[:16]
    offset = _read_page_token(call.text("pageToken"), fingerprint) if call.text("pageToken") else 0
    page = candidates[offset:offset + page_size]
    body: dict = {"kind": "drive#fileList", "incompleteSearch": False,
                  "files": [file_resource(index, r, call.identity) for r in page]}
    if offset + page_size < len(candidates):
        body["nextPageToken"] = _page_token(offset + page_size, fingerprint)
    return Reply(body, default_fields=LIST_DEFAULT)


ROUTES = [
    Route("drive", "GET", "/drive/v3/files", "drive.files.list", files_list,
          params=COMMON_PARAMS | {"corpora", "corpus", "driveId", "teamDriveId", "includeItemsFromAllDrives",
                            "includeTeamDriveItems", "orderBy", "pageSize", "pageToken", "q", "spaces"}),
]
