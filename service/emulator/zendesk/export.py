"""The Incremental Ticket Event Export: ticket events account-wide, in time-based pages, admin-only, 10 requests a minute.

GET /api/v2/incremental/ticket_events.json?start_time=<unix seconds>[&include=comment_events][&per_page=N]
answers `{"ticket_events": [...], "next_page", "count", "end_of_stream", "end_time"}` as Zendesk
documents it (developer.zendesk.com, "Incremental Exports": "Exporting ticket events",
"Time-based incremental exports"). Modelled:

- Events: one Audit event per comment (the update that added it), `timestamp` the comment's time,
  `updater_id` its author, and child events: a Comment (`comment_present`, `comment_public`, as
  captured in tests/workdata/captures/zendesk_ticket_events_page.json) and, for a ticket's first
  comment, its Create events (subject, requester, assignee, status, priority, group). With
  `include=comment_events` the Comment child carries the comment itself (author_id, body,
  html_body, plain_body, public, attachments, audit_id, created_at), the shape Airbyte's Zendesk
  connector tests use (airbytehq/airbyte, source-zendesk-support unit_tests/test_data/data.py);
  UNCONFIRMED against a captured answer: none with the sideload was found.
- Time-based pages: events with `timestamp >= start_time`, oldest first, up to `per_page`
  (default and maximum 1,000), and never a second split across pages: a page that fills up takes
  every other event of its last second too, as the captured ticket export does
  (zendesk_incremental_time_pages.json). `end_time` is one past the page's last second and
  `next_page` starts there; `end_of_stream` is true when the page holds everything up to now.
  UNCONFIRMED: `end_time` of a last page (we answer one past its last second, or start_time when empty).
- Zendesk leaves out what changed in the minute before the request; so does this (by `clock`).
- Admins only: any other agent gets 403 (the documented "Allowed for: Admins").
- 10 requests a minute per account on these endpoints, beyond it 429 with Retry-After, besides
  the account's own limit (rest_faults).
- 501 for other sideloads and for the cursor-based variant.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from werkzeug.wrappers import Request

from service.emulator.zendesk import errors
from service.emulator.zendesk.model import Comment, ZendeskState, comment_json, zulu

PATH = "/api/v2/incremental/ticket_events.json"
PAGE_MAX = 1000  # documented: up to 1,000 items per page
EXPORT_RATE_LIMIT = 10  # documented: 10 requests a minute to the incremental export endpoints
FRESHNESS_SECONDS = 60  # documented: items changed within the minute before the request are excluded
_VIA_NAMES = {"web": "Web form", "email": "Mail", "api": "Web service"}  # Zendesk's via names in the event stream


@dataclass
class ExportLimit:
    """The export's own rate limit: a rolling minute, like rest_faults' account limit (thread-safe); None: no limit."""

    per_minute: int | None = EXPORT_RATE_LIMIT
    clock: Callable[[], float] = time.monotonic
    _hits: deque = field(default_factory=deque, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def admit(self) -> None:
        """Count one request, or raise Zendesk's 429 with the seconds until a slot frees."""
        if self.per_minute is None:
            return
        with self._lock:
            now = self.clock()
            while self._hits and self._hits[0] <= now - 60:
                self._hits.popleft()
            if len(self._hits) >= self.per_minute:
                raise errors.rate_limited(max(1, int(self._hits[0] + 60 - now + 0.999)))
            self._hits.append(now)


def _via(comment: Comment) -> str:
    return _VIA_NAMES.get(comment.channel, comment.channel.title())


def event_json(comment: Comment, state: ZendeskState, with_comment: bool) -> dict:
    """The Audit event that added `comment`, with its child events."""
    via = _via(comment)
    audit_id = comment.id + 1  # as comment_json's audit_id
    if with_comment:
        child = {**{k: v for k, v in comment_json(comment).items() if k != "metadata"}, "via_reference_id": None,
                 "audit_id": audit_id, "event_type": "Comment"}
    else:
        child = {"id": comment.id, "via": via, "via_reference_id": None, "comment_present": True,
                 "comment_public": comment.public, "event_type": "Comment"}
    children = [child]
    ticket = state.tickets[comment.ticket_id]
    first = state.comments_of(ticket.id)[0]
    if first.id == comment.id:
        created = {"subject": ticket.subject, "requester_id": ticket.requester_id, "assignee_id": ticket.assignee_id,
                   "status": "new", "priority": ticket.priority, "group_id": ticket.group_id}
        children += [{"id": audit_id * 100 + n, "via": via, "via_reference_id": None, key: value, "event_type": "Create"}
                     for n, (key, value) in enumerate(created.items(), start=1)]
    return {"child_events": children, "id": audit_id, "ticket_id": ticket.id,
            "timestamp": int(comment.created_at.timestamp()), "created_at": zulu(comment.created_at),
            "updater_id": comment.author_id, "via": via,
            "system": {"client": None, "location": None, "latitude": None, "longitude": None}, "event_type": "Audit"}


def _whole_seconds(text: str | None, name: str) -> int:
    if text is None or not text.isdigit():
        raise errors.invalid_value(f"{name} must be a Unix time in whole seconds")
    return int(text)


def ticket_events(request: Request, state: ZendeskState, base: str, now: float) -> dict:
    """One page of the export, as of `now` (Unix seconds)."""
    args = request.args
    start = _whole_seconds(args.get("start_time"), "start_time")
    if start > now - FRESHNESS_SECONDS:
        # UNCONFIRMED wording and status: Zendesk refuses a start_time within the last minute.
        raise errors.invalid_value("Too recent start_time. Use a start_time older than 1 minute", 422)
    include = args.get("include")
    if include not in (None, "comment_events"):
        raise errors.unmodelled(f"include={include} on the ticket event export (comment_events is modelled)")
    size = PAGE_MAX
    if "per_page" in args:
        size = _whole_seconds(args.get("per_page"), "per_page")
        if not 1 <= size <= PAGE_MAX:
            raise errors.invalid_value(f"per_page must be between 1 and {PAGE_MAX}")
    visible = [c for c in state.timeline if start <= c.created_at.timestamp() <= now - FRESHNESS_SECONDS]
    page = visible[:size]
    if page:
        last_second = int(page[-1].created_at.timestamp())
        page += [c for c in visible[size:] if int(c.created_at.timestamp()) == last_second]
    more = len(page) < len(visible)
    end_time = int(page[-1].created_at.timestamp()) + 1 if page else start
    keep = {k: v for k, v in args.items() if k != "start_time"}
    return {
        "ticket_events": [event_json(c, state, include == "comment_events") for c in page],
        "next_page": f"{base}{PATH}?{urlencode({**keep, 'start_time': end_time})}",
        "count": len(page),
        "end_of_stream": not more,
        "end_time": end_time,
    }
