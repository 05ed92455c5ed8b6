"""One emulated Google Doc: its identity, revision and tabs, read as API JSON and written by batchUpdate."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from typing import Any

from service.emulator.ids import IdSource

from .batch import apply_requests, check_body, check_write_control
from .defaults import new_tab
from .loader import DEFAULT_FIRST_TAB_TITLE, tabs_from
from .resource import document_resource
from .state import tabs_from_state, tabs_to_state
from .suggestions import preview
from .tab import FIRST_TAB_ID, Tab
from .text import from_units

STATE_FORMAT = 2
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
    """A Google Doc: a tree of tabs, each with its body, headers, footers, footnotes, lists, named
    ranges and dropdown definitions. Not modelled (501 when a request needs them): edits inside
    tables and tables of contents, comments, and writing suggestions."""

    def __init__(self, document_id: str, title: str, revision_id: str, tabs: list[Tab]) -> None:
        self.document_id = document_id
        self.title = title
        self.revision_id = revision_id
        self.tabs = tabs

    @classmethod
    def create(cls, document_id: str, title: str, ids: IdSource) -> "Document":
        """A new document: one tab "t.0" holding [sectionBreak 0-1, paragraph 1-2 "\\n"]."""
        return cls(document_id, title, ids.revision_id(), [new_tab(FIRST_TAB_ID, DEFAULT_FIRST_TAB_TITLE)])

    @classmethod
    def from_state(cls, state: dict) -> "Document":
        return cls(state["documentId"], state["title"], state["revisionId"], tabs_from_state(state))

    def to_state(self) -> dict:
        state = {"format": STATE_FORMAT, "documentId": self.document_id, "title": self.title,
                 "revisionId": self.revision_id, "tabs": tabs_to_state(self.tabs)}
        return copy.deepcopy(state)

    def to_resource(self, *, include_tabs_content: bool = False, view_mode: str = "SUGGESTIONS_INLINE") -> dict:
        tabs = self.tabs if view_mode == "SUGGESTIONS_INLINE" else preview(self.tabs, view_mode)
        doc = document_resource(self.document_id, self.title, self.revision_id, tabs,
                                include_tabs_content=include_tabs_content, mode=view_mode)
        # One copy per read: the caller may mutate (e.g. apply a fields mask) without
        # touching the stored model, whose style dicts are shared and immutable.
        result: dict = json.loads(json.dumps(doc))
        return result

    def replace_content(self, body: dict[str, Any], ids: IdSource) -> None:
        """Replace every tab with those of a documents.get body (a loaded capture); a new revision."""
        self.tabs = tabs_from(body)
        self.revision_id = ids.revision_id()

    def batch_update(self, body: dict, ids: IdSource, identity: str | None = None) -> dict:
        """Apply a BatchUpdateDocumentRequest atomically; return the BatchUpdateDocumentResponse.

        Sub-requests run in order on one working copy (each sees the indexes left by
        the previous ones). Any ApiError propagates and the document is left exactly
        as it was; on success the copy is swapped in and a new revision minted.
        Revision ids, read and written, are those of `identity` (see revision_token).
        """
        requests = check_body(body)
        check_write_control(body.get("writeControl"), revision_token(self.revision_id, identity))
        work = [tab.clone() for tab in self.tabs]
        replies = apply_requests(work, requests, ids)
        self.tabs = work
        self.revision_id = ids.revision_id()
        return {
            "documentId": self.document_id,
            "replies": replies,
            "writeControl": {"requiredRevisionId": revision_token(self.revision_id, identity)},
        }

    def plain_text(self) -> str:
        """The first tab's body text without the section break (ends with the final "\\n")."""
        return from_units(self.tabs[0].content.body.paragraph_texts())
