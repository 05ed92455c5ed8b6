"""The Zendesk emulator's ticket event export and show_many, driven by zenpy over HTTP, and against real captures.

Captures (tests/workdata/captures/, each naming its source):
- zendesk_ticket_events_page.json: a real ticket event export page, from
  treasure-data/embulk-input-zendesk src/test/resources/data/ticket_events_updated_by_system_records.json;
- zendesk_incremental_time_pages.json: real time-based incremental export pages (per_page=1), from
  facetoe/zenpy tests/test_api/betamax/TicketsIncrementalTest.test_pagination.json.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from service.emulator.zendesk.api import ApiUser, create_zendesk_app
from service.emulator.zendesk.export import ExportLimit
from service.emulator.zendesk.model import Comment, Ticket, User, ZendeskState
from service.workdata.config import ZendeskInstance
from service.workdata.transport import Budget
from service.workdata.unavailable import SourceUnavailable
from service.workdata.zendesk import ZendeskReader, client_for

from .conftest import API_EMAIL, CUSTOMER, END, NOW, OTHER, SAM, START, TOKEN, at, served, zendesk_state

CAPTURES = Path(__file__).parent / "captures"
AS_OF = NOW.timestamp()  # the emulator's "now" for the export


def capture(name: str) -> dict[str, Any]:
    return json.loads((CAPTURES / name).read_text(encoding="utf-8"))


def app(state: ZendeskState | None = None, **kwargs: Any) -> Any:
    kwargs.setdefault("clock", lambda: AS_OF)
    kwargs.setdefault("export_limit", ExportLimit(per_minute=None))
    return create_zendesk_app(state or zendesk_state(), api_users=[ApiUser(API_EMAIL, TOKEN)], **kwargs)


@pytest.fixture
def get():
    with served(app()) as url:
        yield lambda path, email=API_EMAIL, **params: requests.get(url + path, params=params, auth=(f"{email}/token", TOKEN))


def seconds(instant) -> int:
    return int(instant.timestamp())


# -- shapes against the captures ----------------------------------------------------------------


def test_events_have_the_captured_shape(get):
    captured = capture("zendesk_ticket_events_page.json")["response"]["body"]
    ours = get("/api/v2/incremental/ticket_events.json", start_time="0").json()
    assert set(ours) - {"end_of_stream"} == set(captured)  # the capture predates end_of_stream
    event, theirs = ours["ticket_events"][0], captured["ticket_events"][0]
    assert set(event) == set(theirs)
    for key in ("id", "ticket_id", "timestamp", "updater_id", "via", "event_type"):
        assert type(event[key]) is type(theirs[key]), key
    comment = next(c for c in event["child_events"] if c["event_type"] == "Comment")
    assert set(comment) == set(next(c for c in theirs["child_events"] if c["event_type"] == "Comment"))
    create = [c for c in event["child_events"] if c["event_type"] == "Create"]
    captured_creates = [c for c in theirs["child_events"] if c["event_type"] == "Create"]
    assert {frozenset(c) - {"id"} for c in create} <= {frozenset(c) - {"id"} for c in captured_creates} | {
        frozenset({"via", "via_reference_id", "priority", "event_type"})}


def test_comment_events_sideload_carries_the_comment(get):
    page = get("/api/v2/incremental/ticket_events.json", start_time=str(seconds(START)), include="comment_events").json()
    comments = [c for e in page["ticket_events"] for c in e["child_events"] if c["event_type"] == "Comment"]
    assert comments and all({"author_id", "public", "created_at", "body"} <= set(c) for c in comments)
    assert "comment_present" not in comments[0]


def test_time_pages_never_split_a_second_like_the_captured_export():
    captured = capture("zendesk_incremental_time_pages.json")["pages"]
    first = captured[0]["response"]["body"]
    # Captured: per_page=1, yet the page holds all 7 tickets of its second; end_time is one past it.
    assert first["count"] == len(first["tickets"]) == 7 and first["end_time"] == first["tickets"][-1]["generated_timestamp"] + 1
    assert f"start_time={first['end_time']}" in first["next_page"] and first["end_of_stream"] is False
    same_second = at(11)
    comments = [Comment(700 + n, 101, SAM, f"reply {n}", True, same_second) for n in range(3)]
    state = ZendeskState.build(zendesk_state().users.values(), [Ticket(101, "x", CUSTOMER, SAM, at(10))],
                               [Comment(699, 101, CUSTOMER, "help", True, at(10)), *comments,
                                Comment(710, 101, SAM, "later", True, at(12))])
    with served(app(state)) as url:
        auth = (f"{API_EMAIL}/token", TOKEN)
        page = requests.get(url + "/api/v2/incremental/ticket_events.json",
                            params={"start_time": seconds(at(10)) + 1, "per_page": 1}, auth=auth).json()
        assert set(page) - {"ticket_events"} == set(first) - {"tickets"}
        assert [e["timestamp"] for e in page["ticket_events"]] == [seconds(same_second)] * 3
        assert page["count"] == 3 and page["end_time"] == seconds(same_second) + 1 and page["end_of_stream"] is False
        following = requests.get(page["next_page"], auth=auth).json()
        assert [e["timestamp"] for e in following["ticket_events"]] == [seconds(at(12))]
        assert following["end_of_stream"] is True


# -- behaviour through zenpy and Docket's seam --------------------------------------------------


def test_the_seam_pages_to_the_end_and_keeps_only_the_wanted_authors(limits):
    with served(app()) as url:
        budget = Budget(limits)
        reader = ZendeskReader(ZendeskInstance("default", url, API_EMAIL, None, "X"), TOKEN, budget, export=True)
        read = reader.comment_events({SAM}, START, END)
    assert {c.author_id for c in read.comments} == {SAM}
    # Sam's comments in the window: 101 ×3, 102 ×2, 103 ×1, 104 at exactly START, 106 ×3 (not the one at END).
    assert sorted(c.ticket_id for c in read.comments) == [101, 101, 101, 102, 102, 103, 104, 106, 106, 106]
    assert read.seen > len(read.comments)  # customers' and colleagues' comments were read, and dropped


def test_small_pages_are_followed_by_end_time(limits):
    with served(app()) as url:
        client = client_for(ZendeskInstance("default", url, API_EMAIL, None, "X"), TOKEN, Budget(limits))
        page = client.tickets.events(start_time=seconds(START), include=["comment_events"], per_page=2)
        assert len(page.values) == 2 and page.end_of_stream is False
        assert page.end_time == page.values[-1].timestamp + 1


def test_the_last_minute_is_left_out(limits):
    recent = at(20, 9)
    state = ZendeskState.build(zendesk_state().users.values(), [Ticket(101, "x", CUSTOMER, SAM, at(10))],
                               [Comment(699, 101, CUSTOMER, "help", True, at(10)),
                                Comment(700, 101, SAM, "just now", True, recent)])
    with served(app(state, clock=lambda: recent.timestamp() + 30)) as url:
        body = requests.get(url + "/api/v2/incremental/ticket_events.json", params={"start_time": seconds(at(10))},
                            auth=(f"{API_EMAIL}/token", TOKEN)).json()
    assert [e["timestamp"] for e in body["ticket_events"]] == [seconds(at(10))] and body["end_of_stream"] is True


def test_agents_who_are_not_admins_are_refused_403(limits):
    users = [*zendesk_state().users.values(), User(9100, "Agent API", "agent-api@example.com")]
    state = ZendeskState.build(users, zendesk_state().tickets.values(),
                               [c for cs in zendesk_state().comments.values() for c in cs])
    with served(create_zendesk_app(state, api_users=[ApiUser("agent-api@example.com", TOKEN)],
                                   clock=lambda: AS_OF)) as url:
        reader = ZendeskReader(ZendeskInstance("default", url, "agent-api@example.com", None, "X"), TOKEN,
                               Budget(limits), export=True)
        with pytest.raises(SourceUnavailable) as refused:
            reader.comment_events({SAM}, START, END)
        assert refused.value.http_status == 403
        assert reader.tickets([101])[101].assignee_id == SAM  # the agent may still read tickets


def test_ten_requests_a_minute_then_429_with_retry_after(sleeps):
    from service.workdata.config import Limits

    limits = Limits(pair_seconds=300, request_seconds=5, clock=sleeps.clock, sleep=sleeps.sleep)
    with served(app(export_limit=ExportLimit(clock=sleeps.clock))) as url:
        auth = (f"{API_EMAIL}/token", TOKEN)
        answers = [requests.get(url + "/api/v2/incremental/ticket_events.json",
                                params={"start_time": seconds(START)}, auth=auth) for _ in range(11)]
        assert [a.status_code for a in answers] == [200] * 10 + [429]
        assert int(answers[-1].headers["Retry-After"]) >= 1
        assert answers[-1].text == "Number of allowed API requests per minute exceeded"
        # Docket's seam waits as told (the fake clock advances) and gets through.
        reader = ZendeskReader(ZendeskInstance("default", url, API_EMAIL, None, "X"), TOKEN, Budget(limits), export=True)
        assert reader.comment_events({SAM}, START, END).comments
        assert sleeps.slept and max(sleeps.slept) >= 1


@pytest.mark.parametrize("params, status", [
    ({}, 400), ({"start_time": "yesterday"}, 400), ({"start_time": "0", "per_page": "1001"}, 400),
    ({"start_time": str(int(AS_OF) - 10)}, 422), ({"start_time": "0", "include": "users"}, 501),
])
def test_bad_requests_are_refused(get, params, status):
    assert get("/api/v2/incremental/ticket_events.json", **params).status_code == status


def test_the_cursor_variant_is_not_modelled(get):
    answer = get("/api/v2/incremental/ticket_events/cursor.json", start_time="0")
    assert answer.status_code == 501 and "does not model" in answer.json()["description"]


def test_show_many(get, limits):
    body = get("/api/v2/tickets/show_many.json", ids="102,101,999").json()
    assert sorted(t["id"] for t in body["tickets"]) == [101, 102]  # 999 does not exist: left out
    assert get("/api/v2/tickets/show_many.json", ids=",".join(map(str, range(1, 102)))).status_code == 400
    assert get("/api/v2/tickets/show_many.json", ids="1,x").status_code == 400


def test_the_seam_reads_tickets_a_hundred_at_a_time(limits):
    tickets = [Ticket(1000 + n, f"t{n}", CUSTOMER, OTHER, at(9)) for n in range(150)]
    state = ZendeskState.build(zendesk_state().users.values(), tickets, [])
    with served(app(state)) as url:
        budget = Budget(limits)
        found = ZendeskReader(ZendeskInstance("default", url, API_EMAIL, None, "X"), TOKEN, budget).tickets(
            [t.id for t in tickets] + [5])
    assert sorted(found) == [t.id for t in tickets] and budget.calls["zendesk"] == 2


def test_the_seam_reads_the_captured_page_replayed():
    """A real export page (no comment_events sideload, no end_of_stream) read by Docket's seam as it came."""
    captured = capture("zendesk_ticket_events_page.json")["response"]
    payload = json.dumps(captured["body"]).encode()

    def replay(environ, start_response):
        start_response("200 OK", [("Content-Type", captured["headers"]["Content-Type"])])
        return [payload]

    from datetime import datetime, timezone

    end = datetime.fromtimestamp(captured["body"]["end_time"], timezone.utc)
    with served(replay) as url:
        from service.workdata.config import Limits

        reader = ZendeskReader(ZendeskInstance("default", url, API_EMAIL, None, "X"), TOKEN, Budget(Limits()), export=True)
        read = reader.comment_events({374673563333}, end - timedelta(days=1), end)
    assert read.pages == 1 and read.seen == 3 and read.comments == ()  # 3 comment events; no author without the sideload
