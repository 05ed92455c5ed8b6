"""The one exception tree of Docket; each error carries its HTTP status and a stable code.

DocketError
 ├─ ConfigError          (exit 2; names the key and the file)
 ├─ BadRequest           400 bad_request
 │   └─ ValidationError  400 invalid_argument (names the field)
 ├─ Unauthenticated      401 unauthenticated
 ├─ Forbidden            403 forbidden
 │   └─ ConfidentialityError 403 confidential_doc_exposed
 ├─ NotFound             404 not_found
 ├─ Conflict             409 conflict (gave up after bounded retries on a busy document)
 ├─ Gone                 410 gone (expired link)
 ├─ Unmodelled           501 not_implemented
 └─ GoogleApiError       502 google_api_error (translated at the Google boundary)
     ├─ GoogleUnreachable 502 google_unreachable (no answer from a Google API, or its circuit is open)
     └─ RateLimited      503 rate_limited (quota still exhausted after retries)

Messages are shown to users, logs and CLI output: they must never contain
confidential item text (callers pass ids and names, never item text).
"""

from __future__ import annotations


class DocketError(Exception):
    """Base of every error Docket raises on purpose."""

    status: int = 500
    code: str = "internal"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, dict[str, str]]:
        """The pinned JSON error shape (docs/http-api.md)."""
        return {"error": {"code": self.code, "message": self.message}}


class ConfigError(DocketError):
    """docket.toml (or the environment) is invalid; the CLI exits 2."""

    status = 500
    code = "config_error"

    def __init__(self, message: str, *, key: str | None = None, file: str | None = None) -> None:
        where = ", ".join(p for p in (f"key '{key}'" if key else "", f"in {file}" if file else "") if p)
        super().__init__(f"{message} ({where})" if where else message)
        self.key = key
        self.file = file


class BadRequest(DocketError):
    status = 400
    code = "bad_request"


class ValidationError(BadRequest):
    """A field of a request is missing, of the wrong type or out of range."""

    code = "invalid_argument"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field


class Unauthenticated(DocketError):
    status = 401
    code = "unauthenticated"


class Forbidden(DocketError):
    status = 403
    code = "forbidden"


class ConfidentialityError(Forbidden):
    """The confidential doc can be read by someone outside the leadership members."""

    code = "confidential_doc_exposed"


class NotFound(DocketError):
    status = 404
    code = "not_found"


class Conflict(DocketError):
    status = 409
    code = "conflict"


class Gone(DocketError):
    status = 410
    code = "gone"


class Unmodelled(DocketError):
    status = 501
    code = "not_implemented"


class GoogleApiError(DocketError):
    """Google answered with an error Docket cannot recover from."""

    status = 502
    code = "google_api_error"

    def __init__(self, message: str, *, google_status: int | None = None) -> None:
        super().__init__(message)
        self.google_status = google_status


class GoogleUnreachable(GoogleApiError):
    """A Google API did not answer at all (refused, timed out); names the call that failed."""

    code = "google_unreachable"


class RateLimited(GoogleApiError):
    status = 503
    code = "rate_limited"
