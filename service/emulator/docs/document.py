"""One emulated Google Doc: its identity, revision and content, read as API JSON and written by batchUpdate."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac

from service.emulator.ids import IdSource

from .batch import apply_requests, check_body, check_write_control
from .paragraphs import empty_paragraph
from .resource import document_resource
from .tab import DocumentTab
from .text import from_units

STATE_FORMAT = 1
# Not a secret: it only makes one revision's ids differ between users, as Google's do.
_REVISION_KEY = b"docket-emulator revision ids"


def revision_token(base: str, identity: str | None) -> str:
    """The revision id `identity` is given for revision `base`.

    DOCS-DD: a revision id "cannot be shared across users". Choice (Google's format is opaque):
    the stored revision plus "." and a short HMAC of (revision, caller), so an id read by one
    identity is refused, as stale, from another. None (the model used directly) is the bare revision.
    """
    if identity is None:
        return base
    digest = hmac.new(_REVISION_KEY, f"{base}\0{identity.strip().lower()}".encode(), hashlib.sha256).digest()
    return f"{base}.{base64.urlsafe_b64encode(digest[:8]).decode().rstrip('=')}"


class Document:
    """A single-tab Google Doc (tab "t.0") whose body is the only modelled segment.

    Not modelled (501 when a request needs them): headers, footers, footnotes, tables,
    inline objects, suggestions, comments, further tabs.
    """

    def __init__(self, document_id: str, title: str, revision_id: str, tab: DocumentTab) -> None:
        self.document_id = document_id
        self.title = title
        self.revision_id = revision_id
        self._tab = tab

    @classmethod
    def create(cls, document_id: str, title: str, ids: IdSource) -> "Document":
        """A new document: [sectionBreak 0-1, paragraph 1-2 "\\n"]."""
        return cls(document_id, title, ids.revision_id(), DocumentTab([empty_paragraph()], {}, {}))

    @classmethod
    def from_state(cls, state: dict) -> "Document":
        state = copy.deepcopy(state)  # the caller keeps its dict; ours must never change under us
        return cls(state["documentId"], state["title"], state["revisionId"], DocumentTab.from_state(state))

    def to_state(self) -> dict:
        state = {
            "format": STATE_FORMAT,
            "documentId": self.document_id,
            "title": self.title,
            "revisionId": self.revision_id,
            **self._tab.to_state(),
        }
        return copy.deepcopy(state)

    def to_resource(self, *, include_tabs_content: bool = False) -> dict:
        return document_resource(
            self.document_id, self.title, self.revision_id, self._tab, include_tabs_content=include_tabs_content
        )

    def batch_update(self, body: dict, ids: IdSource, identity: str | None = None) -> dict:
        """Apply a BatchUpdateDocumentRequest atomically; return the BatchUpdateDocumentResponse.

        Sub-requests run in order on one working copy (each sees the indexes left by
        the previous ones). Any ApiError propagates and the document is left exactly
        as it was; on success the copy is swapped in and a new revision minted.
        Revision ids, read and written, are those of `identity` (see revision_token).
        """
        requests = check_body(body)
        check_write_control(body.get("writeControl"), revision_token(self.revision_id, identity))
        work = self._tab.clone()
        replies = apply_requests(work, requests, ids)
        self._tab = work
        self.revision_id = ids.revision_id()
        return {
            "documentId": self.document_id,
            "replies": replies,
            "writeControl": {"requiredRevisionId": revision_token(self.revision_id, identity)},
        }

    def plain_text(self) -> str:
        """The body text without the section break (ends with the final "\\n")."""
        return "".join(from_units(p.text) for p in self._tab.paragraphs)
