"""The emulator's store: the generic persistence, composed with each API's own state (Drive's index, Docs documents).

This is the one module that knows every API's state. An API whose native files have content of
their own (a Docs document behind a Drive file) is added to `_CONTENT` below.
"""

from __future__ import annotations

from collections.abc import Mapping

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

__all__ = ["DOCUMENTS_DIR", "DRIVE_FILE", "LOCK_FILE", "State", "Store", "StoreDamaged", "empty_index", "write_atomically"]

# mimeType of a Drive file -> the class keeping its content (create(file_id, title, ids), from_state(dict)).
_CONTENT = {drive_index.DOCUMENT_MIME: Document}


class Store(_Persistence):
    """All emulator state (see persistence.Store), with Docs documents as the content of Docs files."""

    def new_content(self, mime_type: str, file_id: str, title: str, ids: IdSource) -> Content | None:
        kind = _CONTENT.get(mime_type)
        return None if kind is None else kind.create(file_id, title, ids)

    def has_content(self, mime_type: str) -> bool:
        return mime_type in _CONTENT

    def decode_content(self, state: dict) -> Content:
        # Documents are the only content kind so far; a second kind would record its kind in its state.
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
