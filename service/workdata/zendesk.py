"""The Zendesk seam: an engineer's tickets and comments for a period, through zenpy, with every failure translated here.

Call plan, the cheapest that gives the figures. Zendesk has no endpoint listing one author's
comments: comments come per ticket (tickets/{id}/comments) or account-wide (the incremental ticket
event export, admin-only, 10 requests a minute, and every agent's events). So per pair:
1. one search export, `type:ticket commenter:<id> updated>=<period start>`: every ticket they
   commented on that changed since (a superset of those commented on in the period), with
   subject and current assignee; cursor pages of 100;
2. one comments list per such ticket (cursor pages of 100), fetched `Limits.workers` at a time;
3. only when the search finds nothing: the user itself, to tell "no activity" from "no such user".
Roll-up meetings fetch the covering period once; every window is computed from the same data.

The other plan, for a weekly run's many pairs at once (service/workdata/shared_export.py decides
when): the incremental ticket event export with the comment_events sideload, read once per run
and instance (`read_comment_events`: time-based pages of up to 1,000 events, paced strictly under
its own 10-a-minute limit as well as the account's), then per pair only `tickets/show_many.json`
for the subjects and current assignees of the tickets it commented on (`ZendeskReader.tickets`,
100 ids a request). The export's comment bodies are read past, never kept: only who commented,
where, when and whether publicly.

zenpy builds URLs as https://<subdomain>.<domain>: a base URL is split at its first dot and the
scheme set on the APIs used, so http://127.0.0.1:PORT (an emulator) works as well as a real account.
zenpy's own 429 wait is disabled (ratelimit_budget=1 makes it raise at once); transport.py retries.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import requests
from zenpy import Zenpy
from zenpy.lib.exception import APIException, RatelimitBudgetExceeded, RecordNotFoundException, ZenpyException

from service.workdata.config import ZendeskInstance
from service.workdata.figures import CommentRecord, TicketRecord, ZendeskActivity
from service.workdata.transport import Budget, session_for
from service.workdata.unavailable import SourceUnavailable, from_status, from_transport, unexpected

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

# zenpy logs whole responses (ticket subjects, comment bodies) at DEBUG, and announces a Retry-After wait it
# never makes here (ratelimit_budget=1) at WARNING: keep its loggers to errors.
logging.getLogger("zenpy").setLevel(logging.ERROR)
T = TypeVar("T")
EXPORT_PAGE_SIZE = 1000  # the export's largest page
SHOW_MANY_IDS = 100  # tickets/show_many.json takes up to 100 ids


def _zulu(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def client_for(instance: ZendeskInstance, token: str, budget: Budget, app: WSGIApplication | None = None, *,
               export: bool = False) -> Any:
    """A zenpy client for `instance` (any base URL) whose requests go through the retry policy and `budget`.

    `export`: a client for the ticket event export, paced under the export's own limit too.
    """
    parts = urlsplit(instance.url)
    subdomain, _, domain = parts.netloc.partition(".")
    session = session_for(instance.url, budget, "zendesk", app, instance.requests_per_minute,
                          instance.export_requests_per_minute if export else None)
    client = Zenpy(subdomain=subdomain, domain=domain, email=instance.email, token=token, session=session,
                   timeout=budget.limits.request_seconds, ratelimit_budget=1, disable_cache=True)
    for api in (client.search_export, client.search, client.tickets, client.users):
        api.protocol = parts.scheme
    return client


class ZendeskReader:
    """Reads one engineer's activity from one Zendesk instance within one pair's budget."""

    def __init__(self, instance: ZendeskInstance, token: str, budget: Budget, app: WSGIApplication | None = None, *,
                 export: bool = False) -> None:
        self.instance, self.token, self.budget, self.app, self.export = instance, token, budget, app, export
        self._local = threading.local()

    def _client(self) -> Any:
        """A zenpy client per thread: zenpy's API objects keep per-call state."""
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = client_for(self.instance, self.token, self.budget, self.app, export=self.export)
        return client

    def activity(self, user_id: int, start: datetime, end: datetime, first: datetime | None = None) -> ZendeskActivity:
        """Tickets `user_id` commented on since `start`, and their comments made in [start, end).

        Comments on tickets changed since `first` (the week, in a roll-up meeting) are read first; if
        the older ones cannot be read in time, the activity is complete from `first` only
        (`complete_from`), so a roll-up that does not fit the budget never costs the week its figures.
        """
        first = max(first or start, start)
        found = self._translated(lambda: list(self._client().search_export(
            query=f"commenter:{user_id} updated>={_zulu(start)}", type="ticket")))
        tickets = {int(t.id): TicketRecord(int(t.id), str(t.subject or ""), t.assignee_id, _instant(t.updated_at))
                   for t in found}
        if not tickets:
            self.check_user(user_id)
            return ZendeskActivity({}, (), start)
        recent = sorted(t for t, record in tickets.items() if record.updated_at >= first)
        older = sorted(t for t, record in tickets.items() if record.updated_at < first)
        comments = self._translated(lambda: self._comments_of(recent, user_id, start, end))
        complete_from = start
        if older:
            try:
                comments += self._translated(lambda: self._comments_of(older, user_id, start, end))
            except SourceUnavailable:
                complete_from = first
        return ZendeskActivity(tickets, tuple(comments), complete_from)

    def _translated(self, work: Callable[[], T]) -> T:
        """Run `work`, turning every failure zenpy or requests can raise into a SourceUnavailable."""
        limits = self.budget.limits
        try:
            return work()
        except SourceUnavailable:
            raise
        except RecordNotFoundException:
            raise from_status(404, 0, self.instance.token_env) from None
        except RatelimitBudgetExceeded:
            raise from_status(429, limits.retries, self.instance.token_env) from None
        except APIException as error:
            status = getattr(getattr(error, "response", None), "status_code", 0)
            raise from_status(status, limits.retries, self.instance.token_env) from None
        except requests.exceptions.HTTPError as error:
            status = error.response.status_code if error.response is not None else 0
            raise from_status(status, limits.retries, self.instance.token_env) from None
        except requests.exceptions.RequestException as error:
            raise from_transport(error, limits.pair_seconds, limits.request_seconds) from None
        except (ZenpyException, ValueError, KeyError, TypeError, AttributeError) as error:
            raise unexpected(error) from None

    def _comments_of(self, ticket_ids: list[int], user_id: int, start: datetime, end: datetime) -> list[CommentRecord]:
        if not ticket_ids:
            return []
        with ThreadPoolExecutor(max_workers=max(1, self.budget.limits.workers), thread_name_prefix="zendesk") as pool:
            lists = list(pool.map(lambda tid: self._comments(tid, user_id, start, end), ticket_ids))
        return [c for batch in lists for c in batch]

    def _comments(self, ticket_id: int, user_id: int, start: datetime, end: datetime) -> list[CommentRecord]:
        kept: list[CommentRecord] = []
        for comment in self._client().tickets.comments(ticket=ticket_id):
            if comment.author_id != user_id:
                continue
            created = _instant(comment.created_at)
            if start <= created < end:
                kept.append(CommentRecord(ticket_id, user_id, bool(comment.public), created))
        return kept

    def check_user(self, user_id: int) -> None:
        """Tell "no activity" from "no such user": raises SourceUnavailable for a user the instance does not have."""

        def look() -> None:
            try:
                self._client().users(id=user_id)
            except RecordNotFoundException:
                raise SourceUnavailable(f"no user {user_id} in {self.instance.url}") from None

        self._translated(look)

    def tickets(self, ids: Iterable[int]) -> dict[int, TicketRecord]:
        """Subject and current assignee of these tickets (show_many, 100 ids a request); deleted ones are left out."""
        wanted = sorted(set(ids))
        found: dict[int, TicketRecord] = {}
        for first in range(0, len(wanted), SHOW_MANY_IDS):
            chunk = wanted[first:first + SHOW_MANY_IDS]
            for t in self._translated(lambda chunk=chunk: list(self._client().tickets(ids=chunk))):
                found[int(t.id)] = TicketRecord(int(t.id), str(t.subject or ""), t.assignee_id, _instant(t.updated_at))
        return found

    def comment_events(self, authors: Collection[int], start: datetime, end: datetime) -> CommentEvents:
        """The comments `authors` made in [start, end), from the account's ticket event export (admins only).

        Time-based pages: each next request starts at the previous page's end_time, until a page
        reaches `end` or the end of the stream. Events repeated across pages are counted once (by
        the comment's id). Bodies, and every other author's comments, are counted and dropped.
        """
        kept: dict[int, CommentRecord] = {}
        seen: set[int] = set()
        cursor, stop = int(start.timestamp()), end.timestamp()
        pages = 0
        while True:
            page = self._translated(lambda cursor=cursor: self._client().tickets.events(
                start_time=cursor, include=["comment_events"], per_page=EXPORT_PAGE_SIZE))
            pages += 1
            for event in page.values or ():
                self._translated(lambda event=event: _keep_comments(event, authors, start, end, kept, seen))
            # Answers from before end_of_stream existed lack it (zendesk_ticket_events_page.json): then end_time decides.
            end_time, done = getattr(page, "end_time", None), getattr(page, "end_of_stream", False) is True
            if not isinstance(end_time, int):
                raise SourceUnavailable("unexpected answer (the ticket event export has no end_time)")
            if done or end_time >= stop:
                return CommentEvents(tuple(sorted(kept.values(), key=lambda c: (c.created_at, c.ticket_id))), pages,
                                     len(seen))
            if end_time <= cursor:
                raise SourceUnavailable("unexpected answer (the ticket event export did not move on)")
            cursor = end_time


