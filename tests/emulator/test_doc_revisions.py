"""Revision ids per caller (edit access only, not shareable across users) and suggestionsViewMode by access."""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError


def _shared_doc(drive: Any, shared_drive: str, kit: Any, **grants: str) -> str:
    doc = kit.new_doc(drive, shared_drive)["id"]
    for email, role in grants.items():
        drive.permissions().create(fileId=doc, supportsAllDrives=True,
                                   body={"type": "user", "role": role, "emailAddress": email}).execute()
    return doc


def test_readers_and_commenters_get_no_revision_id(emu_app: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    doc = _shared_doc(drive, shared_drive, kit, **{kit.REPORT: "reader", kit.MANAGER: "commenter"})
    reader = kit.docs_for(emu_app, kit.REPORT).documents().get(documentId=doc).execute()
    assert "revisionId" not in reader and reader["suggestionsViewMode"] == "PREVIEW_WITHOUT_SUGGESTIONS"
    commenter = kit.docs_for(emu_app, kit.MANAGER).documents().get(documentId=doc).execute()
    assert "revisionId" not in commenter and commenter["suggestionsViewMode"] == "SUGGESTIONS_INLINE"
    editor = kit.docs_for(emu_app).documents().get(documentId=doc).execute()
    assert editor["revisionId"] and editor["suggestionsViewMode"] == "SUGGESTIONS_INLINE"


def test_a_reader_may_not_ask_for_suggestions_inline(emu_app: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    doc = _shared_doc(drive, shared_drive, kit, **{kit.REPORT: "reader"})
    with pytest.raises(HttpError) as caught:
        kit.docs_for(emu_app, kit.REPORT).documents().get(documentId=doc, suggestionsViewMode="SUGGESTIONS_INLINE").execute()
    assert caught.value.status_code == 403


def test_revision_ids_cannot_be_shared_across_users(emu_app: Any, drive: Any, shared_drive: str, kit: Any) -> None:
    doc = _shared_doc(drive, shared_drive, kit, **{kit.MANAGER: "writer"})
    robot, person = kit.docs_for(emu_app).documents(), kit.docs_for(emu_app, kit.MANAGER).documents()
    mine = robot.get(documentId=doc, fields="revisionId").execute()["revisionId"]
    theirs = person.get(documentId=doc, fields="revisionId").execute()["revisionId"]
    assert mine != theirs
    insert = [{"insertText": {"location": {"index": 1}, "text": "x"}}]
    with pytest.raises(HttpError) as caught:
        person.batchUpdate(documentId=doc, body={"requests": insert, "writeControl": {"requiredRevisionId": mine}}).execute()
    assert caught.value.status_code == 400
    assert json.loads(caught.value.content)["error"]["message"] == (
        f"The required revision ID '{mine}' does not match the latest revision.")
    # Each caller's own id works, and the batch answers the caller's next id.
    reply = person.batchUpdate(documentId=doc, body={"requests": insert,
                                                     "writeControl": {"requiredRevisionId": theirs}}).execute()
    after = person.get(documentId=doc, fields="revisionId").execute()["revisionId"]
    assert reply["writeControl"]["requiredRevisionId"] == after != theirs
    # An edit by one user makes the other's id stale.
    with pytest.raises(HttpError):
        robot.batchUpdate(documentId=doc, body={"requests": insert, "writeControl": {"requiredRevisionId": mine}}).execute()


def test_documents_create_answers_the_creators_revision(emu_app: Any, kit: Any) -> None:
    docs = kit.docs_for(emu_app, kit.MANAGER).documents()
    created = docs.create(body={"title": "t"}).execute()
    assert created["revisionId"] == docs.get(documentId=created["documentId"]).execute()["revisionId"]
