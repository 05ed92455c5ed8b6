"""The HTTP transport's timeouts: a short one to connect, a longer one for each read (httplib2 has one for both)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httplib2


@dataclass(frozen=True)
class Timeouts:
    """Seconds to open a connection (TCP and TLS), and to wait for each read of an answer.

    An endpoint that is down either refuses at once, or never completes the handshake (`connect`
    bounds it), or accepts and never answers (`read` bounds it). A healthy Google starts answering
    within seconds; 30 s leaves room for a large documents.get on a slow day.
    """

    connect: float = 10.0
    read: float = 30.0


def _connecting_with(base: type, read_timeout: float) -> type:
    """`base` (an httplib2 connection class) that connects under its `timeout`, then reads under `read_timeout`."""

    class Connection(base):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            super().connect()
            if self.sock is not None:
                self.sock.settimeout(read_timeout)

    Connection.__name__ = f"Timed{base.__name__}"
    return Connection


class TimedHttp(httplib2.Http):
    """httplib2.Http whose connections use `timeouts.connect` to connect and `timeouts.read` to read."""

    def __init__(self, timeouts: Timeouts = Timeouts()) -> None:
        super().__init__(timeout=timeouts.connect)
        self.timeouts = timeouts
        self._connections = {
            "http": _connecting_with(httplib2.HTTPConnectionWithTimeout, timeouts.read),
            "https": _connecting_with(httplib2.HTTPSConnectionWithTimeout, timeouts.read),
        }

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: Any = None,
                redirections: int = httplib2.DEFAULT_MAX_REDIRECTS, connection_type: Any = None) -> Any:
        if connection_type is None:
            connection_type = self._connections["https" if uri.lower().startswith("https:") else "http"]
        return super().request(uri, method, body, headers, redirections, connection_type)
