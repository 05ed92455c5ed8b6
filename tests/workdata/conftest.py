"""Fixtures for the work data tests: hand-built Zendesk and GitLab states, served over HTTP, and configs pointing at them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timezone
from typing import Any

import pytest
from werkzeug.serving import make_server

from service.emulator.gitlab.api import create_gitlab_app
from service.emulator.gitlab.model import GitLabState, Issue, MergeRequest, Project
from service.emulator.gitlab.model import User as GitLabUser
from service.emulator.rest_faults import RestFaults
from service.emulator.zendesk.api import ApiUser, create_zendesk_app
from service.emulator.zendesk.model import Comment, Ticket, User, ZendeskState
from service.workdata.config import GitLabConfig, Limits, PairSources, WorkDataConfig, ZendeskInstance

SAM = 1001  # the engineer
OTHER = 2002  # a colleague
CUSTOMER = 3003
API_EMAIL = "docket-api@example.com"
TOKEN = "zd-token-1"
GITLAB_TOKEN = "glpat-test"
MEETING = date(2026, 11, 17)  # a Tuesday; Berlin is on CET (UTC+1)
TZ = "Europe/Berlin"
START = datetime(2026, 11, 9, 23, 0, tzinfo=timezone.utc)  # 2026-11-10 00:00 in Berlin
END = datetime(2026, 11, 16, 23, 0, tzinfo=timezone.utc)  # 2026-11-17 00:00 in Berlin
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
# Subjects that would be Markdown, a link or a template if they were not inserted literally.
SUBJECT_101 = "Runner stuck 🏃‍♀️ [urgent](http://evil.example) *now* {{ x }}"
SUBJECT_106 = "Customer Ana Pérez: SAML loop after upgrade"


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=timezone.utc)


def zendesk_state() -> ZendeskState:
    """Sam's week. Candidates: #106 (3, latest Nov 15), #101 (3, Nov 13), #102 (2). Public replies 5 of 9 on assigned."""
    users = [User(SAM, "Sam Lee", "sam@example.com"), User(OTHER, "Priya Nair", "priya@example.com"),
             User(CUSTOMER, "Alex Morgan", "alex@customer.example", role="end-user"),
             User(9000, "Docket API", API_EMAIL, role="admin"), User(9001, "Viewer", "viewer@example.com", role="end-user")]
    tickets = [
        Ticket(101, SUBJECT_101, CUSTOMER, SAM, at(9)),
        Ticket(102, "SAML loop", CUSTOMER, OTHER, at(9)),
        Ticket(103, "Registry cleanup", CUSTOMER, SAM, at(3)),
        Ticket(104, "Midnight edges", CUSTOMER, SAM, at(8)),
        Ticket(105, "Old ticket", CUSTOMER, SAM, at(1, month=10)),
        Ticket(106, SUBJECT_106, CUSTOMER, OTHER, at(9)),
    ]
    c = Comment
    comments = [
        c(10100, 101, CUSTOMER, "help", True, at(9)),
        c(10101, 101, SAM, "reply 1", True, at(11)), c(10102, 101, SAM, "reply 2", True, at(12)),
        c(10103, 101, SAM, "reply 3", True, at(13)),
        c(10200, 102, CUSTOMER, "help", True, at(9)),
        c(10201, 102, SAM, "public", True, at(14)), c(10202, 102, SAM, "internal note", False, at(15)),
        c(10300, 103, CUSTOMER, "help", True, at(3)),
        c(10301, 103, SAM, "before the window", True, at(5)), c(10302, 103, SAM, "in the window", True, at(14)),
        c(10400, 104, CUSTOMER, "help", True, at(8)),
        c(10401, 104, SAM, "exactly 00:00 on the first day", True, START),
        c(10402, 104, SAM, "exactly 00:00 on the meeting day", True, END),
        c(10500, 105, SAM, "long ago", True, at(2, month=10)),
        c(10600, 106, CUSTOMER, "help", True, at(9)),
        c(10601, 106, SAM, "a", True, at(12)), c(10602, 106, SAM, "b", True, at(14)), c(10603, 106, SAM, "c", True, at(15)),
        c(10604, 106, OTHER, "colleague", True, at(16, 5)),
    ]
    return ZendeskState.build(users, tickets, comments)


