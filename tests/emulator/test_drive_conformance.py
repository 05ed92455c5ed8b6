"""Drive's documented rules on request bodies: appProperties limits, and no field the v3 schema lacks.

Every refusal is checked against the emulator's whole state before and after.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

ALL = {"supportsAllDrives": True}


def _error(request: Any) -> HttpError:
    with pytest.raises(HttpError) as caught:
        request.execute()
    return caught.value


def _refused(kit: Any, store: Any, request: Any) -> dict:
    """Execute a request that must fail; return its error envelope, having checked nothing changed."""
    before = kit.snapshot(store)
    error = _error(request)
    assert kit.snapshot(store) == before
    body = json.loads(error.content)["error"]
    assert body["code"] == error.status_code
    return body


def _assert_too_long(kit: Any, body: dict) -> None:
    capture = kit.capture("drive/property_too_long.json")  # RichardX366/Obsidian-Google-Drive issue #34
    assert body["code"] == capture["status"]
    assert body["message"] == capture["error"]["message"]
    assert body["errors"][0]["reason"] == capture["error"]["errors"][0]["reason"]


# 124 bytes in UTF-8, key and value together: "ü" takes two bytes, "🦄" four.
AT_LIMIT = {"k" * 20: "ü" * 52, "docket_manager": "🦄" * 27 + "x" * 2}
OVER_LIMIT = [{"k" * 20: "ü" * 52 + "x"}, {"docket_manager": "🦄" * 28}, {"x" * 125: ""}]


def test_a_property_of_124_bytes_is_kept(drive: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive, **AT_LIMIT)
    assert doc["appProperties"] == AT_LIMIT
    public = drive.files().update(fileId=doc["id"], body={"properties": AT_LIMIT}, fields="properties", **ALL).execute()
    assert public["properties"] == AT_LIMIT


@pytest.mark.parametrize("kind", ["appProperties", "properties"])
@pytest.mark.parametrize("too_long", OVER_LIMIT)
def test_a_property_over_124_bytes_is_refused_on_create_and_update(
        drive: Any, shared_drive: str, emu_store: Any, kit: Any, kind: str, too_long: dict) -> None:
    body = {"name": "1:1", "mimeType": kit.DOC_MIME, "parents": [shared_drive], kind: too_long}
    _assert_too_long(kit, _refused(kit, emu_store, drive.files().create(body=body, **ALL)))
    doc = kit.new_doc(drive, shared_drive)
    _assert_too_long(kit, _refused(kit, emu_store, drive.files().update(fileId=doc["id"], body={kind: too_long}, **ALL)))


def test_at_most_30_app_properties_and_30_properties(drive: Any, shared_drive: str, emu_store: Any, kit: Any) -> None:
    thirty = {f"key{n:02d}": "v" for n in range(30)}
    doc = kit.new_doc(drive, shared_drive, **thirty)
    for kind in ("appProperties", "properties"):
        if kind == "properties":
            drive.files().update(fileId=doc["id"], body={"properties": thirty}, **ALL).execute()
        body = _refused(kit, emu_store, drive.files().update(fileId=doc["id"], body={kind: {"one-more": "v"}}, **ALL))
        assert (body["code"], body["errors"][0]["reason"]) == (403, "propertyCountLimitExceeded")
        # Patch semantics: clearing one and adding one in the same request stays at 30.
        swapped = drive.files().update(fileId=doc["id"], body={kind: {"key00": None, "one-more": "v"}},
                                       fields=kind, **ALL).execute()[kind]
        assert len(swapped) == 30 and "one-more" in swapped and "key00" not in swapped
    body = {"name": "x", "parents": [shared_drive], "appProperties": {f"k{n}": "v" for n in range(31)}}
    assert _refused(kit, emu_store, drive.files().create(body=body, **ALL))["errors"][0]["reason"] == \
        "propertyCountLimitExceeded"


def _assert_unknown_name(kit: Any, body: dict, name: str) -> None:
    """Drive's JSON front end, in the shape captured from files.copy (googleapis/google-api-php-client #2401)."""
    capture = kit.capture("drive/copy_body_invalid_value.json")["error"]
    message = f"Invalid JSON payload received. Unknown name \"{name}\" at 'payload': Cannot find field."
    assert body == {
        "code": 400, "status": capture["status"], "message": message,
        "errors": [{"message": message, "reason": capture["errors"][0]["reason"]}],
        "details": [{"@type": capture["details"][0]["@type"],
                     "fieldViolations": [{"field": "payload", "description": message}]}],
    }


def test_a_v2_title_on_a_v3_file_is_refused(drive: Any, shared_drive: str, emu_store: Any, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    requests = [
        drive.files().create(body={"title": "1:1 María / Sam", "parents": [shared_drive]}, **ALL),
        drive.files().update(fileId=doc["id"], body={"title": "renamed"}, **ALL),
        drive.files().copy(fileId=doc["id"], body={"title": "copy"}, **ALL),
    ]
    for request in requests:
        _assert_unknown_name(kit, _refused(kit, emu_store, request), "title")


def test_unknown_names_are_refused_in_every_drive_body(drive: Any, shared_drive: str, emu_store: Any, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    grant = {"type": "user", "role": "reader", "emailAddress": kit.REPORT, "value": kit.REPORT}  # v2's `value`
    _assert_unknown_name(kit, _refused(kit, emu_store, drive.permissions().create(fileId=doc["id"], body=grant, **ALL)),
                         "value")
    _assert_unknown_name(kit, _refused(kit, emu_store, drive.drives().create(requestId="r1", body={"name": "x", "nmae": "y"})),
                         "nmae")


def test_known_fields_keep_their_own_answers(drive: Any, shared_drive: str, emu_store: Any, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive)
    body = _refused(kit, emu_store, drive.files().update(fileId=doc["id"], body={"webViewLink": "x"}, **ALL))
    assert (body["code"], body["errors"][0]["reason"]) == (403, "fieldNotWritable")  # output only
    body = _refused(kit, emu_store, drive.files().update(fileId=doc["id"], body={"folderColorRgb": "#fff"}, **ALL))
    assert body["code"] == 501 and "folderColorRgb" in body["message"]  # writable, not modelled
    # Keys inside appProperties are data, not field names.
    assert drive.files().update(fileId=doc["id"], body={"appProperties": {"title": "ok"}}, fields="appProperties",
                                **ALL).execute() == {"appProperties": {"title": "ok"}}
