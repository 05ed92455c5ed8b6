"""Google's error envelope as the emulator raises and serialises it: the base every API's errors build on."""

from __future__ import annotations

from dataclasses import dataclass, field

# HTTP status -> canonical google.rpc status name, as Google's JSON errors carry it.
_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}


@dataclass
class ApiError(Exception):
    """An error answered in Google's envelope: {"error": {"code", "message", "status", "errors"}}.

    `reason`/`domain` fill the legacy `errors[0]` entry that Drive sends and that
    google-api-python-client reads to decide whether a 403 is retryable.
    """

    code: int
    message: str
    status: str | None = None
    reason: str | None = None
    domain: str | None = "global"  # None: errors[0] without a domain, as Drive's JSON front end sends it
    details: list[dict] = field(default_factory=list)
    # Drive's `errors[0].location` / `locationType` (e.g. "fields" / "parameter") where it names the culprit.
    location: str | None = None
    location_type: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)
        if self.status is None:
            self.status = _STATUS_NAMES.get(self.code, "UNKNOWN")

    def envelope(self) -> dict:
        error: dict = {"code": self.code, "message": self.message, "status": self.status}
        if self.reason:
            entry = {"message": self.message, "reason": self.reason}
            if self.domain is not None:
                entry["domain"] = self.domain
            if self.location is not None:
                entry.update(location=self.location, locationType=self.location_type or "other")
            error["errors"] = [entry]
        if self.details:
            error["details"] = self.details
        return {"error": error}


def unmodelled(what: str) -> ApiError:
    """501 for anything the emulator does not model, naming it."""
    return ApiError(501, f"The Docket emulator does not model {what}.", status="UNIMPLEMENTED")
