"""Drive v3 files.copy: a new file from an existing one, its metadata patched by the body, its content copied."""

from __future__ import annotations

from service.emulator.call import Call, Reply, Route
from service.emulator.drive import index as dx
from service.emulator.drive import properties
from service.emulator.drive.files import (
    COMMON_PARAMS,
    FILE_DEFAULT,
    WRITABLE,
    add_file,
    check_body_fields,
    file_resource,
    requested_parent,
    resolve_parent,
    visible_file,
)
from service.emulator.errors import ApiError, unmodelled

_CONTENT_FIELDS = ("size", "md5Checksum", "sha1Checksum", "sha256Checksum")


def _inherited_parent(call: Call, source: dict) -> tuple[str | None, str | None]:
    """Where a copy goes without `parents`. DRIVE-DD File.parents: "If not specified as part of a copy
    request, the file inherits any discoverable parent of the source file."

    Choice: the source's parent is "discoverable" when the caller may add files there (writer on the
    folder, or on the shared drive); otherwise the copy goes to the caller's My Drive root, where a
    service account then meets the storage-quota refusal.
    """
    for parent_id in source.get("parents", []):
        try:
            return resolve_parent(call, parent_id)
        except ApiError:
            continue
    return None, None


def files_copy(call: Call) -> Reply:
    body = call.require_body()
    check_body_fields(body, WRITABLE | {"parents", "id"})
    source, _ = visible_file(call, call.path["fileId"])  # any access may copy (copyRequiresWriterPermission is false)
    if source["mimeType"] == dx.FOLDER_MIME:
        # Drive does not copy folders. Reason as in Google's error list; the message is UNCONFIRMED.
        raise ApiError(403, "This file cannot be copied by the user.", reason="cannotCopyFile")
    if body.get("mimeType") not in (None, source["mimeType"]):
        raise unmodelled("converting a file to another mimeType on files.copy")
    parent, drive_id = requested_parent(call, body) or _inherited_parent(call, source)
    # Patch semantics on the copy: the source's metadata, then what the body sets (null clears a property).
    custom = properties.merged(source, body)
    description = body["description"] if "description" in body else source.get("description")
    # Drive names an unnamed copy "Copy of <name>" (its server-side default, as clients report it).
    name = body.get("name") or f"Copy of {source['name']}"
    record = add_file(call, body, parent=parent, drive_id=drive_id, name=name, mime_type=source["mimeType"],
                      custom=custom, description=description)
    record.update({key: source[key] for key in _CONTENT_FIELDS if source.get(key) is not None})
    # Sharing is not copied: the copy has its owner (or its shared drive) and inherited access only.
    call.state.copy_content(source["id"], record["id"], name)
    return Reply(file_resource(call.state.drive, record, call.identity), default_fields=FILE_DEFAULT)


ROUTES = [
    Route("drive", "POST", "/drive/v3/files/<fid:fileId>/copy", "drive.files.copy", files_copy,
          params=COMMON_PARAMS | {"ignoreDefaultVisibility", "keepRevisionForever"},
          unmodelled=frozenset({"ocrLanguage", "enforceSingleParent", "copyComments"})),
]
