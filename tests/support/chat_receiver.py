"""A local Google Chat incoming-webhook receiver: a real HTTP server on 127.0.0.1 that Docket's webhook seam posts to.

It behaves as Chat documents spaces.messages.create for what Docket uses: POST
/v1/spaces/SPACE/messages?key=…&token=… with a JSON Message; a wrong key or token is 401; a body
without text is 400; a `requestId` already seen returns the message it made instead of a second
one ("Specifying a request ID makes the request idempotent", chat.v1.json). Tests script faults per
request: an HTTP status (nothing is created), `drop` (the connection closes before any answer,
nothing created) or `lost` (the message IS created, then the connection closes: a lost response).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

SPACE = "AAAAdocket"
KEY = "AIzaSy-test-key-DO-NOT-LEAK"
TOKEN = "tok-SECRET-7f3a-DO-NOT-LEAK"


@dataclass
class Received:
    """One POST as it arrived."""

    path: str
    query: dict[str, list[str]]
    content_type: str
    body: Any


@dataclass
class ChatReceiver:
    server: ThreadingHTTPServer | None = None
    posts: list[Received] = field(default_factory=list)  # every request that arrived
    messages: dict[str, dict] = field(default_factory=dict)  # created messages by name
    by_request_id: dict[str, str] = field(default_factory=dict)
    script: deque = field(default_factory=deque)  # faults for the next requests, in order
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, *, space: str = SPACE, key: str = KEY, token: str = TOKEN) -> str:
        return f"{self.base}/v1/spaces/{space}/messages?key={key}&token={token}"

    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages.values()]

    def fail_next(self, *faults: int | str) -> None:
        self.script.extend(faults)

    def handle(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict] | str:
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        with self.lock:
            self.posts.append(Received(parts.path, query, handler.headers.get("Content-Type", ""), body))
            fault = self.script.popleft() if self.script else None
            if fault == "drop" or isinstance(fault, int):
                return fault if fault == "drop" else (fault, {"error": {"code": fault, "message": "injected",
                                                                        "status": {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                                                                                   503: "UNAVAILABLE"}.get(fault, "INVALID_ARGUMENT")}})
            if parts.path != f"/v1/spaces/{SPACE}/messages":
                return 404, {"error": {"code": 404, "message": "Not found", "status": "NOT_FOUND"}}
            if query.get("key") != [KEY] or query.get("token") != [TOKEN]:
                return 401, {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                       "status": "UNAUTHENTICATED"}}
            if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"]:
                return 400, {"error": {"code": 400, "message": "Message cannot be empty.", "status": "INVALID_ARGUMENT"}}
            request_id = (query.get("requestId") or [None])[0]
            if request_id and request_id in self.by_request_id:
                message = self.messages[self.by_request_id[request_id]]
            else:
                name = f"spaces/{SPACE}/messages/m{len(self.messages) + 1}"
                message = {"name": name, "text": body["text"], "createTime": "2026-11-18T12:00:00.000000Z"}
                self.messages[name] = message
                if request_id:
                    self.by_request_id[request_id] = name
        return "lost" if fault == "lost" else (200, message)


class _Handler(BaseHTTPRequestHandler):
    receiver: ChatReceiver

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        outcome = self.receiver.handle(self)
        if outcome in ("drop", "lost"):
            self.close_connection = True
            self.connection.shutdown(2)  # no status line at all: the client sees the connection go away
            return
        status, body = outcome  # type: ignore[misc]
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def start_receiver() -> ChatReceiver:
    receiver = ChatReceiver()
    handler = type("Handler", (_Handler,), {"receiver": receiver})
    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    return receiver


def stop_receiver(receiver: ChatReceiver) -> None:
    assert receiver.server is not None
    receiver.server.shutdown()
    receiver.server.server_close()
