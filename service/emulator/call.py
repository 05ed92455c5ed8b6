"""One API call as a handler sees it (caller, parameters, body, store state) and what it answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from service.emulator.errors import ApiError
from service.emulator.media import Media

if TYPE_CHECKING:
    from service.emulator.persistence import State

# System parameters every Google API accepts (discovery's top-level `parameters`), handled by the app.
SYSTEM_PARAMETERS = frozenset(
    {"$.xgafv", "access_token", "alt", "callback", "fields", "key", "oauth_token", "prettyPrint",
     "quotaUser", "uploadType", "upload_protocol", "userIp"}
)


def invalid_value(name: str) -> ApiError:
    # Drive's reply to a malformed parameter: 400 "Invalid Value", reason "invalid" (location `name`,
    # which this envelope does not carry).
    return ApiError(400, "Invalid Value", reason="invalid")


@dataclass
class Call:
    """A request after routing: who asks, the query parameters, the JSON body, the uploaded media (on an
    upload URI), and the transaction."""

    state: State
    identity: str
    params: Mapping[str, str]
    body: dict | None = None
    path: dict[str, str] = field(default_factory=dict)
    media: Media | None = None
    # Every value of each query parameter, in order: `params` keeps the first, which is all a
    # parameter that is not `repeated` in discovery may have (Calendar's eventTypes is repeated).
    repeated: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        return self.params.get(name)

    def texts(self, name: str) -> tuple[str, ...]:
        """All values of a repeated parameter (`eventTypes=default&eventTypes=outOfOffice`)."""
        return tuple(self.repeated.get(name, ())) or ((self.params[name],) if name in self.params else ())

    def flag(self, *names: str) -> bool:
        """A boolean parameter (first of its aliases that is present); absent is false."""
        for name in names:
            raw = self.params.get(name)
            if raw is not None:
                if raw.lower() not in ("true", "false"):
                    raise invalid_value(name)
                return raw.lower() == "true"
        return False

    def has(self, name: str) -> bool:
        return name in self.params

    def integer(self, name: str, *, minimum: int, maximum: int) -> int | None:
        """An int32 parameter; values above `maximum` are coerced to it, as Drive documents."""
        raw = self.params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise invalid_value(name) from None
        if value < minimum:
            raise invalid_value(name)
        return min(value, maximum)

    def require_body(self) -> dict:
        return self.body if self.body is not None else {}


@dataclass(frozen=True)
class Reply:
    """A handler's answer: JSON `body` (None for an empty 204) and the method's default `fields` mask."""

    body: dict | None
    status: int = 200
    default_fields: str | None = None


Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class Route:
    """One modelled method: HTTP method, werkzeug rule, its query parameters, and the handler."""

    api: str  # "docs" | "drive": named to the fault-injection hook
    method: str
    rule: str
    name: str  # e.g. "drive.files.list", for 501s and hooks
    handler: Handler
    params: frozenset[str] = frozenset()
    # Parameters Google defines for this method that the emulator does not model: 501 if present.
    unmodelled: frozenset[str] = frozenset()
    # The method's upload URI (discovery's mediaUpload simple path), when it accepts uploaded media.
    upload_rule: str | None = None
