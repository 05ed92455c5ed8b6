"""Test hooks: load a captured `documents.get` body into a document, read a document back whole (tabs form)."""

from __future__ import annotations

from typing import Any

from service.emulator.call import Call, Reply, Route
from service.emulator.drive import index as dx
from service.emulator.errors import ApiError
from service.emulator.persistence import State, Store

from .document import Document
from .loader import tabs_from

_UNTITLED = "Untitled document"


def load_into(state: State, document_id: str, body: Any, identity: str, *, drive_id: str | None = None) -> Document:
    """Replace document `document_id`'s content (tabs, segments, lists, named ranges, dropdown
    definitions, styles) with a documents.get body, tabs or legacy form; a new revision.

    The body is validated whole before anything changes (InvalidDocument, a 400). A document
    that does not exist yet is created as a Drive file named from the body's `title` (else
    "Untitled document"), in shared drive `drive_id`, else in the store's first shared drive,
    else in `identity`'s My Drive (choice). An existing document keeps its Drive file and its
    title: the body's title is ignored then (choice: the Drive name stays the one truth).
    """
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid document: expected an object.")
    tabs_from(body)  # validate before touching anything
    title = body.get("title") if isinstance(body.get("title"), str) and body.get("title") else _UNTITLED
    record = state.drive["files"].get(document_id)
    if record is not None and record["mimeType"] != dx.DOCUMENT_MIME:
        raise ApiError(400, f"File {document_id} is not a Google Doc.")
    if record is None:
        drive = dx.find_drive(state.drive, drive_id=drive_id) if drive_id else min(
            state.drive["drives"].values(), key=lambda d: d.get("sequence", 0), default=None)
        if drive_id and drive is None:
            raise ApiError(404, f"Shared drive not found: {drive_id}")
        record = dx.new_file(state, file_id=document_id, name=title, mime_type=dx.DOCUMENT_MIME,
                             parent=drive["id"] if drive else None, drive_id=drive["id"] if drive else None)
        if drive is None:
            record["permissions"].append(dx.grant("user", "owner", email=identity))
        document = Document.create(document_id, title, state.ids)
    else:
        found = state.document(document_id)
        assert isinstance(found, Document)
        document = found
        dx.touch(record)
    document.replace_content(body, state.ids)
    state.put_document(document)
    return document


def load_document(store: Store, document_id: str, body: dict[str, Any], *, identity: str,
                  drive_id: str | None = None) -> None:
    """In-process form of `PUT /_emulator/documents/<id>`, for tests."""
    with store.transaction() as state:
        load_into(state, document_id, body, identity, drive_id=drive_id)


def dump_document(store: Store, document_id: str) -> dict[str, Any]:
    """In-process form of `GET /_emulator/documents/<id>`: the whole document, tabs form."""
    with store.transaction() as state:
        document = state.document(document_id)
        if not isinstance(document, Document):
            raise ApiError(404, "Requested entity was not found.")
        return document.to_resource(include_tabs_content=True)


def _put(call: Call) -> Reply:
    document = load_into(call.state, call.path["documentId"], call.body, call.identity, drive_id=call.text("driveId"))
    return Reply(document.to_resource(include_tabs_content=True))


def _get(call: Call) -> Reply:
    document = call.state.document(call.path["documentId"])
    if not isinstance(document, Document):
        raise ApiError(404, "Requested entity was not found.")
    return Reply(document.to_resource(include_tabs_content=True))


# Not Google's API: the emulator's own test surface, outside fault injection and schema checks.
ROUTES = [
    Route("emulator", "PUT", "/_emulator/documents/<fid:documentId>", "emulator.documents.put", _put,
          params=frozenset({"driveId"})),
    Route("emulator", "GET", "/_emulator/documents/<fid:documentId>", "emulator.documents.get", _get),
]
