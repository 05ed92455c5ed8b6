"""The weekly sharing check: who besides a document's participants, Docket and its shared drive can read it — warned about, never changed."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from service.confidentiality import describe
from service.google import app_properties
from service.google.registry import DocFile

if TYPE_CHECKING:
    from service.meetings.kind import DocumentKind
    from service.services import Services

_log = logging.getLogger(__name__)

# The appProperty holding a short hash of the permission ids last found clean: while Drive's
# listing shows the same ids, the document is not asked about again.
FINGERPRINT = app_properties.name("acl")


def fingerprint(permission_ids: Iterable[str]) -> str:
    """A short, order-free hash of who can reach a file (Drive's permission ids name grantees, not grants)."""
    return hashlib.sha256("\n".join(sorted(set(permission_ids))).encode()).hexdigest()[:16]


def sharing_warnings(services: Services, doc: DocFile, kind: DocumentKind, *, not_one_of: str) -> tuple[str, ...]:
    """One warning naming every grant beyond the document's participants and Docket, or none.

    Grants inherited from the shared drive (or folder) are not the document's own: the run's
    folder check reports those. Costs nothing when the document's permission ids (from the run's
    one listing of Docket's documents) match the fingerprint stored when it was last found clean;
    otherwise one permissions.list — every run while the document stays exposed, so it is warned
    about each week, and every run when Drive's listing does not carry the ids (then nothing is
    stored either: there would be nothing to compare it with). The fingerprint is of the listing's
    own ids, so like is compared with like, and is stored only when the document is clean.
    Sharing itself is never changed.
    """
    stored = doc.properties.get(FINGERPRINT)
    listed = None if doc.permission_ids is None else fingerprint(doc.permission_ids)
    if listed is not None and listed == stored:
        return ()
    permissions = services.registry.permissions(doc.id)
    readers = {email.lower() for email in kind.participants(services, doc)} | {services.google.identity}
    beyond = [p for p in permissions if not p.inherited and not (p.type == "user" and p.email in readers)]
    if beyond:
        _log.warning("document readable beyond its participants", extra={"document_id": doc.id, "kind": doc.kind,
                                                                         "count": len(beyond)})
        who = "; ".join(describe(p, not_one_of=not_one_of) for p in beyond)
        title = kind.title(services.settings, doc.properties)
        return (f"{title} (document {doc.id}) can be read by others than {kind.participants_label}: {who}. "
                "Docket changed nothing; if that is a mistake, remove the grant in Google Drive (Share).",)
    if listed is not None and listed != stored:
        services.registry.set_properties(doc.id, {FINGERPRINT: listed})
    return ()
