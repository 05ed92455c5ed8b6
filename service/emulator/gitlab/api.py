"""The GitLab emulator's WSGI app: v4 paths, token auth, offset pagination headers, GitLab's error bodies.

Modelled: GET /api/v4/issues and /api/v4/merge_requests (the filters Docket uses: scope,
author_username / author_id, state, created_/updated_ after/before, labels, order_by, sort,
page, per_page), GET /api/v4/users?username=, GET /api/v4/user. Pagination is GitLab's offset
pagination with its X-Page / X-Per-Page / X-Next-Page / X-Prev-Page / X-Total / X-Total-Pages
headers and a Link header (per_page is capped at 100, as GitLab caps it). Known filters that are
not modelled answer 501 naming them; unknown parameters are ignored, as GitLab's API ignores them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from service.emulator.gitlab.model import GitLabState, Issue, MergeRequest, issue_json, merge_request_json, updated_of, user_json
from service.emulator.rest_faults import RestFaults

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# GitLab.com's documented limit for authenticated API traffic, per user and minute.
DEFAULT_RATE_LIMIT = 2000
PER_PAGE_MAX = 100
_COMMON_UNMODELLED = ("assignee_id", "assignee_username", "milestone", "milestone_id", "search", "in", "iids[]",
                      "my_reaction_emoji", "not", "with_labels_details", "iteration_id", "iteration_title", "epic_id",
                      "weight", "confidential", "due_date", "health_status", "cursor")
_ISSUE_UNMODELLED = ("issue_type",)
_MR_UNMODELLED = ("view", "reviewer_id", "reviewer_username", "source_branch", "target_branch", "wip", "draft",
                  "deployed_before", "deployed_after", "environment", "approved_by_ids", "approver_ids",
                  "merge_user_id", "merge_user_username", "with_merge_status_recheck")


class GitLabError(Exception):
    def __init__(self, status: int, body: dict | str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(str(status))
        self.status, self.body, self.headers = status, body, dict(headers or {})

    def response(self) -> Response:
        if isinstance(self.body, str):
            response = Response(self.body, status=self.status, content_type="text/plain")
        else:
            response = Response(json.dumps(self.body), status=self.status, content_type="application/json")
        response.headers.update(self.headers)
        return response


def _message(status: int, text: str) -> GitLabError:
    # GitLab's API errors: {"message": "<status> <reason>"} (GitLab's REST API docs, "Status codes").
    return GitLabError(status, {"message": text})


def _invalid(name: str, detail: str = "is invalid") -> GitLabError:
    # Parameter validation errors come from Grape as {"error": "<param> is invalid"}.
    return GitLabError(400, {"error": f"{name} {detail}"})


def unmodelled(what: str) -> GitLabError:
    return _message(501, f"501 Not Implemented: the Docket emulator does not model {what}")


class GitLabApp:
    """WSGI callable over one GitLabState. Build it with create_gitlab_app()."""

    def __init__(self, state: GitLabState | Callable[[], GitLabState], tokens: Mapping[str, int] | None,
                 api_user_id: int | None) -> None:
        self._state = state
        self.tokens = tokens
        self.api_user_id = api_user_id

    @property
    def state(self) -> GitLabState:
        return self._state() if callable(self._state) else self._state

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self._dispatch(request)
        except GitLabError as error:
            response = error.response()
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        what = f"{request.method} {request.path}"
        if request.method != "GET":
            raise unmodelled(what)
        caller = self._authenticate(request)
        path = request.path.rstrip("/")
        if path == "/api/v4/issues":
            return self._list(request, caller, self.state.issues, issue_json, _ISSUE_UNMODELLED, merge_requests=False)
        if path == "/api/v4/merge_requests":
            return self._list(request, caller, self.state.merge_requests, merge_request_json, _MR_UNMODELLED,
                              merge_requests=True)
        if path == "/api/v4/users":
            return self._users(request)
        if path == "/api/v4/user":
            user = self.state.users.get(caller)
            if user is None:
                raise _message(404, "404 User Not Found")
            return _json(user_json(user, _base(request)))
        raise unmodelled(what)

    def _authenticate(self, request: Request) -> int:
        token = request.headers.get("PRIVATE-TOKEN") or ""
        scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
        if not token and scheme.lower() == "bearer":
            token = bearer.strip()
        if not token:
            raise _message(401, "401 Unauthorized")
        if self.tokens is not None:
            if token not in self.tokens:
                raise _message(401, "401 Unauthorized")
            return self.tokens[token]
        return self.api_user_id if self.api_user_id is not None else 0

    def _list(self, request: Request, caller: int, items: Iterable[Issue | MergeRequest], render: Callable[..., dict],
              extra_unmodelled: tuple[str, ...], *, merge_requests: bool) -> Response:
        args = request.args
        for name in (*_COMMON_UNMODELLED, *extra_unmodelled):
            if name in args:
                raise unmodelled(f"the `{name}` filter of {request.path}")
        if args.get("pagination") == "keyset":
            raise unmodelled(f"keyset pagination on {request.path}")
        state = self.state
        scope = args.get("scope", "created_by_me")
        if scope not in ("created_by_me", "assigned_to_me", "all"):
            raise _invalid("scope", "does not have a valid value")
        if "author_id" in args and "author_username" in args:
            raise GitLabError(400, {"error": "author_id, author_username are mutually exclusive"})
        states = ("opened", "closed", "locked", "merged", "all") if merge_requests else ("opened", "closed", "all")
        wanted_state = args.get("state", "all")
        if wanted_state not in states:
            raise _invalid("state", "does not have a valid value")
        author: int | None = None
        if "author_id" in args:
            if not args["author_id"].isdigit():
                raise _invalid("author_id")
            author = int(args["author_id"])
        elif "author_username" in args:
            user = state.user_named(args["author_username"])
            author = user.id if user else -1  # an unknown author matches nothing, as in GitLab's finders
        bounds = {name: _time(args, name) for name in ("created_after", "created_before", "updated_after", "updated_before")}
        labels = [label for label in args.get("labels", "").split(",") if label]
        order_by = args.get("order_by", "created_at")
        if order_by not in ("created_at", "updated_at"):
            if order_by in ("title", "priority", "label_priority", "milestone_due", "popularity", "merged_at", "due_date",
                            "relative_position", "weight"):
                raise unmodelled(f"order_by={order_by}")
            raise _invalid("order_by", "does not have a valid value")
        sort = args.get("sort", "desc")
        if sort not in ("asc", "desc"):
            raise _invalid("sort", "does not have a valid value")

        def keep(item: Issue | MergeRequest) -> bool:
            if scope == "created_by_me" and item.author_id != caller:
                return False
            if scope == "assigned_to_me" and not (merge_requests and item.author_id == caller):
                return False  # issues here have no assignees; a merge request is assigned to its author
            if author is not None and item.author_id != author:
                return False
            if wanted_state != "all" and item.state != wanted_state:
                return False
            if labels and not all(label in item.labels for label in labels):
                return False
            # GitLab's after/before filters are inclusive ("on or after", "on or before").
            for name, limit in bounds.items():
                if limit is None:
                    continue
                when = item.created_at if name.startswith("created") else updated_of(item)
                if (name.endswith("after") and when < limit) or (name.endswith("before") and when > limit):
                    return False
            return True

        chosen = [i for i in items if keep(i)]
        key = (lambda i: (i.created_at, i.id)) if order_by == "created_at" else (lambda i: (updated_of(i), i.id))
        chosen.sort(key=key, reverse=sort == "desc")
        return self._page(request, chosen, lambda i: render(i, state, _base(request)))

    def _users(self, request: Request) -> Response:
        args = request.args
        if "search" in args or "external" in args or "active" in args:
            raise unmodelled("user search filters other than username")
        state = self.state
        users = list(state.users.values())
        if "username" in args:
            found = state.user_named(args["username"])
            users = [found] if found else []
        return self._page(request, sorted(users, key=lambda u: u.id), lambda u: user_json(u, _base(request)))

    def _page(self, request: Request, items: list[Any], render: Callable[[Any], dict]) -> Response:
        args = request.args
        page = _int(args, "page", 1)
        per_page = min(_int(args, "per_page", 20), PER_PAGE_MAX)
        total_pages = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        response = _json([render(i) for i in chunk])
        base = f"{_base(request)}{request.path}"
        query = {k: v for k, v in args.items() if k not in ("page", "per_page")}
        link = lambda n: f"{base}?{urlencode({**query, 'page': n, 'per_page': per_page})}"  # noqa: E731
        links = []
        if page > 1:
            links.append(f'<{link(page - 1)}>; rel="prev"')
        if page < total_pages:
            links.append(f'<{link(page + 1)}>; rel="next"')
        links.extend((f'<{link(1)}>; rel="first"', f'<{link(total_pages)}>; rel="last"'))
        response.headers.update({
            "X-Page": str(page), "X-Per-Page": str(per_page), "X-Prev-Page": str(page - 1) if page > 1 else "",
            "X-Next-Page": str(page + 1) if page < total_pages else "", "X-Total": str(len(items)),
            "X-Total-Pages": str(total_pages), "Link": ", ".join(links),
        })
        return response


def _base(request: Request) -> str:
    """The instance's base URL: the request's host plus any relative root in front of /api/v4."""
    root = request.script_root + request.path.split("/api/v4", 1)[0]
    return request.host_url.rstrip("/") + root.rstrip("/")


def _json(body: Any) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=200, content_type="application/json")


def _int(args: Mapping[str, str], name: str, default: int) -> int:
    text = args.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or int(text) < 1:
        raise _invalid(name)
    return int(text)


def _time(args: Mapping[str, str], name: str) -> datetime | None:
    text = args.get(name)
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _invalid(name) from None
    if value.tzinfo is None:
        raise unmodelled(f"{name} without a UTC offset (GitLab reads it in the server's time zone)")
    return value


def _render_injected(status: int, retry_after: int | None) -> tuple[list[tuple[str, str]], bytes]:
    headers: list[tuple[str, str]] = []
    if retry_after is not None:
        headers.append(("Retry-After", str(retry_after)))
    if status == 429:
        # Rack::Attack's throttle answer on GitLab: text/plain "Retry later" with RateLimit-* headers.
        headers += [("Content-Type", "text/plain"), ("RateLimit-Name", "throttle_authenticated_api")]
        return headers, b"Retry later\n"
    reason = {401: "401 Unauthorized", 403: "403 Forbidden", 500: "500 Internal Server Error",
              502: "502 Bad Gateway", 503: "503 Service Unavailable"}.get(status, f"{status} Error")
    # UNCONFIRMED for 502/503: GitLab.com's load balancer may answer these with an HTML page instead.
    return headers + [("Content-Type", "application/json")], json.dumps({"message": reason}).encode()


def _limit_headers(limit: int, remaining: int) -> list[tuple[str, str]]:
    return [("RateLimit-Limit", str(limit)), ("RateLimit-Observed", str(limit - remaining)),
            ("RateLimit-Remaining", str(remaining))]


def create_gitlab_app(state: GitLabState | Callable[[], GitLabState], *, tokens: Mapping[str, int] | None = None,
                      api_user_id: int | None = None, faults: RestFaults | None = None) -> WSGIApplication:
    """The GitLab emulator over `state`; `tokens` maps accepted tokens to user ids (None: any token, as `api_user_id`)."""
    app = GitLabApp(state, tokens, api_user_id)
    return (faults or RestFaults(requests_per_minute=DEFAULT_RATE_LIMIT)).wrap(app, _render_injected, _limit_headers)  # type: ignore[arg-type]
