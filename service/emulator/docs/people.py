"""What a person does in the Docs editor, for tests: type text, move a tab, pick a dropdown option.

Each edit runs as that person through the same batchUpdate handler Docket's writes reach
(permission check, atomic batch, a new revision), in its own store transaction, so a client
holding an older revision id is refused as stale afterwards, as with Google.
"""

from __future__ import annotations

from typing import Any

from service.emulator.call import Call
from service.emulator.persistence import Store

from .routes import documents_batch_update, documents_get


def _batch(store: Store, document_id: str, identity: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
    with store.transaction() as state:
        reply = documents_batch_update(Call(state, identity, {}, {"requests": requests}, {"documentId": document_id}))
    return reply.body or {}


def read(store: Store, document_id: str, identity: str) -> dict[str, Any]:
    """The document as `identity` reads it, tabs form."""
    with store.transaction() as state:
        reply = documents_get(Call(state, identity, {"includeTabsContent": "true"}, None, {"documentId": document_id}))
    return reply.body or {}


def type_text(store: Store, document_id: str, text: str, *, identity: str, tab_id: str | None = None,
              index: int | None = None) -> None:
    """`identity` types `text` at `index` of a tab's body (at its end when omitted)."""
    place: dict[str, Any] = {"tabId": tab_id} if tab_id else {}
    if index is None:
        request = {"insertText": {"text": text, "endOfSegmentLocation": place}}
    else:
        request = {"insertText": {"text": text, "location": {**place, "index": index}}}
    _batch(store, document_id, identity, [request])


def move_tab(store: Store, document_id: str, tab_id: str, index: int, *, identity: str) -> None:
    """`identity` drags tab `tab_id` to position `index` among its siblings (0: to the front)."""
    _batch(store, document_id, identity, [{"updateDocumentTabProperties": {
        "tabProperties": {"tabId": tab_id, "index": index}, "fields": "index"}}])


def pick_dropdown_option(store: Store, document_id: str, dropdown_id: str, option_id: str, *, identity: str,
                         tab_id: str | None = None) -> None:
    """`identity` picks option `option_id` in dropdown chip `dropdown_id`."""
    request: dict[str, Any] = {"dropdownId": dropdown_id, "dropdownProperties": {"selectedOptionId": option_id},
                               "fields": "selectedOptionId"}
    if tab_id:
        request["tabId"] = tab_id
    _batch(store, document_id, identity, [{"updateDropdownProperties": request}])
