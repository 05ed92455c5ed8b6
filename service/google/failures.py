"""The one boundary where Google's HttpErrors become Docket's exceptions."""

from __future__ import annotations

import errno
import http.client
import json
import re
import socket
import ssl

import httplib2
from googleapiclient.errors import HttpError

from service.errors import Conflict, DocketError, Forbidden, GoogleApiError, NotFound, Unmodelled

# No answer from Google: google-api-python-client's own transient transport failures (APICLIENT
# _retry_request), a failed TLS handshake, and a connection dropped mid-answer (http.client.HTTPException).
TRANSPORT_ERRORS = (socket.timeout, ConnectionError, httplib2.ServerNotFoundError, TimeoutError, ssl.SSLError,
                    http.client.HTTPException)
# Other OSErrors only for these: any other (a full disk under the in-process emulator) is not the network's.
_NETWORK_ERRNOS = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN})


def is_transport_failure(error: BaseException) -> bool:
    """Whether `error` means the request got no answer from Google (the network or the endpoint failed)."""
    return isinstance(error, TRANSPORT_ERRORS) or (isinstance(error, OSError) and error.errno in _NETWORK_ERRNOS)


# Statuses whose messages Google words about the call, never the request body: "Requested entity was not
# found.", "File not found: <id>.", "The caller does not have permission", quota and 5xx texts, and the
# emulator's 501 naming what it does not model.
_MESSAGE_IS_ABOUT_THE_CALL = frozenset({401, 403, 404, 429, 500, 501, 502, 503, 504})
# What a 400 may keep of its message: the request path Google names, never the quoted value. Live
# shapes (jonathanmoregard/google_workspace_mcp, docs/findings/errors-and-discovery.md):
#   Invalid value at 'requests[0].insert_text.location.index' (TYPE_INT32), "abc"
#   Invalid JSON payload received. Unknown name "bogusFieldXyz" at 'requests[0].insert_text': Cannot find field.
#   Invalid requests[0].insertComment: Index 900000 must be less than the end index of the referenced segment, 24.
_REQUEST_PATH = re.compile(r"^Invalid (requests\[\d+\](?:\.\w+)?)\b|\bat '([\w.\[\]]+)'")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')  # Google's quotes of what was sent: never searched for a path


class StaleRevision(Conflict):
    """A batchUpdate's requiredRevisionId no longer matches: someone wrote in between. Re-read and retry."""

    code = "stale_revision"


class Transient(GoogleApiError):
    """429, 5xx or a dropped connection: worth retrying after a pause.

    `google_status` is None when Google never answered (the connection failed); `reason` says what
    happened, in words fit for a message (no request content).
    """

    def __init__(self, message: str, *, google_status: int | None = None, reason: str = "") -> None:
        super().__init__(message, google_status=google_status)
        self.reason = reason or message


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


def safe_detail(status: int, message: str) -> str:
    """What of Google's message a Docket message may carry: all of it where Google words it about the call,
    else only the request path it names.

    A 400's message can quote the value Google refused ("Invalid value at '…', \"<the value>\"") or a
    field name as sent ("Unknown name \"<name>\""), and what Docket sends holds people's text. Docket's
    messages reach HTTP error bodies, logs and CLI output, so those quotes never pass.
    """
    if status in _MESSAGE_IS_ABOUT_THE_CALL:
        return message[:300]
    found = _REQUEST_PATH.search(_QUOTED.sub('""', message))
    where = f"at {found.group(1) or found.group(2)}; " if found else ""
    return f"{where}Google's message is withheld, as it may quote the request"


def translate(error: Exception, what: str) -> DocketError:
    """Map a Google client failure on `what` (e.g. "documents.get 1abc") to a DocketError.

    Messages name the call and Google's reason, never request bodies (which may hold confidential
    text): Google's own message only through `safe_detail`.
    """
    if is_transport_failure(error):
        failed = "timed out" if isinstance(error, (socket.timeout, TimeoutError)) else f"failed ({type(error).__name__})"
        return Transient(f"{what}: connection to Google {failed}", reason=f"connection {failed}")
    if not isinstance(error, HttpError):
        raise error
    status, rpc, message = google_status(error)
    short = safe_detail(status, message)
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
