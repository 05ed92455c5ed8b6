"""The Zendesk emulator's WSGI app: Zendesk's paths, email/token auth, cursor and offset pagination, error envelopes.

Modelled: GET /api/v2/search/export.json (cursor), GET /api/v2/search.json (offset, 1,000-result
limit), GET /api/v2/tickets/{id}/comments.json (cursor with page[size], offset otherwise),
GET /api/v2/tickets/show_many.json?ids= (up to 100), GET /api/v2/users/{id}.json and /users/me.json,
and the ticket event export (export.py: GET /api/v2/incremental/ticket_events.json, admins only,
its own 10-a-minute limit). Anything else answers 501 naming the request.
Every answer carries the account's rate-limit headers; beyond `requests_per_minute` Zendesk's
429 with Retry-After (see rest_faults).
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from service.emulator.rest_faults import RestFaults
from service.emulator.zendesk import errors, export
from service.emulator.zendesk.errors import ZendeskError
from service.emulator.zendesk.model import Comment, Ticket, ZendeskState, comment_json, ticket_json, user_json
from service.emulator.zendesk.search import parse

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Zendesk's documented account limit on the Enterprise plan; every answer reports it.
DEFAULT_RATE_LIMIT = 700
SEARCH_RESULT_LIMIT = 1000  # search.json answers 422 past the first 1,000 results
EXPORT_PAGE_MAX = 1000  # UNCONFIRMED: Zendesk recommends 100 per export page and caps it; we cap at 1,000
CURSOR_PAGE_MAX = 100
OFFSET_PAGE_MAX = 100
SHOW_MANY_MAX = 100  # documented: show_many takes up to 100 ids


@dataclass(frozen=True)
class ApiUser:
    """Who may call the API: an agent's email, and its token (None: any token is accepted).

    With no ApiUser at all the emulator accepts any email/token pair as the state's first admin
    (`docket emulator` serves the demo that way, whatever [zendesk] email is configured).
    """

    email: str
    token: str | None = None


class ZendeskApp:
    """WSGI callable over one ZendeskState. Build it with create_zendesk_app()."""

    def __init__(self, state: ZendeskState | Callable[[], ZendeskState], api_users: Sequence[ApiUser],
                 export_limit: export.ExportLimit, clock: Callable[[], float]) -> None:
        self._state = state
        self.api_users = {u.email.lower(): u for u in api_users}
        self.export_limit, self.clock = export_limit, clock

    @property
    def state(self) -> ZendeskState:
        return self._state() if callable(self._state) else self._state

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self._dispatch(request)
        except ZendeskError as error:
            response = _error_response(error)
        return response(environ, start_response)

    # -- routing -------------------------------------------------------------------------------

    def _dispatch(self, request: Request) -> Response:
        what = f"{request.method} {request.path}"
        if request.method != "GET":
            raise errors.unmodelled(what)
        self._authenticate(request)
        path = request.path
        parts = path.strip("/").split("/")
        if path == "/api/v2/search/export.json":
            return self._export(request)
        if path == "/api/v2/search.json":
            return self._search(request)
        if path == export.PATH:
            return self._ticket_events(request)
        if path == "/api/v2/tickets/show_many.json":
            return self._show_many(request)
        if len(parts) == 5 and parts[:3] == ["api", "v2", "tickets"] and parts[4] == "comments.json" and parts[3].isdigit():
            return self._comments(request, int(parts[3]))
        if len(parts) == 4 and parts[:3] == ["api", "v2", "users"] and parts[3].endswith(".json"):
            return self._user(request, parts[3][: -len(".json")])
        raise errors.unmodelled(what)

    def _authenticate(self, request: Request) -> None:
        header = request.headers.get("Authorization", "")
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() == "bearer":
            raise errors.unmodelled("OAuth bearer tokens (use email/token authentication)")
        if scheme.lower() != "basic":
            raise errors.unauthenticated()
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise errors.unauthenticated() from None
        login, _, secret = decoded.partition(":")
        email, _, kind = login.partition("/")
        if kind != "token" or not secret:
            raise errors.unauthenticated()
        if not self.api_users:
            user = next((u for u in self.state.users.values() if u.role == "admin"), None)
        else:
            allowed = self.api_users.get(email.lower())
            if allowed is None or (allowed.token is not None and allowed.token != secret):
                raise errors.unauthenticated()
            user = self.state.user_by_email(email)
        if user is None or user.role == "end-user":
            raise errors.forbidden()
        request.environ["zendesk.user_id"] = user.id

    # -- endpoints -----------------------------------------------------------------------------

    def _tickets_for(self, query: str, filtered_type: str | None = None) -> list[Ticket]:
        parsed = parse(query)
        # Search export takes the object type from filter[type]; the query may repeat it, as zenpy's does.
        if (parsed.type or filtered_type) != "ticket":
            raise errors.unmodelled("searches without type:ticket")
        state = self.state
        found = [t for t in state.tickets.values() if parsed.matches(t, state)]
        # Search export is ordered by creation time, newest first (the captured cursor names created_at desc).
        return sorted(found, key=lambda t: (t.created_at, t.id), reverse=True)

    def _export(self, request: Request) -> Response:
        args = request.args
        if args.get("filter[type]") != "ticket":
            if "filter[type]" not in args:
                raise errors.invalid_attribute("filter[type] is required for search export")
            raise errors.unmodelled(f"search export of filter[type]={args.get('filter[type]')}")
        size = _page_size(args.get("page[size]"), default=100, maximum=EXPORT_PAGE_MAX)
        tickets = self._tickets_for(args.get("query", ""), "ticket")
        start = _after(args.get("page[after]"), tickets, lambda t: [t.created_at.timestamp(), t.id], reverse=True)
        page = tickets[start:start + size]
        has_more = start + size < len(tickets)
        base = _base(request)
        state = self.state
        after = _cursor([page[-1].created_at.timestamp(), page[-1].id]) if page and has_more else None
        keep = {k: v for k, v in args.items() if k not in ("page[after]", "page[before]")}
        body = {
            "results": [{**ticket_json(t, state, base), "result_type": "ticket"} for t in page],
            "facets": None,
            "meta": {"has_more": has_more, "after_cursor": after, "before_cursor": None},
            "links": {"prev": None, "next": f"{base}{request.path}?{urlencode({**keep, 'page[after]': after})}" if after else None},
        }
        return _json(body)

    def _search(self, request: Request) -> Response:
        args = request.args
        if any(k.startswith("page[") for k in args):
            # Captured: Zendesk refuses cursor parameters on the offset search (community post 5981990015514).
            raise errors.invalid_attribute("You passed an invalid value for the page attribute. Invalid parameter: "
                                           "page must be an integer from api/v2/search/index")
        page = _positive(args.get("page", "1"), "page")
        per_page = min(_positive(args.get("per_page", "100"), "per_page"), OFFSET_PAGE_MAX)
        if args.get("sort_by") or args.get("sort_order"):
            raise errors.unmodelled("sort_by / sort_order on search")
        tickets = self._tickets_for(args.get("query", ""))
        if (page - 1) * per_page >= SEARCH_RESULT_LIMIT:  # a page past the first 1,000 results
            raise errors.invalid_search("Requested response size was greater than Search Response Limits")
        chunk = tickets[(page - 1) * per_page: page * per_page]
        base = _base(request)
        state = self.state
        more = page * per_page < min(len(tickets), SEARCH_RESULT_LIMIT)
        link = lambda n: f"{base}{request.path}?{urlencode({**dict(args), 'page': n, 'per_page': per_page})}"  # noqa: E731
        body = {"results": [{**ticket_json(t, state, base), "result_type": "ticket"} for t in chunk], "facets": None,
                "next_page": link(page + 1) if more else None, "previous_page": link(page - 1) if page > 1 else None,
                "count": len(tickets)}
        return _json(body)

    def _comments(self, request: Request, ticket_id: int) -> Response:
        state = self.state
        if ticket_id not in state.tickets:
            raise errors.not_found()
        args = request.args
        if "include" in args:
            raise errors.unmodelled(f"include={args['include']} on ticket comments")
        order = args.get("sort_order", "asc")
        if order not in ("asc", "desc"):
            raise errors.invalid_attribute(f"sort_order must be asc or desc, not {order!r}")
        comments = list(state.comments_of(ticket_id))
        if order == "desc":
            comments.reverse()
        base = _base(request)
        if "page[size]" in args or "page[after]" in args:
            size = _page_size(args.get("page[size]"), default=100, maximum=CURSOR_PAGE_MAX)
            key: Callable[[Comment], list[Any]] = lambda c: [c.created_at.timestamp(), c.id]  # noqa: E731
            start = _after(args.get("page[after]"), comments, key, reverse=order == "desc")
            page = comments[start:start + size]
            has_more = start + size < len(comments)
            keep = {k: v for k, v in args.items() if k not in ("page[after]", "page[before]")}
            after = _cursor(key(page[-1])) if page else None
            before = _cursor(key(page[0])) if page else None
            url = lambda k, c: f"{base}{request.path}?{urlencode({**keep, k: c})}" if c else None  # noqa: E731
            # The captured answer carries both links even on its last page (zendesk_comments_page.json).
            return _json({"comments": [comment_json(c) for c in page],
                          "meta": {"has_more": has_more, "after_cursor": after, "before_cursor": before},
                          "links": {"prev": url("page[before]", before), "next": url("page[after]", after)}})
        page_no = _positive(args.get("page", "1"), "page")
        per_page = min(_positive(args.get("per_page", "100"), "per_page"), OFFSET_PAGE_MAX)
        chunk = comments[(page_no - 1) * per_page: page_no * per_page]
        link = lambda n: f"{base}{request.path}?{urlencode({**dict(args), 'page': n})}"  # noqa: E731
        return _json({"comments": [comment_json(c) for c in chunk],
                      "next_page": link(page_no + 1) if page_no * per_page < len(comments) else None,
                      "previous_page": link(page_no - 1) if page_no > 1 else None, "count": len(comments)})

    def _ticket_events(self, request: Request) -> Response:
        state = self.state
        if state.users[request.environ["zendesk.user_id"]].role != "admin":
            raise errors.forbidden()  # documented: "Allowed for: Admins"
        self.export_limit.admit()
        return _json(export.ticket_events(request, state, _base(request), self.clock()))

    def _show_many(self, request: Request) -> Response:
        text = request.args.get("ids", "")
        parts = [p for p in text.split(",") if p]
        if not parts or not all(p.isdigit() for p in parts):
            raise errors.invalid_value("ids must be a comma-separated list of ticket ids")
        if len(parts) > SHOW_MANY_MAX:
            # UNCONFIRMED status and body: Zendesk documents the limit of 100, not its refusal.
            raise errors.invalid_value(f"show_many takes at most {SHOW_MANY_MAX} ids")
        state, base = self.state, _base(request)
        # Tickets the account does not have (deleted, or never there) are left out, as Zendesk does.
        found = [state.tickets[i] for i in dict.fromkeys(int(p) for p in parts) if i in state.tickets]
        return _json({"tickets": [ticket_json(t, state, base) for t in found], "next_page": None,
                      "previous_page": None, "count": len(found)})

    def _user(self, request: Request, which: str) -> Response:
        state = self.state
        if which == "me":
            user = state.users[request.environ["zendesk.user_id"]]
        elif which.isdigit() and int(which) in state.users:
            user = state.users[int(which)]
        else:
            raise errors.not_found()
        return _json({"user": user_json(user, _base(request))})


# -- helpers -------------------------------------------------------------------------------------


def _base(request: Request) -> str:
    return request.host_url.rstrip("/")


def _json(body: dict) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=200, content_type="application/json; charset=utf-8")


def _error_response(error: ZendeskError) -> Response:
    content_type, data = error.encoded()
    response = Response(data, status=error.status, content_type=content_type)
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _positive(text: str, name: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise errors.invalid_attribute(f"You passed an invalid value for the {name} attribute. Invalid parameter: "
                                       f"{name} must be an integer")
    return int(text)


def _page_size(text: str | None, *, default: int, maximum: int) -> int:
    if text is None:
        return default
    size = _positive(text, "page[size]")
    if size > maximum:
        raise errors.invalid_attribute(f"page[size] must be less than or equal to {maximum}")
    return size


def _cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": key}).encode()).decode()


def _after(cursor: str | None, items: list[Any], key: Callable[[Any], list[Any]], *, reverse: bool) -> int:
    """The index of the first item after `cursor` in `items` (sorted by `key`, descending if `reverse`)."""
    if cursor is None:
        return 0
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor.encode()))["after"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise errors.invalid_attribute("page[after] is not a valid cursor") from None
    for index, item in enumerate(items):
        mine = key(item)
        if (mine < position) if reverse else (mine > position):
            return index
    return len(items)


def _render_injected(status: int, retry_after: int | None) -> tuple[list[tuple[str, str]], bytes]:
    error = errors.injected(status, retry_after)
    content_type, data = error.encoded()
    headers = [("Content-Type", content_type)]
    if error.retry_after is not None:
        headers.append(("Retry-After", str(error.retry_after)))
    return headers, data


def _limit_headers(limit: int, remaining: int) -> list[tuple[str, str]]:
    # Both spellings, as captured answers carry them (zendesk_comments_page.json).
    return [("X-Rate-Limit", str(limit)), ("X-Rate-Limit-Remaining", str(remaining)), ("ratelimit-limit", str(limit)),
            ("ratelimit-remaining", str(remaining))]


def create_zendesk_app(state: ZendeskState | Callable[[], ZendeskState], *, api_users: Sequence[ApiUser] = (),
                       faults: RestFaults | None = None, export_limit: export.ExportLimit | None = None,
                       clock: Callable[[], float] = time.time) -> WSGIApplication:
    """The Zendesk emulator over `state` (or a function returning it), behind `faults` (default: Zendesk's rate limit only).

    `export_limit`: the ticket event export's own limit (default: Zendesk's 10 a minute; pass
    ExportLimit(per_minute=None) for none). `clock`: Unix seconds, "now" for the export (it
    leaves out the last minute, as Zendesk does).
    """
    app = ZendeskApp(state, api_users, export_limit or export.ExportLimit(), clock)
    return (faults or RestFaults(requests_per_minute=DEFAULT_RATE_LIMIT)).wrap(app, _render_injected, _limit_headers)  # type: ignore[arg-type]
