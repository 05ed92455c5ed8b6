"""The Docs menu (Apps Script editor add-on): POST /addon/section and POST /addon/items.

Authentication: `Authorization: Bearer <ScriptApp.getIdentityToken()>`. Its audience is the
script's OAuth client id (it cannot be chosen, google-apis.md §0), so the accepted audiences
are `auth.addon_client_ids`; its `email` must be verified and in `organization.domains` (and
the token's `hd` claim must name that Workspace domain: an email address alone does not prove
membership). Then the use case checks the caller is a participant of that very document.
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, request

from service.calendar import Week
from service.errors import ConfigError, Forbidden, ValidationError
from service.identity import Caller, IdTokenVerifier, require_domain_in
from service.meetings.leadership import AGENDA, Leadership
from service.app_context import now, per_app, services
from service.triggers.payload import Field, document_id_field, read_json

log = logging.getLogger(__name__)

blueprint = Blueprint("addon", __name__)

_SECTION_BODY = {"documentId": document_id_field()}
# Text is checked (length, characters) by the use case; this bound only caps what is parsed.
_ITEMS_BODY = {
    "documentId": document_id_field(),
    "text": Field("text", max_length=10_000),
    "kind": Field("kind", required=False, max_length=32),
    # Optional idempotency key: the add-on sends one per click, so a retried call adds the item once.
    "itemId": Field("itemId", required=False, max_length=64),
}


def _verifier() -> IdTokenVerifier:
    settings = services().settings
    if not settings.auth.addon_client_ids:
        raise ConfigError("is required to accept Docs add-on calls", key="auth.addon_client_ids", file=settings.source)
    return IdTokenVerifier(audiences=list(settings.auth.addon_client_ids), certs_url=settings.auth.certs_url)


def authenticate() -> Caller:
    """The verified person calling from the Docs menu: 401 without a valid token, 403 outside the organisation."""
    caller = per_app("addon_verifier", _verifier).verify(request.headers.get("Authorization"))
    require_domain_in(caller, services().settings.organization.domains)
    return caller


@blueprint.post("/addon/section")
def section():  # noqa: ANN201 (a Flask view)
    caller = authenticate()
    values = read_json(request, _SECTION_BODY)
    svc = services()
    outcome = svc.kinds.ensure_section(svc, values["documentId"], Week.of(None, now()), caller=caller.email)
    log.info("section %s from the Docs menu", outcome.action,
             extra={"document_id": outcome.document_id, "kind": outcome.kind, "action": outcome.action, "actor": caller.email})
    return jsonify({"url": outcome.url, "created": outcome.action in ("created", "appended")})


@blueprint.post("/addon/items")
def items():  # noqa: ANN201
    caller = authenticate()
    values = read_json(request, _ITEMS_BODY)
    svc = services()
    leadership = svc.settings.leadership
    if leadership is not None and caller.email not in leadership.members:
        # Before any lookup, so someone outside the sync learns nothing about documents.
        raise Forbidden("only the leadership members may add agenda items")
    document_id = values["documentId"]
    if svc.registry.get(document_id).kind != AGENDA:
        raise ValidationError("documentId", "items are added from the leadership agenda document")
    outcome = Leadership(svc).add_item(author=caller.email, text=values["text"], kind=values.get("kind", "discussion"),
                                       week=Week.of(None, now()), item_id=values.get("itemId"))
    # Neither the log line nor the reply carries the text.
    log.info("agenda item from the Docs menu", extra={"document_id": document_id, "kind": outcome.kind, "actor": caller.email,
                                                      "item_id": outcome.item_id, "action": "created" if outcome.created else "present"})
    return jsonify({"url": outcome.url, "itemId": outcome.item_id, "kind": outcome.kind, "created": outcome.created})
