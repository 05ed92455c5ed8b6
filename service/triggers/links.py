"""Manager links: GET /links/<token> opens this week's section of one pair's 1:1 doc (signed, expiring, no login).

The token is the only credential (itsdangerous, purpose salt, expiry inside the signed
payload): tampered → 403, expired → 410, and either is refused before anything is read or
written. A valid link ensures the doc and this week's section, then redirects to its heading —
in Google Docs, or on the embedded/emulator backends to the local view
`/local/docs/<id>#<headingId>`.

Both kinds of link are signed here with the deployment's one key: manager links, and members'
links to a withheld document, which the local view opens (`local_views`, `member_link`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping

from flask import Blueprint, redirect

from service.calendar import Week
from service.errors import ConfigError, Forbidden
from service.manager_link import ManagerLinks
from service.member_link import MemberLinks
from service.meetings.one_on_one import OneOnOnes
from service.meetings.outcome import local_section_url
from service.secret_key import ENV_VAR, load_secret_key
from service.settings import Settings
from service.app_context import now, per_app, services

log = logging.getLogger(__name__)

blueprint = Blueprint("links", __name__)


def _link_secret(settings: Settings, env: Mapping[str, str] | None) -> str:
    """The key every kind of link is signed with.

    On the real Google backend the key must come from DOCKET_SECRET_KEY: a key generated into
    one container's data dir would differ per instance and from the admin's `docket link`.
    """
    env = os.environ if env is None else env
    if settings.backend == "google" and ENV_VAR not in env:
        raise ConfigError("must be set on the Google backend so every instance and `docket link` share one key", key=ENV_VAR)
    return load_secret_key(settings.data_dir, env)


def link_signer(settings: Settings, env: Mapping[str, str] | None = None, *, clock: Callable[[], float] | None = None) -> ManagerLinks:
    """The manager-link signer of this deployment, shared by `docket link` and the server."""
    secret = _link_secret(settings, env)
    return ManagerLinks(secret, clock=clock) if clock else ManagerLinks(secret)


def member_link_signer(settings: Settings, env: Mapping[str, str] | None = None, *,
                       clock: Callable[[], float] | None = None) -> MemberLinks:
    """The signer of members' links to a withheld document (`docket link --confidential`, the local view)."""
    secret = _link_secret(settings, env)
    return MemberLinks(secret, clock=clock) if clock else MemberLinks(secret)


@blueprint.get("/links/<token>")
def open_link(token: str):  # noqa: ANN201 (a Flask view)
    svc = services()
    links = per_app("links", lambda: link_signer(svc.settings, clock=lambda: now().timestamp()))
    claims = links.open(token)  # Forbidden / Gone before any side effect
    one_on_ones = OneOnOnes(svc)
    pair = svc.settings.pair(claims.manager, claims.report)
    if pair is None:
        # The roster changed since the link was issued: it no longer opens anything.
        raise Forbidden("this link's 1:1 is no longer configured for this manager")
    outcome = one_on_ones.ensure_week(pair, Week.of(None, now()))
    # The actor is the manager the link was issued to: whoever holds the link acts for them.
    log.info("manager link opened", extra={"document_id": outcome.document_id, "kind": outcome.kind, "action": outcome.action,
                                           "actor": claims.manager})
    target = outcome.url if svc.settings.backend == "google" else local_section_url(outcome.document_id, outcome.url)
    response = redirect(target, code=302)
    response.headers["Cache-Control"] = "no-store"
    return response
