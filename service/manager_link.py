"""Issues and opens signed, expiring manager links, each scoped to one manager–report pair."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from service.errors import ValidationError
from service.signed_links import MAX_DAYS, MIN_DAYS, SignedLinks

__all__ = ["DEFAULT_SALT", "MAX_DAYS", "MIN_DAYS", "LinkClaims", "ManagerLinks"]

DEFAULT_SALT = "docket.manager-link.v1"


@dataclass(frozen=True, slots=True)
class LinkClaims:
    """What a valid link grants: this week's section of one pair's 1:1 doc, until expires_at."""

    manager: str
    report: str
    expires_at: datetime  # UTC


class ManagerLinks(SignedLinks):
    """Signs link tokens with the service secret under the manager-link purpose salt."""

    def __init__(
        self,
        secret_key: str,
        *,
        salt: str = DEFAULT_SALT,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(secret_key, salt=salt, clock=clock)

    def issue(self, manager: str, report: str, *, days: int = 30) -> str:
        """Return a token that opens the manager's 1:1 with `report` for `days` days.

        Raises:
            ValidationError: an email is missing, or days is outside 1–366.
        """
        for field, value in (("manager", manager), ("report", report)):
            if not isinstance(value, str) or "@" not in value.strip():
                raise ValidationError(field, "must be an email address")
        return self.sign({"m": manager.strip(), "r": report.strip()}, days=days)

    def open(self, token: str) -> LinkClaims:
        """Return the claims of a genuine, unexpired token.

        Raises:
            Forbidden: the token is tampered, garbled, or signed for another purpose.
            Gone: the token is genuine but has expired.
        """
        claims, expires_at = self.verify(token, ("m", "r"))
        return LinkClaims(manager=claims["m"], report=claims["r"], expires_at=expires_at)

    @staticmethod
    def url(base_url: str, token: str) -> str:
        """The public URL of a link token under the service's base URL."""
        return f"{base_url.rstrip('/')}/links/{token}"
