"""Google's partial-response selector, alone and on real responses."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError

from service.emulator.errors import ApiError
from service.emulator.fields import apply_selection, parse_fields, select

RESOURCE = {
    "kind": "drive#fileList",
    "nextPageToken": "t",
    "files": [
        {"id": "a", "name": "🦄", "owners": [{"emailAddress": "x@e.com", "me": True}], "appProperties": {"k": "v"}},
        {"id": "b", "name": "b", "owners": []},
    ],
}


def test_nested_selection_applies_to_list_elements() -> None:
    assert select(RESOURCE, "files(id,owners(emailAddress))") == {
        "files": [{"id": "a", "owners": [{"emailAddress": "x@e.com"}]}, {"id": "b", "owners": []}]
    }


def test_slash_paths_and_repeats_merge() -> None:
    assert parse_fields("a/b/c,a/b(d),e") == {"a": {"b": {"c": None, "d": None}}, "e": None}
    assert select(RESOURCE, "files/id,files/name,kind") == {
        "kind": "drive#fileList", "files": [{"id": "a", "name": "🦄"}, {"id": "b", "name": "b"}]
    }


def test_star_and_unknown_names() -> None:
    assert select(RESOURCE, "*") == RESOURCE
    assert select(RESOURCE, "files(*)")["files"][0]["appProperties"] == {"k": "v"}
    assert select(RESOURCE, "nope,files(nope)") == {"files": [{}, {}]}


def test_whole_value_absorbs_narrower_selection() -> None:
    assert parse_fields("a(b),a") == {"a": None}


def test_default_mask_only_without_fields() -> None:
    assert select(RESOURCE, None, "kind") == {"kind": "drive#fileList"}
    assert select(RESOURCE, "nextPageToken", "kind") == {"nextPageToken": "t"}


@pytest.mark.parametrize("bad", ["a(b", "a)", "a,,b", "a(b))", "(a)", "a/", "a b"])
def test_malformed_selectors_are_400(bad: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_fields(bad)
    assert caught.value.code == 400


def test_scalars_ignore_sub_selection() -> None:
    assert apply_selection({"a": 1}, {"a": {"b": None}}) == {"a": 1}


def test_partial_responses_through_the_client(drive: Any, docs_api: Any, shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive, docket_kind="one_on_one")
    got = drive.files().get(fileId=doc["id"], supportsAllDrives=True, fields="id,appProperties").execute()
    assert got == {"id": doc["id"], "appProperties": {"docket_kind": "one_on_one"}}
    default = drive.files().get(fileId=doc["id"], supportsAllDrives=True).execute()
    assert set(default) == {"kind", "id", "name", "mimeType", "driveId", "teamDriveId"}
    listed = drive.files().list(corpora="allDrives", supportsAllDrives=True, includeItemsFromAllDrives=True,
                                fields="files(name)").execute()
    assert listed == {"files": [{"name": "1:1 María / Sam 🦄"}]}  # no nextPageToken unless asked for
    document = docs_api.documents().get(documentId=doc["id"], fields="title,body(content(endIndex))").execute()
    assert document == {"title": "1:1 María / Sam 🦄", "body": {"content": [{"endIndex": 1}, {"endIndex": 2}]}}


def test_bad_selector_over_http_is_400_and_changes_nothing(drive: Any, shared_drive: str) -> None:
    with pytest.raises(HttpError) as caught:
        drive.files().create(body={"name": "x", "parents": [shared_drive]}, supportsAllDrives=True,
                             fields="id(").execute()
    assert caught.value.status_code == 400
    assert drive.files().list(corpora="allDrives", supportsAllDrives=True,
                              includeItemsFromAllDrives=True).execute()["files"] == []
