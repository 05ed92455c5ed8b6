"""Drive uploads on /upload/drive/v3/files: multipart (metadata + media) and simple media, through the real client."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from service.emulator.transport import EmulatorHttp

ALL = {"supportsAllDrives": True}
PERSON = "zoë.okafor@example.com"
# Bytes that are not UTF-8, line ends of both kinds and a line that looks like a MIME boundary.
CONTENT = bytes(range(256)) + "\r\n--==boundary==\nnotes 🦄\n".encode()
FIELDS = "id,name,mimeType,parents,driveId,size,quotaBytesUsed,md5Checksum,sha1Checksum,sha256Checksum,appProperties"


def _refused(kit: Any, store: Any, request: Any) -> dict:
    before = kit.snapshot(store)
    with pytest.raises(HttpError) as caught:
        request.execute()
    assert kit.snapshot(store) == before
    return json.loads(caught.value.content)["error"]


def _media(data: bytes = CONTENT, mimetype: str = "application/pdf") -> MediaInMemoryUpload:
    return MediaInMemoryUpload(data, mimetype=mimetype)


def test_multipart_upload_into_a_shared_drive(drive: Any, shared_drive: str, kit: Any) -> None:
    body = {"name": "handbook.pdf", "parents": [shared_drive], "appProperties": {"docket_kind": "attachment"}}
    made = drive.files().create(body=body, media_body=_media(), fields=FIELDS, **ALL).execute()
    assert made == {
        "id": made["id"], "name": "handbook.pdf", "mimeType": "application/pdf", "parents": [shared_drive],
        "driveId": shared_drive, "size": str(len(CONTENT)), "quotaBytesUsed": str(len(CONTENT)),
        "md5Checksum": hashlib.md5(CONTENT).hexdigest(), "sha1Checksum": hashlib.sha1(CONTENT).hexdigest(),
        "sha256Checksum": hashlib.sha256(CONTENT).hexdigest(), "appProperties": {"docket_kind": "attachment"},
    }
    assert drive.files().get(fileId=made["id"], fields=FIELDS, **ALL).execute() == made


def test_the_metadata_mime_type_wins_over_the_medias(drive: Any, shared_drive: str) -> None:
    body = {"name": "notes.txt", "parents": [shared_drive], "mimeType": "text/markdown"}
    made = drive.files().create(body=body, media_body=_media(b"# notes", "text/plain"), fields="mimeType", **ALL).execute()
    assert made == {"mimeType": "text/markdown"}


def test_a_person_uploads_content_alone_into_their_my_drive(emu_app: Any, kit: Any) -> None:
    person = kit.drive_for(emu_app, PERSON)
    made = person.files().create(media_body=_media(b"plain text \xf0\x9f\xa6\x84", "text/plain; charset=utf-8"),
                                 fields="name,mimeType,size,ownedByMe").execute()
    assert made == {"name": "Untitled", "mimeType": "text/plain", "size": "15", "ownedByMe": True}
    assert person.about().get(fields="storageQuota/usage").execute() == {"storageQuota": {"usage": "15"}}


def test_refusals_change_nothing(emu_app: Any, emu_store: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    # A service account has no storage of its own.
    body = _refused(kit, emu_store, drive.files().create(body={"name": "x.pdf"}, media_body=_media()))
    assert (body["code"], body["errors"][0]["reason"]) == (403, "storageQuotaExceeded")
    # The capture's own case: an upload whose appProperties entry is over 124 bytes.
    too_long = {"name": "x.pdf", "parents": [shared_drive], "appProperties": {"remotePath": "/vault/" + "ü" * 60}}
    body = _refused(kit, emu_store, drive.files().create(body=too_long, media_body=_media(), **ALL))
    assert body["message"] == kit.capture("drive/property_too_long.json")["error"]["message"]
    body = _refused(kit, emu_store, drive.files().create(body={"title": "x.pdf", "parents": [shared_drive]},
                                                          media_body=_media(), **ALL))
    assert body["code"] == 400 and 'Unknown name "title"' in body["message"]
    # Conversion into a Google Docs document is not modelled: 501 naming it.
    doc = {"name": "1:1 notes", "mimeType": kit.DOC_MIME, "parents": [shared_drive]}
    body = _refused(kit, emu_store, drive.files().create(body=doc, media_body=_media(b"# Week", "text/markdown"), **ALL))
    assert body["code"] == 501 and "importing uploaded text/markdown content into " + kit.DOC_MIME in body["message"]


def test_resumable_uploads_are_not_modelled(drive: Any, emu_store: Any, shared_drive: str, kit: Any) -> None:
    media = MediaInMemoryUpload(CONTENT, mimetype="application/pdf", resumable=True)
    body = _refused(kit, emu_store, drive.files().create(body={"name": "x", "parents": [shared_drive]},
                                                          media_body=media, **ALL))
    assert body["code"] == 501 and "resumable upload" in body["message"]


@pytest.mark.parametrize("query, content_type, payload", [
    ("", "text/plain", b"hello"),  # no uploadType on an upload URI
    ("&uploadType=chunked", "text/plain", b"hello"),
    ("&uploadType=multipart", "text/plain", b"hello"),  # not multipart/related
    ("&uploadType=multipart", 'multipart/related; boundary="b"', b"--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b--"),
    ("&uploadType=multipart", 'multipart/related; boundary="b"',
     b"--b\r\nContent-Type: text/plain\r\n\r\nnot json\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--"),
    ("&uploadType=multipart", 'multipart/related; boundary="b"',
     b"--b\r\nContent-Type: application/json\r\n\r\n{nope\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--"),
])
def test_malformed_upload_requests_are_400(emu_app: Any, emu_store: Any, shared_drive: str, kit: Any,
                                           query: str, content_type: str, payload: bytes) -> None:
    before = kit.snapshot(emu_store)
    response, content = EmulatorHttp(emu_app).request(
        f"https://www.googleapis.com/upload/drive/v3/files?supportsAllDrives=true{query}", "POST", body=payload,
        headers={"content-type": content_type})
    assert response.status == 400, content
    assert json.loads(content)["error"]["code"] == 400
    assert kit.snapshot(emu_store) == before


def test_a_hand_built_multipart_body_with_lf_line_ends(emu_app: Any, shared_drive: str) -> None:
    metadata = json.dumps({"name": "raw.txt", "parents": [shared_drive]}).encode()
    payload = (b"--xyz\nContent-Type: application/json; charset=UTF-8\n\n" + metadata +
               b"\n--xyz\nContent-Type: text/plain\n\nline one\nline two\n--xyz--\n")
    response, content = EmulatorHttp(emu_app).request(
        "https://www.googleapis.com/upload/drive/v3/files?supportsAllDrives=true&uploadType=multipart&fields=name,size",
        "POST", body=payload, headers={"content-type": "multipart/related; boundary=xyz"})
    assert response.status == 200, content
    assert json.loads(content) == {"name": "raw.txt", "size": str(len(b"line one\nline two"))}
