"""The circuit per Google API: once a call could not reach an API, the next calls to it fail at once for a while."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from service.errors import GoogleUnreachable

API_NAMES = {"docs": "Google Docs", "drive": "Google Drive"}


def api_of(method: str) -> str:
    """"docs" or "drive" from a call's method name ("docs.batchUpdate", "drive.files.list")."""
    return method.partition(".")[0]


@dataclass(frozen=True)
class _Open:
    until: float
    what: str
    reason: str


class Circuit:
    """Open for `cooldown` seconds after a call gave up without ever getting an answer from an API.

    Without it, each document of a weekly run would spend a whole retry budget on an endpoint that
    is down, one after the other. Open, a call fails at once naming the call that could not reach
    the API; after the cooldown the next call tries again (and opens it again if it fails), so a
    long-running service recovers by itself when Google does. Only unreachable counts: an API that
    answers, even 5xx, is up, and a failing document must not fail the others.
    """

    def __init__(self, cooldown: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.cooldown = cooldown
        self.clock = clock
        self._lock = threading.Lock()
        self._open: dict[str, _Open] = {}

    def check(self, method: str, what: str) -> None:
        """Raise GoogleUnreachable, without calling, while the API of `method` is known to be unreachable."""
        api = api_of(method)
        with self._lock:
            state = self._open.get(api)
            if state is None:
                return
            if self.clock() >= state.until:
                del self._open[api]
                return
        raise GoogleUnreachable(f"{API_NAMES.get(api, api)} unreachable: {what} not sent (an earlier {state.what}: "
                                f"{state.reason})")

    def trip(self, method: str, what: str, reason: str) -> GoogleUnreachable:
        """Open the circuit of `method`'s API after `what` gave up unanswered; the error to raise for it."""
        api = api_of(method)
        with self._lock:
            self._open[api] = _Open(self.clock() + self.cooldown, what, reason)
        return GoogleUnreachable(f"{API_NAMES.get(api, api)} unreachable: {what}: {reason}")