def gitlab_state() -> GitLabState:
    users = [GitLabUser(1, "sam-lee", "Sam Lee"), GitLabUser(2, "priya", "Priya Nair"), GitLabUser(99, "docket-bot", "Docket")]
    projects = [Project(278964, "gitlab-org/gitlab"), Project(7764, "gitlab-com/content-sites/handbook")]
    issues = [
        Issue(1, 501, 278964, "Runner ignores pull policy", 1, START, ("type::bug",)),
        Issue(2, 502, 278964, "Export audit events as CSV", 1, at(12), ("type::feature",)),
        Issue(3, 503, 278964, "Opened exactly at the end", 1, END, ("type::bug",)),
        Issue(4, 504, 278964, "Someone else's", 2, at(12), ("type::bug",)),
        Issue(5, 505, 278964, "Before the window", 1, at(2), ()),
    ]
    merge_requests = [
        MergeRequest(11, 901, 7764, "Handbook: escalation workflow", 1, at(10), ("documentation",), merged_at=at(12)),
        MergeRequest(12, 902, 278964, "Fix the LDAP sync worker", 1, at(9), ("type::bug",), merged_at=at(13)),
        MergeRequest(13, 903, 278964, "Merged before, touched since", 1, at(1), ("type::bug",), merged_at=at(3),
                     updated_at=at(12)),
        MergeRequest(14, 904, 278964, "Still open", 1, at(12), (), state="opened"),
    ]
    return GitLabState.build(users, projects, issues, merge_requests)


@contextmanager
def served(app: Any) -> Iterator[str]:
    """`app` over HTTP on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class Sleeps:
    """A clock and a sleep for Limits: sleeping advances the clock, so Retry-After is honoured without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


@pytest.fixture(autouse=True)
def fresh_pacers() -> Iterator[None]:
    """Each test starts with no pacer history: pacers are per process and base URL, and test servers reuse ports."""
    from service.workdata import transport

    with transport._pacers_lock:
        transport._pacers.clear()
    yield


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def limits(sleeps: Sleeps) -> Limits:
    return Limits(pair_seconds=60, request_seconds=5, retries=3, workers=3, clock=sleeps.clock, sleep=sleeps.sleep)


def zendesk_app(faults: RestFaults | None = None, state: ZendeskState | None = None) -> Any:
    return create_zendesk_app(state or zendesk_state(), api_users=[ApiUser(API_EMAIL, TOKEN)], faults=faults)


def gitlab_app(faults: RestFaults | None = None) -> Any:
    return create_gitlab_app(gitlab_state(), tokens={GITLAB_TOKEN: 99}, faults=faults)


def config_for(zendesk_url: str | None, gitlab_url: str | None, limits: Limits, *, baseline: int | None = 15,
               gitlab_username: str | None = "sam-lee") -> tuple[WorkDataConfig, PairSources]:
    instance = ZendeskInstance("default", zendesk_url, API_EMAIL, baseline, "DOCKET_ZENDESK_TOKEN") if zendesk_url else None
    config = WorkDataConfig({"default": instance} if instance else {}, GitLabConfig(gitlab_url) if gitlab_url else None,
                            {}, limits)
    return config, PairSources(str(SAM), instance, gitlab_username if gitlab_url else None)


ENV = {"DOCKET_ZENDESK_TOKEN": TOKEN, "DOCKET_GITLAB_TOKEN": GITLAB_TOKEN}


@pytest.fixture
def sources(limits: Limits) -> Callable[..., Any]:
    """Serve both emulators (optionally behind faults) and return (config, pair sources) for them."""

    @contextmanager
    def make(zendesk_faults: RestFaults | None = None, gitlab_faults: RestFaults | None = None, **kwargs: Any) -> Iterator[Any]:
        with served(zendesk_app(zendesk_faults)) as zendesk_url, served(gitlab_app(gitlab_faults)) as gitlab_url:
            config, pair = config_for(zendesk_url, gitlab_url, kwargs.pop("limits", limits), **kwargs)
            yield config, pair

    return make


def with_limits(config: WorkDataConfig, **changes: Any) -> WorkDataConfig:
    return replace(config, limits=replace(config.limits, **changes))
