"""The Zendesk emulator, driven by zenpy over HTTP: search syntax, both paginations, errors, rate limits, 501s."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from zenpy.lib.exception import APIException, RecordNotFoundException

from service.emulator.rest_faults import RestFaults
from service.emulator.zendesk.model import Comment, Ticket, User, ZendeskState
from service.workdata.config import ZendeskInstance
from service.workdata.transport import Budget
from service.workdata.zendesk import client_for

from .conftest import API_EMAIL, CUSTOMER, SAM, TOKEN, at, served, zendesk_app, zendesk_state


@pytest.fixture
def zendesk(limits):
    """(zenpy client, base URL, budget) against the hand-built state over HTTP."""
    with served(zendesk_app()) as url:
        budget = Budget(limits)
        yield client_for(ZendeskInstance("default", url, API_EMAIL, None, "X"), TOKEN, budget), url, budget


def ids(results) -> list[int]:
    return [r.id for r in results]


def test_search_export_pages_with_cursors_newest_first(zendesk):
    client, _url, budget = zendesk
    found = ids(client.search_export(query=f"commenter:{SAM}", type="ticket", cursor_pagination=2))
    assert found == [106, 102, 101, 104, 103, 105]  # created_at desc, then id desc
    assert budget.calls["zendesk"] == 3  # three pages of two; has_more false on the last


@pytest.mark.parametrize("query, expected", [
    (f"commenter:{SAM} updated>=2026-11-09T23:00:00Z", {101, 102, 103, 104, 106}),
    (f"commenter:{SAM} updated>2026-11-16T23:00:00Z", set()),  # #104's last comment is exactly then: not after
    (f"commenter:{SAM} updated>=2026-11-16T23:00:00Z", {104}),
    (f"assignee:{SAM} -commenter:9999", {101, 103, 104, 105}),
    (f"commenter:{SAM} -assignee:{SAM}", {102, 106}),
    ("created<2026-11-08", {103, 105}),  # a UTC day: before 2026-11-08 00:00
    ("created:2026-11-09", {101, 102, 106}),
    ("status<solved", {101, 102, 103, 104, 105, 106}),
    ("status:solved", set()),
    (f'requester:{CUSTOMER} assignee:none', set()),
])
def test_search_syntax(zendesk, query, expected):
    client, _url, _budget = zendesk
    assert set(ids(client.search_export(query=query, type="ticket"))) == expected


@pytest.mark.parametrize("query, named", [
    ("printer fire", "free-text"), ("tags:vip", "'tags'"), ("commenter:sam@example.com", "users are matched by id"),
    ("updated>2hours", "dates as YYYY-MM-DD"),
])
def test_unmodelled_search_terms_answer_501_naming_them(zendesk, query, named):
    client, _url, _budget = zendesk
    with pytest.raises(APIException) as caught:
        list(client.search_export(query=query, type="ticket"))
    assert caught.value.response.status_code == 501
    assert named in caught.value.response.json()["description"]


def test_offset_search_stops_at_1000_results_like_zendesk(limits):
    many = [Ticket(n, f"t{n}", CUSTOMER, SAM, at(1) + timedelta(minutes=n)) for n in range(1, 1106)]
    state = ZendeskState.build([User(9000, "API", API_EMAIL, role="admin"), User(SAM, "Sam", "s@example.com")], many, [])
    with served(zendesk_app(state=state)) as url:
        budget = Budget(limits)
        client = client_for(ZendeskInstance("default", url, API_EMAIL, None, "X"), TOKEN, budget)
        results = client.search(type="ticket", assignee=SAM)
        assert len(results) == 1105  # `count` is the real total
        assert len(list(results)) == 1000  # page 11 answers 422, which zenpy reads as the end
        response = requests.get(f"{url}/api/v2/search.json", params={"query": "type:ticket", "page": 11},
                                auth=(f"{API_EMAIL}/token", TOKEN))
    assert response.status_code == 422
    assert response.json() == {"error": "invalid", "description": "Invalid search: Requested response size was greater "
                                                                  "than Search Response Limits"}


def test_comments_follow_cursor_links(zendesk):
    client, url, _budget = zendesk
    assert [c.id for c in client.tickets.comments(ticket=106)] == [10600, 10601, 10602, 10603, 10604]
    auth = (f"{API_EMAIL}/token", TOKEN)
    page = requests.get(f"{url}/api/v2/tickets/106/comments.json", params={"page[size]": 2}, auth=auth).json()
    seen = [c["id"] for c in page["comments"]]
    while page["meta"]["has_more"]:
        page = requests.get(page["links"]["next"], auth=auth).json()
        seen += [c["id"] for c in page["comments"]]
    assert seen == [10600, 10601, 10602, 10603, 10604]
    newest = requests.get(f"{url}/api/v2/tickets/106/comments.json", params={"sort_order": "desc", "page[size]": 2},
                          auth=auth).json()
    assert [c["id"] for c in newest["comments"]] == [10604, 10603]
    too_big = requests.get(f"{url}/api/v2/tickets/106/comments.json", params={"page[size]": 101}, auth=auth)
    assert too_big.status_code == 400 and too_big.json()["error"]["title"] == "Invalid attribute"


def test_users_and_missing_records(zendesk):
    client, url, _budget = zendesk
    assert client.users(id=SAM).name == "Sam Lee"
    with pytest.raises(RecordNotFoundException):
        client.users(id=123456)
    with pytest.raises(RecordNotFoundException):
        list(client.tickets.comments(ticket=999))


def test_authentication(limits):
    with served(zendesk_app()) as url:
        for email, token, status in ((API_EMAIL, "wrong", 401), ("nobody@example.com", TOKEN, 401)):
            response = requests.get(f"{url}/api/v2/users/me.json", auth=(f"{email}/token", token))
            assert (response.status_code, response.json()) == (status, {"error": "Couldn't authenticate you"})
        assert requests.get(f"{url}/api/v2/users/me.json").status_code == 401
        assert requests.get(f"{url}/api/v2/users/me.json", auth=(f"{API_EMAIL}/token", TOKEN)).json()["user"]["id"] == 9000
    # An end user's credentials are recognised but may not use the agent API.
    state = zendesk_state()
    from service.emulator.zendesk.api import ApiUser, create_zendesk_app

    with served(create_zendesk_app(state, api_users=[ApiUser("viewer@example.com")])) as url:
        response = requests.get(f"{url}/api/v2/users/me.json", auth=("viewer@example.com/token", "any"))
    assert response.status_code == 403 and response.json()["error"] == "Forbidden"


@pytest.mark.parametrize("method, path", [("GET", "/api/v2/tickets.json"), ("POST", "/api/v2/tickets.json"),
                                          ("GET", "/api/v2/incremental/tickets.json"),
                                          ("PUT", "/api/v2/tickets/101.json")])
def test_what_is_not_modelled_answers_501_naming_it(method, path):
    with served(zendesk_app()) as url:
        response = requests.request(method, url + path, auth=(f"{API_EMAIL}/token", TOKEN))
    assert response.status_code == 501
    assert path in response.json()["description"]


def test_every_answer_carries_the_rate_limit_and_beyond_it_429_with_retry_after(sleeps):
    faults = RestFaults(requests_per_minute=2, clock=sleeps.clock)
    auth = (f"{API_EMAIL}/token", TOKEN)
    with served(zendesk_app(faults)) as url:
        first = requests.get(f"{url}/api/v2/users/me.json", auth=auth)
        second = requests.get(f"{url}/api/v2/users/me.json", auth=auth)
        sleeps.now += 20
        third = requests.get(f"{url}/api/v2/users/me.json", auth=auth)
        sleeps.now += 41
        fourth = requests.get(f"{url}/api/v2/users/me.json", auth=auth)
    assert [r.headers["X-Rate-Limit-Remaining"] for r in (first, second)] == ["1", "0"]
    assert first.headers["X-Rate-Limit"] == "2"
    assert third.status_code == 429
    assert third.headers["Retry-After"] == "40"  # the first request leaves the window 60 s after it was made
    assert third.headers["Content-Type"].startswith("text/plain")
    assert third.text == "Number of allowed API requests per minute exceeded"
    assert fourth.status_code == 200
