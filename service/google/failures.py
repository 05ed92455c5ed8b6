"""The one boundary where Google's HttpErrors become Docket's exceptions."""

from __future__ import annotations

import json
import socket

import httplib2
from googleapiclient.errors import HttpError

from service.errors import Conflict, DocketError, Forbidden, GoogleApiError, NotFound, Unmodelled

# google-api-python-client's own notion of a transient transport failure (APICLIENT _retry_request).
TRANSPORT_ERRORS = (socket.timeout, ConnectionError, httplib2.ServerNotFoundError, TimeoutError)


class StaleRevision(Conflict):
    """A batchUpdate's requiredRevisionId no longer matches: someone wrote in between. Re-read and retry."""

    code = "stale_revision"


class Transient(GoogleApiError):
    """429, 5xx or a dropped connection: worth retrying after a pause."""


def google_status(error: HttpError) -> tuple[int, str, str]:
    """(HTTP status, google.rpc status, message) from Google's error envelope."""
    status = int(getattr(error, "status_code", None) or error.resp.status)
    rpc, message = "", ""
    try:
        body = json.loads(error.content.decode("utf-8"))["error"]
        rpc, message = str(body.get("status", "")), str(body.get("message", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        message = str(error.reason or "")
    return status, rpc, message


def translate(error: Exception, what: str) -> DocketError:
    """Map a Google client failure on `what` (e.g. "documents.get 1abc") to a DocketError.

    Messages name the call and Google's reason, never request bodies (which may hold confidential text).
    """
    if isinstance(error, TRANSPORT_ERRORS):
        return Transient(f"{what}: connection to Google failed ({type(error).__name__})")
    if not isinstance(error, HttpError):
        raise error
    status, rpc, message = google_status(error)
    short = message[:300]
    if status == 400 and "revision" in message.lower() and "does not match" in message.lower():
        return StaleRevision(f"{what}: the document changed since it was read")
    if status == 429 or (status == 403 and ("rateLimitExceeded" in error.content.decode("utf-8", "replace"))):
        return Transient(f"{what}: rate limited by Google ({short})", google_status=status)
    if status >= 500 and status != 501:
        return Transient(f"{what}: Google answered {status} ({short})", google_status=status)
    if status == 501:
        return Unmodelled(f"{what}: {short}")
    if status == 404:
        return NotFound(f"{what}: not found ({short})")
    if status == 403:
        return Forbidden(f"{what}: permission denied ({short})")
    return GoogleApiError(f"{what}: Google answered {status} {rpc} ({short})", google_status=status)
