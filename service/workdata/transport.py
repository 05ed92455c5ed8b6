"""How zenpy's and python-gitlab's requests travel: one retry policy, one time budget per pair, in process or over HTTP.

Both libraries accept a requests.Session, so the seam is a transport adapter mounted on it:
`RetryingAdapter` retries 429 and 5xx answers to GETs (and refused connections) after the
server's Retry-After or an exponential backoff, and never past the pair's `Budget`; the
libraries' own retry loops are switched off by their seams, so this is the only policy.
`WsgiAdapter` answers in process from an emulator's WSGI app (the embedded default and tests),
the way service/emulator/transport.py does for Google's client.
"""

from __future__ import annotations

import io
import threading
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.test import EnvironBuilder, run_wsgi_app

from service.workdata.config import Limits

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

RETRYABLE = frozenset({429, 500, 502, 503, 504})


class OutOfTime(requests.exceptions.Timeout):
    """The pair's time budget is spent (a Timeout, so both libraries let it through unchanged)."""


class RatePacer:
    """Spreads this process's requests to one API account under a rate per minute, shared by every pair.

    A generic cell rate algorithm: requests are spaced 60/rate seconds apart on average, with a
    burst of BURST allowed, so a weekly job over many pairs stays under the account's limit
    instead of running into 429s (Zendesk's limit is per account, shared with other integrations).
    """

    BURST = 20

    def __init__(self, per_minute: int, burst: int = BURST) -> None:
        self.interval = 60.0 / per_minute
        self.burst = burst
        self._lock = threading.Lock()
        self._tat: float | None = None  # the theoretical arrival time of the next request

    def reserve(self, now: float) -> float:
        """Reserve the next request's slot; returns how long to wait before sending it."""
        with self._lock:
            tat = now if self._tat is None else max(self._tat, now)
            wait = max(0.0, tat - (self.burst - 1) * self.interval - now)
            self._tat = tat + self.interval
            return wait


_pacers: dict[tuple[str, int, int], RatePacer] = {}
_pacers_lock = threading.Lock()


def pacer_for(base_url: str, per_minute: int, burst: int = RatePacer.BURST) -> RatePacer:
    """The process-wide pacer of one API account (by base URL), or with `burst` = 1 of one strict per-endpoint limit.

    A burst of 1 spaces every request 60/rate apart, so no rolling minute ever holds more than
    `per_minute` of them (Zendesk's incremental exports allow 10 a minute and count any minute).
    """
    with _pacers_lock:
        return _pacers.setdefault((base_url, per_minute, burst), RatePacer(per_minute, burst))


class Budget:
    """One pair's allowance: a deadline on the limits' clock, and a count of the requests sent against it."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = limits.clock() + limits.pair_seconds
        self._lock = threading.Lock()
        self.calls: dict[str, int] = {}

    def remaining(self) -> float:
        return self.deadline - self.limits.clock()

    def count(self, host: str) -> None:
        with self._lock:
            self.calls[host] = self.calls.get(host, 0) + 1


def retry_after(response: requests.Response) -> float | None:
    """Seconds the server asked us to wait: Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3)."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class RetryingAdapter(BaseAdapter):
    """Sends through `inner`, retrying what is safe to retry within the pair's budget."""

    def __init__(self, inner: BaseAdapter, budget: Budget, name: str, pacers: tuple[RatePacer, ...] = ()) -> None:
        super().__init__()
        self.inner, self.budget, self.name, self.pacers = inner, budget, name, pacers

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None, verify: Any = True,
             cert: Any = None, proxies: Any = None) -> requests.Response:
        limits = self.budget.limits
        idempotent = request.method in ("GET", "HEAD")
        attempt = 0
        while True:
            if self.pacers:
                now = limits.clock()
                pause = max(pacer.reserve(now) for pacer in self.pacers)
                if pause >= self.budget.remaining():
                    raise OutOfTime(f"{self.name}: the rate limit leaves no time for this pair")
                if pause > 0:
                    limits.sleep(pause)
            left = self.budget.remaining()
            if left <= 0:
                raise OutOfTime(f"{self.name}: no time left for this pair")
            self.budget.count(self.name)
            try:
                response = self.inner.send(request, stream=stream, timeout=min(limits.request_seconds, left),
                                           verify=verify, cert=cert, proxies=proxies)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout):
                wait = 0.5 * 2**attempt
                if not idempotent or attempt >= limits.retries or wait >= self.budget.remaining():
                    raise
                limits.sleep(wait)
                attempt += 1
                continue
            if response.status_code in RETRYABLE and idempotent and attempt < limits.retries:
                wait = retry_after(response)
                wait = 0.5 * 2**attempt if wait is None else wait
                if wait < self.budget.remaining():
                    response.close()
                    limits.sleep(wait)
                    attempt += 1
                    continue
            return response

    def close(self) -> None:
        self.inner.close()


class WsgiAdapter(BaseAdapter):
    """A requests adapter answered by a WSGI app in this process (holds no per-request state: thread-safe)."""

    def __init__(self, app: WSGIApplication) -> None:
        super().__init__()
        self.app = app

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None, verify: Any = True,
             cert: Any = None, proxies: Any = None) -> requests.Response:
        parts = urlsplit(request.url or "")
        body = request.body.encode("utf-8") if isinstance(request.body, str) else (request.body or b"")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("content-length",)}
        builder = EnvironBuilder(path=parts.path or "/", base_url=f"{parts.scheme}://{parts.netloc}",
                                 query_string=parts.query, method=request.method or "GET", headers=headers,
                                 data=body)
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        app_iter, status, response_headers = run_wsgi_app(self.app, environ, buffered=True)
        try:
            content = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()
        response = requests.Response()
        response.status_code = int(status.split(" ", 1)[0])
        response.reason = status.split(" ", 1)[1] if " " in status else ""
        response.headers = CaseInsensitiveDict(dict(response_headers.items()))
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(content)
        response._content = content
        response.url = request.url or ""
        response.request = request
        response.connection = self  # type: ignore[attr-defined]
        return response

    def close(self) -> None:
        """Nothing to release."""


class _Refuse(BaseAdapter):
    """Any URL but the source's own: refused, so an in-process run never reaches the network."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        raise requests.exceptions.ConnectionError(f"not the configured source: {urlsplit(request.url or '').netloc}")

    def close(self) -> None:
        """Nothing to release."""


def session_for(base_url: str, budget: Budget, name: str, app: WSGIApplication | None = None,
                per_minute: int | None = None, endpoint_per_minute: int | None = None) -> requests.Session:
    """A session whose requests to `base_url` go through the pacers and the retry policy, over HTTP or (with `app`) in process.

    `per_minute` paces the account; `endpoint_per_minute` also paces these requests strictly (burst 1)
    under an endpoint's own limit, e.g. Zendesk's incremental export.
    """
    session = requests.Session()
    parts = urlsplit(base_url)
    inner: BaseAdapter = WsgiAdapter(app) if app is not None else HTTPAdapter(max_retries=0)
    if app is not None:
        session.mount("http://", _Refuse())
        session.mount("https://", _Refuse())
    # In process (the embedded default's demo) there is no account whose limit others share: no pacing.
    pacers: tuple[RatePacer, ...] = ()
    if app is None:
        pacers = tuple(p for p in (pacer_for(base_url, per_minute) if per_minute else None,
                                   pacer_for(base_url, endpoint_per_minute, 1) if endpoint_per_minute else None) if p)
    session.mount(f"{parts.scheme}://{parts.netloc}/", RetryingAdapter(inner, budget, name, pacers))
    return session