@dataclass(frozen=True)
class CommentEvents:
    """What one read of the ticket event export kept: the wanted authors' comments, and counts of what it read."""

    comments: tuple[CommentRecord, ...]
    pages: int
    seen: int  # comment events read, every author's (their bodies were never kept)


def _keep_comments(event: Any, authors: Collection[int], start: datetime, end: datetime,
                   kept: dict[int, CommentRecord], seen: set[int]) -> None:
    """Keep the wanted authors' comments of one ticket event; remember every comment's id, nothing else of it."""
    for child in event.child_events or ():
        if child.get("event_type") != "Comment":
            continue
        comment_id = int(child["id"])
        seen.add(comment_id)
        author = child.get("author_id")
        if author not in authors or comment_id in kept:
            continue
        created = _instant(child["created_at"])
        if start <= created < end:
            kept[comment_id] = CommentRecord(int(event.ticket_id), int(author), bool(child["public"]), created)


def read(instance: ZendeskInstance, token: str, user_id: int, start: datetime, end: datetime, budget: Budget,
         app: WSGIApplication | None = None, first: datetime | None = None) -> ZendeskActivity:
    """The engineer's Zendesk activity for [start, end) (see ZendeskReader.activity); raises SourceUnavailable."""
    return ZendeskReader(instance, token, budget, app).activity(user_id, start, end, first)

