"""Docs v1 documents.get / create / batchUpdate: access checks and Drive bookkeeping around the Document model."""

from __future__ import annotations

from service.emulator.call import Call, Reply, Route
from service.emulator.docs.document import Document, revision_token
from service.emulator.docs.errors import denied, not_found
from service.emulator.drive import index as dx
from service.emulator.drive import sharing
from service.emulator.drive.errors import storage_quota_error
from service.emulator.errors import ApiError
from service.emulator.fields import mentions

_VIEW_MODES = ("DEFAULT_FOR_CURRENT_ACCESS", "SUGGESTIONS_INLINE", "PREVIEW_SUGGESTIONS_ACCEPTED",
               "PREVIEW_WITHOUT_SUGGESTIONS")
_UNTITLED = "Untitled document"  # Docs' title for documents.create without one


def _document_for(call: Call, minimum: str):
    """The Document, its Drive record and the caller's role, if the caller has `minimum` on it.

    The Docs API is not gated by supportsAllDrives: a shared-drive document is reachable like any other.
    Invisible → 404; visible but too weak a role → 403."""
    document_id = call.path["documentId"]
    record = call.state.drive["files"].get(document_id)
    if record is None or record["mimeType"] != dx.DOCUMENT_MIME:
        raise not_found()
    role = sharing.role_on_file(call.state.drive, record, call.identity)
    if role is None:
        raise not_found()
    if not dx.at_least(role, minimum):
        raise denied()
    document = call.state.document(document_id)
    if document is None:
        # The store writes documents before the index, so this is only possible for a damaged data dir.
        raise ApiError(500, "Internal error encountered.")
    return document, record, role


def documents_get(call: Call) -> Reply:
    mode = call.text("suggestionsViewMode")
    if mode is not None and mode not in _VIEW_MODES:
        raise ApiError(400, f"Invalid value at 'suggestions_view_mode' "
                       f"(type.googleapis.com/google.apps.docs.v1.SuggestionsViewMode), \"{mode}\"")
    include_tabs = call.flag("includeTabsContent") or mentions(call.text("fields"), "tabs")
    document, _, role = _document_for(call, "reader")
    # DOCS-DD: viewing suggestions needs more than view access; commenters may suggest, so may see them.
    sees_suggestions = dx.at_least(role, "commenter")
    if mode in ("SUGGESTIONS_INLINE", "PREVIEW_SUGGESTIONS_ACCEPTED") and not sees_suggestions:
        raise denied()  # "will return a 403 error if the user does not have permission to view suggested changes"
    if not mode or mode == "DEFAULT_FOR_CURRENT_ACCESS":
        # DOCS-DD: "If the user only has view access, PREVIEW_WITHOUT_SUGGESTIONS is applied.
        # Otherwise, SUGGESTIONS_INLINE is applied."
        mode = "SUGGESTIONS_INLINE" if sees_suggestions else "PREVIEW_WITHOUT_SUGGESTIONS"
    resource = document.to_resource(include_tabs_content=include_tabs, view_mode=mode)
    if dx.at_least(role, "writer"):
        resource["revisionId"] = revision_token(document.revision_id, call.identity)
    else:
        resource.pop("revisionId", None)  # DOCS-DD: "Only populated if the user has edit access"
    return Reply(resource)


def documents_create(call: Call) -> Reply:
    body = call.require_body()
    # Docs: "Other fields in the request, including any provided content, are ignored."
    title = body.get("title") or _UNTITLED
    # documents.create puts the file in the caller's My Drive. UNCONFIRMED (google-apis.md §7.1) that a
    # service account gets Drive's storage-quota 403 here too; very likely, so the emulator does.
    if dx.is_service_account(call.identity):
        raise storage_quota_error()
    document_id = call.state.ids.file_id()
    record = dx.new_file(call.state, file_id=document_id, name=title, mime_type=dx.DOCUMENT_MIME,
                         parent=None, drive_id=None)
    record["permissions"].append(dx.grant("user", "owner", email=call.identity))
    document = Document.create(document_id, title, call.state.ids)
    call.state.put_document(document)
    # A real documents.create reply carries the legacy first-tab fields AND `tabs`
    # (tests/emulator/captures/nango-create-both-forms.json), unlike documents.get.
    resource = document.to_resource()
    resource["tabs"] = document.to_resource(include_tabs_content=True)["tabs"]
    resource["revisionId"] = revision_token(document.revision_id, call.identity)
    return Reply(resource)


def documents_batch_update(call: Call) -> Reply:
    document, record, _ = _document_for(call, "writer")
    reply = document.batch_update(call.require_body(), call.state.ids, call.identity)
    call.state.put_document(document)
    dx.touch(record)
    return Reply(reply)


ROUTES = [
    Route("docs", "GET", "/v1/documents/<fid:documentId>", "docs.documents.get", documents_get,
          params=frozenset({"includeTabsContent", "suggestionsViewMode"}),
          unmodelled=frozenset({"commentsViewMode"})),
    Route("docs", "POST", "/v1/documents", "docs.documents.create", documents_create),
    Route("docs", "POST", "/v1/documents/<fid:documentId>:batchUpdate", "docs.documents.batchUpdate",
          documents_batch_update),
]
