"""Issues and opens a member's signed link to read one withheld document (the confidential doc) in the local view."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from service.errors import ValidationError
from service.signed_links import SignedLinks

SALT = "docket.member-view.v1"
# Reading confidential text is a shorter affair than opening one's 1:1 every week.
DEFAULT_DAYS = 1


@dataclass(frozen=True, slots=True)
class ViewClaims:
    """What a valid member link grants: reading one document as `viewer`, until expires_at.

    It grants nothing by itself: whether `viewer` may read the document is decided when the link
    is opened, by the one rule for withheld text (`meetings.reading.read_for`) against the
    configuration of that moment — a member removed since sees only the notice.
    """

    viewer: str
    document_id: str
    expires_at: datetime  # UTC


class MemberLinks(SignedLinks):
    """Signs member links with the service secret under their own purpose salt (a manager link never opens as one)."""

    def __init__(self, secret_key: str, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(secret_key, salt=SALT, clock=clock)

    def issue(self, viewer: str, document_id: str, *, days: int = DEFAULT_DAYS) -> str:
        """A token that lets `viewer` read `document_id` in the local view for `days` days.

        Raises:
            ValidationError: the viewer is not an email, the document id is empty, or days is outside 1–366.
        """
        if not isinstance(viewer, str) or "@" not in viewer.strip():
            raise ValidationError("viewer", "must be an email address")
        if not isinstance(document_id, str) or not document_id.strip():
            raise ValidationError("document_id", "must not be empty")
        return self.sign({"v": viewer.strip().lower(), "d": document_id.strip()}, days=days)

    def open(self, token: str) -> ViewClaims:
        """The claims of a genuine, unexpired member link (Forbidden: tampered or another purpose; Gone: expired)."""
        claims, expires_at = self.verify(token, ("v", "d"))
        return ViewClaims(viewer=claims["v"], document_id=claims["d"], expires_at=expires_at)

    @staticmethod
    def url(base_url: str, document_id: str, token: str) -> str:
        """The local view of the document, opened with the link: `/local/docs/<id>?link=<token>`.

        The token rides in the query string, which Docket's request logs leave out (they log the
        path only), and pages are served with `Referrer-Policy: no-referrer` and `no-store`.
        """
        return f"{base_url.rstrip('/')}/local/docs/{quote(document_id, safe='')}?link={token}"
