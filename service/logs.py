"""Structured JSON logs for Cloud Logging: one object per line on stdout, with the request's trace and only safe fields.

Cloud Run forwards each stdout line that is a JSON object as a structured entry: `severity`,
`message`, `time` and `logging.googleapis.com/trace` (which ties the line to its request in the
console) are special fields (https://cloud.google.com/logging/docs/structured-logging).

Confidentiality: a log line never carries item text. Messages are Docket's
own format strings with ids and names as arguments; extra fields pass only through the
`SAFE_FIELDS` allow-list; exception *messages* are never written (a third-party message may
quote its input), only the exception type and the stack frames.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

# Fields a caller may attach with `extra={...}`; anything else is dropped, so a careless
# `extra={"text": ...}` cannot leak an item into the logs.
SAFE_FIELDS = frozenset({
    "document_id", "kind", "action", "status", "code", "method", "path", "duration_ms",
    "caller", "date", "mode", "task", "count", "failures", "backend", "queue", "schedule_time",
    "job", "item_id", "exc_type", "week", "webhook",
    # The person acting (a verified email, or the one a link was issued to): who added an item or a section.
    "actor",
})

_SEVERITY = {"DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "WARNING", "ERROR": "ERROR", "CRITICAL": "CRITICAL"}
_TRACE_ID = re.compile(r"^[0-9a-f]{32}$")
_CLOUD_TRACE = re.compile(r"^([0-9a-fA-F]{32})(?:/([0-9]+))?(?:;o=([01]))?$")
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_HANDLER_MARK = "_docket_json_handler"


@dataclass(frozen=True)
class TraceContext:
    """The trace a request belongs to, from `X-Cloud-Trace-Context` or W3C `traceparent`."""

    trace_id: str
    span_id: str | None = None
    sampled: bool | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> TraceContext | None:
        """Parse the trace headers; malformed or all-zero ids are ignored (they are caller input)."""
        traceparent = (headers.get("traceparent") or "").strip().lower()
        match = _TRACEPARENT.match(traceparent)
        if match and set(match.group(1)) != {"0"}:
            return cls(match.group(1), match.group(2), bool(int(match.group(3), 16) & 1))
        cloud = (headers.get("X-Cloud-Trace-Context") or "").strip()
        match = _CLOUD_TRACE.match(cloud)
        if match and set(match.group(1)) != {"0"}:
            sampled = None if match.group(3) is None else match.group(3) == "1"
            # The Cloud header's span id is decimal; Cloud Logging wants 16 hex digits.
            span = f"{int(match.group(2)):016x}" if match.group(2) and int(match.group(2)) < 2**64 else None
            return cls(match.group(1).lower(), span, sampled)
        return None


_current_trace: contextvars.ContextVar[TraceContext | None] = contextvars.ContextVar("docket_trace", default=None)


@contextmanager
def trace_scope(trace: TraceContext | None) -> Iterator[None]:
    """Make `trace` the current request's trace for every log line written inside the block."""
    token = _current_trace.set(trace)
    try:
        yield
    finally:
        _current_trace.reset(token)


def set_trace(trace: TraceContext | None) -> contextvars.Token:
    return _current_trace.set(trace)


def reset_trace(token: contextvars.Token) -> None:
    _current_trace.reset(token)


def _project_id() -> str | None:
    """The Google Cloud project for trace names; Cloud Run does not set it, the deploy does (GOOGLE_CLOUD_PROJECT)."""
    return os.environ.get("GOOGLE_CLOUD_PROJECT") or os.environ.get("GCLOUD_PROJECT") or None


def safe_stack(exc: BaseException) -> str:
    """The exception's type and stack frames, without its message (which may quote user text)."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    return f"Traceback (most recent call last):\n{frames}{type(exc).__module__}.{type(exc).__qualname__}"


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON in Cloud Logging's structured shape."""

    def __init__(self, project: str | None = None) -> None:
        super().__init__()
        self._project = project

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": _SEVERITY.get(record.levelname, "DEFAULT"),
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat().replace("+00:00", "Z"),
            "logger": record.name,
        }
        trace = _current_trace.get()
        if trace is not None and _TRACE_ID.match(trace.trace_id):
            project = self._project or _project_id()
            if project:
                entry["logging.googleapis.com/trace"] = f"projects/{project}/traces/{trace.trace_id}"
            else:
                entry["trace_id"] = trace.trace_id  # still correlates lines when the project is unknown
            if trace.span_id:
                entry["logging.googleapis.com/spanId"] = trace.span_id
            if trace.sampled is not None:
                entry["logging.googleapis.com/trace_sampled"] = trace.sampled
        for name in SAFE_FIELDS:
            value = record.__dict__.get(name)
            if value is not None and isinstance(value, (str, int, float, bool)):
                entry[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            # Error Reporting picks a stack trace up from `stack_trace`; the message is left out.
            entry["stack_trace"] = safe_stack(record.exc_info[1])
            entry.setdefault("exc_type", type(record.exc_info[1]).__qualname__)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the time (so output capture and gunicorn's redirection both work)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure(level: int = logging.INFO, *, project: str | None = None) -> logging.Handler:
    """Install the JSON handler on the root logger once (idempotent); returns it.

    Werkzeug's access log is silenced below WARNING: its lines are not JSON and would print
    manager-link tokens (credentials) in request paths. Docket logs each request itself.
    """
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, _HANDLER_MARK, False):
            return handler
    handler = _StdoutHandler()
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(JsonFormatter(project))
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # The discovery client logs every request URL at INFO; ids only, but noisy.
    logging.getLogger("googleapiclient.discovery").setLevel(logging.WARNING)
    return handler
