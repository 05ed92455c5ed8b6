"""Faults for the REST emulators (Zendesk, GitLab): a per-minute rate limit with Retry-After, injected errors, latency.

A WSGI middleware in front of one emulator app. Each API answers an injected error in its own
shape, so the emulator passes a renderer; this module only decides *when* a request fails.
An injected error changes nothing (the wrapped app is not called).
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# (status, retry_after seconds or None) -> (headers, body): an injected error as the API words it
ErrorRenderer = Callable[[int, "int | None"], "tuple[list[tuple[str, str]], bytes]"]
# (limit, remaining) -> the API's own rate-limit headers, sent on every answer while a limit is set
LimitHeaders = Callable[[int, int], "list[tuple[str, str]]"]

_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 422: "Unprocessable Entity",
            429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
            503: "Service Unavailable", 504: "Gateway Timeout"}


def status_line(code: int) -> str:
    return f"{code} {_REASONS.get(code, 'Error')}"


@dataclass
class RestFaults:
    """When requests fail. Thread-safe; `seed` makes random errors reproducible.

    - `requests_per_minute`: the API's rate limit, counted per rolling minute; a request beyond it
      is answered 429 with `Retry-After` = whole seconds until a slot frees (at least 1).
    - `script`: statuses answered, in order, to the first requests (e.g. (429, 429) then normal; 0 in it
      answers that request normally).
    - `always`: every request is answered with this status (a service that is down).
    - `error_rate` / `error_codes`: that share of requests fails with one of the codes.
    - `retry_after`: the `Retry-After` of injected 429 and 503 answers (None: no header).
    - `latency`: seconds added before every answer (a slow service).
    """

    requests_per_minute: int | None = None
    script: Sequence[int] = ()
    always: int | None = None
    error_rate: float = 0.0
    error_codes: Sequence[int] = (429, 503)
    retry_after: int | None = 1
    latency: float = 0.0
    seed: int | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _hits: deque = field(default_factory=deque, init=False, repr=False)
    _served: int = field(default=0, init=False, repr=False)
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def _decide(self) -> tuple[int | None, int | None, tuple[int, int] | None]:
        """(status to inject or None, its Retry-After, (limit, remaining) while a rate limit is set)."""
        with self._lock:
            index = self._served
            self._served += 1
            if index < len(self.script) and self.script[index]:
                return self.script[index], self.retry_after, None
            if index < len(self.script):
                return None, None, None
            if self.always is not None:
                return self.always, self.retry_after, None
            if self.error_rate and self._random.random() < self.error_rate:
                return self._random.choice(list(self.error_codes)), self.retry_after, None
            if self.requests_per_minute is None:
                return None, None, None
            now = self.clock()
            while self._hits and self._hits[0] <= now - 60:
                self._hits.popleft()
            limit = self.requests_per_minute
            if len(self._hits) >= limit:
                wait = max(1, int(self._hits[0] + 60 - now + 0.999))
                return 429, wait, (limit, 0)
            self._hits.append(now)
            return None, None, (limit, limit - len(self._hits))

    def wrap(self, app: WSGIApplication, render: ErrorRenderer, limit_headers: LimitHeaders) -> WSGIApplication:
        """`app` behind these faults; `render` shapes an injected error, `limit_headers` the quota, as the API would."""

        def faulty(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            if self.latency:
                self.sleep(self.latency)
            status, retry_after, quota = self._decide()
            extra = limit_headers(*quota) if quota is not None else []
            if status is None:
                def with_limits(line: str, headers: list[tuple[str, str]], exc_info: object = None) -> object:
                    return start_response(line, headers + extra)  # type: ignore[arg-type]

                return app(environ, with_limits)  # type: ignore[arg-type]
            headers, body = render(status, retry_after if status in (429, 503) else None)
            start_response(status_line(status), headers + extra + [("Content-Length", str(len(body)))])
            return [body]

        return faulty
