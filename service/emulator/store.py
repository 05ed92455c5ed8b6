"""The emulator's store: the generic persistence, composed with each API's own state (Drive's index, Docs documents).

This is the one module that knows every API's state. An API whose native files have content of
their own (a Docs document behind a Drive file) is added to `_CONTENT` below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.emulator.calendar import model as calendar_model
from service.emulator.docs.document import Document
from service.emulator.drive import index as drive_index
from service.emulator.ids import IdSource
from service.emulator.persistence import (
    DOCUMENTS_DIR,
    DRIVE_FILE,
    LOCK_FILE,
    Content,
    State,
    StoreDamaged,
    empty_index,
    write_atomically,
)
from service.emulator.persistence import Store as _Persistence
from service.emulator.sheets.spreadsheet import SPREADSHEET_MIME, STATE_FORMAT as SHEETS_FORMAT, Spreadsheet

__all__ = ["DOCUMENTS_DIR", "DRIVE_FILE", "LOCK_FILE", "State", "Store", "StoreDamaged", "empty_index", "write_atomically"]

# mimeType of a Drive file -> the class keeping its content (create(file_id, title, ids), from_state(dict)).
_CONTENT = {drive_index.DOCUMENT_MIME: Document, SPREADSHEET_MIME: Spreadsheet}


class Store(_Persistence):
    """All emulator state (see persistence.Store), with Docs documents as the content of Docs files."""

    def new_content(self, mime_type: str, file_id: str, title: str, ids: IdSource) -> Content | None:
        kind = _CONTENT.get(mime_type)
        return None if kind is None else kind.create(file_id, title, ids)

    def has_content(self, mime_type: str) -> bool:
        return mime_type in _CONTENT

    def decode_content(self, state: dict) -> Content:
        # A spreadsheet's state names its format; everything else is a Docs document.
        if state.get("format") == SHEETS_FORMAT:
            return Spreadsheet.from_state(state)
        return Document.from_state(state)

    def copy_content(self, source: Content, file_id: str, title: str, ids: IdSource) -> Content:
        """A Docs document copied whole under the copy's id and name, with a revision of its own.

        UNCONFIRMED: whether Google's copy keeps the ids inside the content (named ranges, lists,
        headings); the emulator keeps them, so a copy reads exactly as its source did.
        """
        state = {**source.to_state(), "documentId": file_id, "title": title, "revisionId": ids.revision_id()}
        return Document.from_state(state)

    # -- seeding helpers (Docket's embedded default and tests) -------------------------------------

    def seed_shared_drive(
        self, name: str, members: Mapping[str, str], *, drive_id: str | None = None
    ) -> str:
        """Ensure a shared drive named `name` (or with `drive_id`) whose members include `members`
        ({email: role}); idempotent, so it can run at every start. Returns the drive id."""
        with self.transaction() as state:
            record = drive_index.find_drive(state.drive, drive_id=drive_id, name=name)
            if record is None:
                record = drive_index.new_drive(state, name, drive_id=drive_id)
            for email, role in members.items():
                drive_index.grant_member(state, record, email, role)
            return record["id"]

    def add_drive_member(self, drive_id: str, email: str, role: str = "organizer") -> None:
        """Give `email` the `role` on shared drive `drive_id` (KeyError if there is no such drive)."""
        with self.transaction() as state:
            record = state.drive["drives"][drive_id]
            drive_index.grant_member(state, record, email, role)

    # -- Calendar and Sheets seeding (the embedded default's demo data, tests) ---------------------

    def seed_calendar(self, calendar_id: str, *, summary: str, time_zone: str, owner: str | None,
                      acl: Sequence[Mapping[str, Any]] = (), events: Sequence[Mapping[str, Any]] = (),
                      replace: bool = False) -> None:
        """Ensure a calendar (a user's primary: its id and `owner` are the user's email) and put `events`
        into it, replacing events of the same id (`replace`: and dropping all others); idempotent. ACL
        rules: `{"scope": {"type": "user" | "domain" | "group" | "default", "value": ...}, "role":
        "reader" | "writer" | "owner"}`."""
        with self.transaction() as state:
            record = calendar_model.new_calendar(calendar_id, summary=summary, time_zone=time_zone, owner=owner,
                                                 acl=[dict(rule) for rule in acl])
            kept = calendar_model.put_calendar(state, record)
            if replace:
                kept["events"] = {}
            for event in events:
                calendar_model.put_event(state, calendar_id, dict(event))

    def seed_spreadsheet(self, title: str, sheets: Mapping[str, Sequence[Sequence[Any]]], *, owner: str,
                         readers: Sequence[str] = (), file_id: str | None = None) -> str:
        """Ensure a spreadsheet owned by `owner` (in their My Drive), shared with `readers`, whose sheets
        hold exactly `sheets` ({title: rows from A1}); the first sheet listed comes first. Returns its id."""
        with self.transaction() as state:
            file_id = file_id or state.ids.file_id()
            index = state.drive
            record = index["files"].get(file_id)
            if record is None:
                record = drive_index.new_file(state, file_id=file_id, name=title, mime_type=SPREADSHEET_MIME,
                                              parent=None, drive_id=None)
                record["permissions"].append(drive_index.grant("user", "owner", email=owner))
            elif record["mimeType"] != SPREADSHEET_MIME:
                raise ValueError(f"{file_id} is not a spreadsheet")
            for reader in readers:
                drive_index.put_grant(record["permissions"], drive_index.grant("user", "reader", email=reader))
            content = state.document(file_id)
            spreadsheet = content if isinstance(content, Spreadsheet) else Spreadsheet(file_id, title, [])
            before = spreadsheet.to_state() if content is not None else None
            names = list(sheets)
            for name in names:
                spreadsheet.replace_sheet(name, [list(row) for row in sheets[name]])
            spreadsheet.sheets.sort(key=lambda s: names.index(s.title) if s.title in names else len(names))
            if spreadsheet.to_state() != before:  # seeding the same sheet again writes nothing
                state.put_document(spreadsheet)
            return file_id
