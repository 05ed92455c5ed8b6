"""Issues and opens signed, expiring manager links, each scoped to one manager–report pair."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadData, URLSafeTimedSerializer

from service.errors import ConfigError, Forbidden, Gone, ValidationError
from service.secret_key import MIN_SECRET_KEY_LENGTH

DEFAULT_SALT = "docket.manager-link.v1"
MIN_DAYS, MAX_DAYS = 1, 366
_DAY = 86_400


@dataclass(frozen=True, slots=True)
class LinkClaims:
    """What a valid link grants: this week's section of one pair's 1:1 doc, until expires_at."""

    manager: str
    report: str
    expires_at: datetime  # UTC


class ManagerLinks:
    """Signs link tokens with the service secret under a purpose salt.

    The expiry travels inside the signed payload instead of being a max_age
    given at load time, so each link keeps the lifetime it was issued with.
    Time comes from the injected `clock` only; itsdangerous's own timestamp is
    signed into the token but not used for expiry.
    """

    def __init__(
        self,
        secret_key: str,
        *,
        salt: str = DEFAULT_SALT,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if len(secret_key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(f"the link-signing secret must be at least {MIN_SECRET_KEY_LENGTH} characters")
        # The salt separates purposes: a token signed for anything else with the
        # same secret (sessions, other link kinds) never opens as a manager link.
        self._serializer = URLSafeTimedSerializer(secret_key, salt=salt)
        self._clock = clock

    def issue(self, manager: str, report: str, *, days: int = 30) -> str:
        """Return a token that opens the manager's 1:1 with `report` for `days` days.

        Raises:
            ValidationError: an email is missing, or days is outside 1–366.
        """
        for field, value in (("manager", manager), ("report", report)):
            if not isinstance(value, str) or "@" not in value.strip():
                raise ValidationError(field, "must be an email address")
        if isinstance(days, bool) or not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
            raise ValidationError("days", f"must be a whole number from {MIN_DAYS} to {MAX_DAYS}")
        expires = int(self._clock()) + days * _DAY
        return self._serializer.dumps({"m": manager.strip(), "r": report.strip(), "exp": expires})

    def open(self, token: str) -> LinkClaims:
        """Return the claims of a genuine, unexpired token.

        Raises:
            Forbidden: the token is tampered, garbled, or signed for another purpose.
            Gone: the token is genuine but has expired.
        """
        try:
            payload = self._serializer.loads(token)
        except BadData:
            # BadData covers bad signatures, bad base64/JSON and bad timestamps.
            raise Forbidden("this link is not valid") from None
        if not (
            isinstance(payload, dict)
            and isinstance(payload.get("m"), str)
            and isinstance(payload.get("r"), str)
            and isinstance(payload.get("exp"), int)
            and not isinstance(payload.get("exp"), bool)
        ):
            # Correctly signed yet not our shape: another use of the same salt.
            raise Forbidden("this link is not valid")
        if self._clock() >= payload["exp"]:
            raise Gone("this link has expired; ask for a new one")
        return LinkClaims(
            manager=payload["m"],
            report=payload["r"],
            expires_at=datetime.fromtimestamp(payload["exp"], tz=UTC),
        )

    @staticmethod
    def url(base_url: str, token: str) -> str:
        """The public URL of a link token under the service's base URL."""
        return f"{base_url.rstrip('/')}/links/{token}"
