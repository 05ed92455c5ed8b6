"""Why a source's data could not be read, worded once for both seams: short, and never quoting what a server sent."""

from __future__ import annotations

import requests

from service.errors import DocketError
from service.workdata.transport import OutOfTime


class SourceUnavailable(DocketError):
    """A work data source failed; `reason` is shown in the document and the run's warnings.

    Never raised out of service.workdata: prepare() turns it into an Unavailable line.
    """

    status = 502
    code = "source_unavailable"

    def __init__(self, message: str, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status  # the source's answer when it refused (403: not allowed), else None


_STATUS_WORDS = {401: "refused the API token", 403: "refused access to this data", 404: "answered 404 (not found)",
                 429: "kept rate-limiting Docket", 500: "had an internal error", 502: "had a gateway error",
                 503: "was unavailable", 504: "timed out at its gateway"}


def from_status(status: int, retries: int, token_env: str) -> SourceUnavailable:
    words = _STATUS_WORDS.get(status, f"answered HTTP {status}")
    if status == 401:
        return SourceUnavailable(f"{words} (HTTP 401): check {token_env} and the API user", status)
    if status in (429, 500, 502, 503, 504):
        return SourceUnavailable(f"{words} (HTTP {status}, still after {retries} retries)", status)
    return SourceUnavailable(f"{words} (HTTP {status})" if status not in (404,) else words, status)


def from_transport(error: Exception, pair_seconds: float, request_seconds: float) -> SourceUnavailable:
    if isinstance(error, OutOfTime):
        return SourceUnavailable(f"no complete answer within this 1:1's {pair_seconds:g} s budget")
    if isinstance(error, requests.exceptions.Timeout):
        return SourceUnavailable(f"no answer within {request_seconds:g} s")
    if isinstance(error, requests.exceptions.ConnectionError):
        return SourceUnavailable("could not be reached")
    return SourceUnavailable(f"failed ({type(error).__name__})")


def no_token(token_env: str) -> SourceUnavailable:
    return SourceUnavailable(f"no API token (set {token_env})")


def unexpected(error: Exception) -> SourceUnavailable:
    # The type only: a library's message may quote the response, and responses hold ticket subjects.
    return SourceUnavailable(f"unexpected answer ({type(error).__name__})")
