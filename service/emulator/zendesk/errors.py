"""Zendesk's error answers: the JSON envelopes (and the one plain-text body) its API sends."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass
class ZendeskError(Exception):
    """An error as Zendesk answers it: `body` is the JSON object, or plain text for a str."""

    status: int
    body: dict | str
    retry_after: int | None = None

    def __post_init__(self) -> None:
        super().__init__(f"{self.status}")

    def encoded(self) -> tuple[str, bytes]:
        if isinstance(self.body, str):
            return "text/plain; charset=utf-8", self.body.encode("utf-8")
        return "application/json; charset=utf-8", json.dumps(self.body, ensure_ascii=False).encode("utf-8")


def not_found() -> ZendeskError:
    # Captured: zenpy tests/test_api/betamax/TestUserCreateUpdateDelete...recordnotfound (zendesk_not_found.json).
    return ZendeskError(404, {"error": "RecordNotFound", "description": "Not found"})


def unauthenticated() -> ZendeskError:
    # The body Zendesk sends for a wrong email/token pair (support.zendesk.com community threads quote it).
    return ZendeskError(401, {"error": "Couldn't authenticate you"})


def forbidden() -> ZendeskError:
    return ZendeskError(403, {"error": "Forbidden", "description": "You do not have access to this page. Please contact "
                                                                  "the account owner of this help desk for further help."})


def invalid_attribute(message: str) -> ZendeskError:
    # Captured in a Zendesk community thread (posts/5981990015514): a bad page parameter on search.
    return ZendeskError(400, {"error": {"title": "Invalid attribute", "message": message}})


def invalid_search(description: str) -> ZendeskError:
    # zenpy maps error "invalid" with 422 to SearchResponseLimitExceeded; Zendesk uses it for bad queries too.
    return ZendeskError(422, {"error": "invalid", "description": f"Invalid search: {description}"})


def invalid_value(description: str, status: int = 400) -> ZendeskError:
    # UNCONFIRMED: the envelope Zendesk uses for bad values on other endpoints ({"error": "InvalidValue", ...});
    # no captured answer of the incremental export's own refusals was found.
    return ZendeskError(status, {"error": "InvalidValue", "description": description})


def rate_limited(retry_after: int) -> ZendeskError:
    # Observed (support.zendesk.com community post 4600766234138): text/plain, 50 bytes, with Retry-After.
    return ZendeskError(429, "Number of allowed API requests per minute exceeded", retry_after)


def unavailable(retry_after: int | None) -> ZendeskError:
    # UNCONFIRMED: Zendesk documents 503 with Retry-After for maintenance and load shedding but not its body;
    # this JSON body is our choice (clients must not depend on it).
    return ZendeskError(503, {"error": "ServiceUnavailable", "description": "Zendesk is temporarily unavailable"},
                        retry_after)


def injected(status: int, retry_after: int | None) -> ZendeskError:
    """The answer to a fault injected by rest_faults (429, 5xx, 401, 403)."""
    if status == 429:
        return rate_limited(retry_after or 1)
    if status == 503:
        return unavailable(retry_after)
    if status == 401:
        return unauthenticated()
    if status == 403:
        return forbidden()
    return ZendeskError(status, {"error": "InternalError", "description": "Something went wrong"})


def unmodelled(what: str) -> ZendeskError:
    return ZendeskError(501, {"error": "NotImplemented", "description": f"the Docket emulator does not model {what}"})
