"""Signed, expiring link tokens: a few claims signed with the service secret under a purpose salt (itsdangerous)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from itsdangerous import BadData, URLSafeTimedSerializer

from service.errors import ConfigError, Forbidden, Gone, ValidationError
from service.secret_key import MIN_SECRET_KEY_LENGTH

MIN_DAYS, MAX_DAYS = 1, 366
_DAY = 86_400
_EXPIRY = "exp"


class SignedLinks:
    """Signs claims (short string fields) under a purpose salt, with the expiry inside the signed payload.

    The expiry travels inside the payload instead of being a max_age given at load time, so each
    link keeps the lifetime it was issued with. Time comes from the injected `clock` only;
    itsdangerous's own timestamp is signed into the token but not used for expiry. Every kind of
    link (manager links, members' links to a withheld document) is one subclass with its own salt.
    """

    def __init__(self, secret_key: str, *, salt: str, clock: Callable[[], float] = time.time) -> None:
        if len(secret_key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(f"the link-signing secret must be at least {MIN_SECRET_KEY_LENGTH} characters")
        # The salt separates purposes: a token signed for anything else with the same secret
        # (sessions, other link kinds) never opens as this kind of link.
        self._serializer = URLSafeTimedSerializer(secret_key, salt=salt)
        self._clock = clock

    def sign(self, claims: Mapping[str, str], *, days: int) -> str:
        """A token carrying `claims` that opens for `days` days.

        Raises:
            ValidationError: days is outside 1–366.
        """
        if isinstance(days, bool) or not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
            raise ValidationError("days", f"must be a whole number from {MIN_DAYS} to {MAX_DAYS}")
        return self._serializer.dumps({**claims, _EXPIRY: int(self._clock()) + days * _DAY})

    def verify(self, token: str, names: tuple[str, ...]) -> tuple[dict[str, str], datetime]:
        """The claims `names` of a genuine, unexpired token, and when it expires (UTC).

        Raises:
            Forbidden: the token is tampered, garbled, or signed for another purpose.
            Gone: the token is genuine but has expired.
        """
        try:
            payload = self._serializer.loads(token)
        except BadData:
            # BadData covers bad signatures, bad base64/JSON and bad timestamps.
            raise Forbidden("this link is not valid") from None
        expires = payload.get(_EXPIRY) if isinstance(payload, dict) else None
        if not (isinstance(expires, int) and not isinstance(expires, bool)
                and all(isinstance(payload.get(name), str) for name in names)):
            # Correctly signed yet not our shape: another use of the same salt.
            raise Forbidden("this link is not valid")
        if self._clock() >= expires:
            raise Gone("this link has expired; ask for a new one")
        return {name: payload[name] for name in names}, datetime.fromtimestamp(expires, tz=UTC)
