"""Google Chat incoming webhooks: the one seam that posts a message, with retries; the URL is never logged or echoed.

A webhook URL (`https://chat.googleapis.com/v1/spaces/SPACE/messages?key=…&token=…`) carries its
own credentials, so Docket only ever names it by its reference (`env:NAME`, the environment
variable that holds it; on Cloud Run filled from Secret Manager). Errors and logs say which
reference and whose webhook, the HTTP status and Google's status name — never the URL, its key
or token, and never an exception's own message (the socket's may quote the host).

Delivery is a POST of Chat's `{"text": …}` message with `requestId`: "Specifying a request ID
makes the request idempotent … multiple identical requests with the same request ID result in
only a single message being created" (chat.v1.json, spaces.messages.create). That makes the
retries here (429, 5xx, a dropped connection) and a later run's resend of a message whose
outcome was lost safe. That incoming webhooks honour `requestId` like the authenticated API is
UNCONFIRMED.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from service.errors import ConfigError, GoogleApiError
from service.google.calls import Backoff

log = logging.getLogger(__name__)

CHAT_HOST = "chat.googleapis.com"
# The variable deploy/ fills from Secret Manager; `[reminders] chat_webhook` defaults to naming it.
DEFAULT_ENV = "DOCKET_CHAT_WEBHOOK"
_PATH = re.compile(r"/v1/spaces/[A-Za-z0-9_-]+/messages")
_LOOPBACK_NAMES = ("localhost",)
SHAPE = "https://chat.googleapis.com/v1/spaces/SPACE/messages?key=…&token=…"


class DeliveryFailed(GoogleApiError):
    """Google Chat did not take the message (after retries, for transient failures)."""

    code = "chat_delivery_failed"


@dataclass(frozen=True)
class Webhook:
    """A resolved webhook: `reference` may be shown anywhere, `url` nowhere (it is not in repr)."""

    reference: str
    whose: str  # "maria@example.com's webhook", "the default webhook ([reminders] chat_webhook)": for messages
    url: str = field(repr=False)


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> str | None:
    """What makes `url` unusable as an incoming webhook, in words that quote none of it; None if it is fine.

    Only Google Chat's host is accepted (a configuration cannot make Docket post people's time
    off elsewhere), plus plain HTTP to a loopback address for a local receiver (tests, a dev box).
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return "it is not a URL"
    if parts.username or parts.password:
        return "it carries a user name or password"
    if _is_loopback(host):
        if parts.scheme not in ("http", "https"):
            return "it is not an http(s) URL"
    elif parts.scheme != "https" or host != CHAT_HOST or port not in (None, 443):
        return f"it does not point at https://{CHAT_HOST}"
    if not _PATH.fullmatch(parts.path):
        return "its path is not /v1/spaces/SPACE/messages"
    query = parse_qs(parts.query)
    if not query.get("key") or not query.get("token"):
        return "it lacks its key or token parameter"
    if parts.fragment:
        return "it has a #fragment"
    return None


def resolve(reference: str, env: Mapping[str, str], *, whose: str) -> Webhook:
    """The webhook a reference (`env:NAME`) names, checked; a ConfigError naming the reference otherwise.

    `whose` says which webhook it is, for messages: "maria@example.com's webhook".
    """
    if not reference.startswith("env:"):
        raise ConfigError(f"{whose} must be a reference like env:NAME")
    name = reference[len("env:"):]
    url = env.get(name)
    if not url or not url.strip():
        raise ConfigError(f"{reference} ({whose}): the environment variable {name} is not set")
    problem = url_problem(url)
    if problem is not None:
        raise ConfigError(f"{reference} ({whose}) does not hold a Google Chat incoming-webhook URL ({SHAPE}): {problem}")
    return Webhook(reference, whose, url.strip())


# No answer: refused, reset, timed out, or closed before a status line (http.client.RemoteDisconnected).
_TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


class ChatPoster:
    """Posts messages to webhooks: Chat's `{"text": …}`, idempotent by `requestId`, retried with backoff.

    The standard library's http.client sends each attempt exactly once (no hidden retries, no
    redirects followed), so every attempt is one of ours, counted and backed off.
    """

    def __init__(self, *, backoff: Backoff | None = None, timeout: float = 30.0) -> None:
        self.backoff = backoff or Backoff(attempts=5)
        self.timeout = timeout

    def post(self, webhook: Webhook, text: str, *, request_id: str) -> None:
        """Deliver `text` once (retries reuse `request_id`); DeliveryFailed when Chat refuses or stays unreachable."""
        body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
        attempt = 0
        while True:
            status, rpc = self._send(webhook.url, request_id, body)
            if status is not None and 200 <= status < 300:
                log.info("chat message delivered", extra={"status": status, "webhook": webhook.reference})
                return
            transient = status is None or status == 429 or status >= 500
            what = "the connection failed" if status is None else f"Google Chat answered {status}{f' {rpc}' if rpc else ''}"
            if not transient:
                log.error("chat message refused", extra={"status": status, "webhook": webhook.reference})
                raise DeliveryFailed(f"{webhook.reference} ({webhook.whose}) refused the message: {what}",
                                     google_status=status)
            attempt += 1
            if attempt >= self.backoff.attempts:
                log.error("chat message not delivered", extra={"status": status, "webhook": webhook.reference})
                raise DeliveryFailed(f"{webhook.reference} ({webhook.whose}): {what}, "
                                     f"still failing after {attempt} attempts", google_status=status)
            log.warning("chat message retried", extra={"status": status, "webhook": webhook.reference, "count": attempt})
            self.backoff.sleep(self.backoff.delay(attempt - 1))

    def _send(self, url: str, request_id: str, body: bytes) -> tuple[int | None, str]:
        """(HTTP status, google.rpc status name) or (None, "") when no answer came."""
        parts = urlsplit(url)
        query = parts.query + ("&" if parts.query else "") + urlencode({"requestId": request_id})
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.hostname or "", parts.port, timeout=self.timeout)
        try:
            connection.request("POST", f"{parts.path}?{query}", body=body,
                               headers={"Content-Type": "application/json; charset=UTF-8"})
            response = connection.getresponse()
            content = response.read()
        except _TRANSPORT_ERRORS:
            return None, ""
        finally:
            connection.close()
        rpc = ""
        if response.status >= 400:
            try:
                rpc = str(json.loads(content.decode("utf-8"))["error"].get("status", ""))[:40]
            except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
                rpc = ""
            rpc = rpc if re.fullmatch(r"[A-Z_]*", rpc) else ""
        return response.status, rpc
