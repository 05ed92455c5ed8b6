"""The emulators against real captured API answers (tests/workdata/captures/, each naming its source).

Two directions: the emulators' answers have the captured shapes (keys, envelopes, headers), and
Docket's seams read the captured answers themselves, replayed byte for byte, the way they read
the emulators'.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.wrappers import Request, Response

from service.emulator.rest_faults import RestFaults
from service.workdata import gitlab as gitlab_seam
from service.workdata.config import GitLabConfig, ZendeskInstance
from service.workdata.transport import Budget
from service.workdata.zendesk import ZendeskReader

from .conftest import API_EMAIL, GITLAB_TOKEN, SAM, TOKEN, gitlab_app, served, zendesk_app

CAPTURES = Path(__file__).parent / "captures"


def capture(name: str) -> dict[str, Any]:
    return json.loads((CAPTURES / name).read_text(encoding="utf-8"))


def body(name: str) -> Any:
    return capture(name)["response"]["body"]


def test_every_capture_names_its_source():
    for path in CAPTURES.glob("*.json"):
        source = json.loads(path.read_text(encoding="utf-8"))["source"]
        assert source.get("repository") or source.get("url"), path.name
        assert source.get("note"), path.name


@pytest.fixture
def zendesk_get():
    with served(zendesk_app()) as url:
        yield lambda path, **params: requests.get(url + path, params=params, auth=(f"{API_EMAIL}/token", TOKEN))


# -- Zendesk: shapes ------------------------------------------------------------------------------


def test_ticket_objects_have_the_captured_keys(zendesk_get):
    captured = body("zendesk_tickets_page.json")["tickets"][0]
    ours = zendesk_get("/api/v2/search/export.json", query=f"commenter:{SAM}", **{"filter[type]": "ticket"}).json()["results"][0]
    # Search results add result_type (captured in zendesk_search_export_page.json) to the object Tickets returns.
    assert set(ours) - {"result_type"} == set(captured)
    for key in ("id", "subject", "assignee_id", "updated_at", "status"):
        assert type(ours[key]) is type(captured[key]), key


def test_search_export_page_has_the_captured_envelope(zendesk_get):
    captured = body("zendesk_search_export_page.json")
    ours = zendesk_get("/api/v2/search/export.json", query=f"commenter:{SAM}",
                       **{"filter[type]": "ticket", "page[size]": "1"}).json()
    assert set(ours) == set(captured)
    assert set(ours["meta"]) == set(captured["meta"]) and set(ours["links"]) == set(captured["links"])
    assert (ours["meta"]["has_more"], captured["meta"]["has_more"]) == (True, True)
    assert ours["results"][0]["result_type"] == "ticket"
    assert "page%5Bafter%5D=" in ours["links"]["next"] and "page%5Bafter%5D=" in captured["links"]["next"]


def test_comment_pages_have_the_captured_shape(zendesk_get):
    captured = body("zendesk_comments_page.json")
    ours = zendesk_get("/api/v2/tickets/101/comments.json", include_inline_images="false", **{"page[size]": "100"}).json()
    assert set(ours) == set(captured)
    assert set(ours["meta"]) == set(captured["meta"]) and set(ours["links"]) == set(captured["links"])
    assert set(ours["comments"][0]) == set(captured["comments"][0])
    assert ours["meta"]["has_more"] is False and ours["links"]["next"]  # the captured last page still links onwards


def test_users_have_the_captured_keys(zendesk_get):
    assert set(zendesk_get(f"/api/v2/users/{SAM}.json").json()["user"]) == set(body("zendesk_user.json")["user"])


def test_error_bodies_are_the_captured_ones(zendesk_get):
    missing = zendesk_get("/api/v2/users/42.json")
    assert (missing.status_code, missing.json()) == (404, body("zendesk_not_found.json"))
    invalid = zendesk_get("/api/v2/search.json", query="type:ticket", **{"page[size]": "1"})
    assert invalid.json() == body("zendesk_invalid_attribute.json")


def test_rate_limited_answer_is_the_captured_one():
    captured = capture("zendesk_rate_limited.json")["response"]
    with served(zendesk_app(RestFaults(always=429, retry_after=1))) as url:
        ours = requests.get(f"{url}/api/v2/users/me.json", auth=(f"{API_EMAIL}/token", TOKEN))
    assert ours.status_code == captured["status"]
    assert ours.text == captured["body"] and ours.headers["Content-Length"] == captured["headers"]["Content-Length"]
    assert ours.headers["Content-Type"].split(";")[0] == captured["headers"]["Content-Type"]
    assert ours.headers["Retry-After"] == captured["headers"]["retry-after"]


# -- GitLab: shapes ---------------------------------------------------------------------------------


@pytest.fixture
def gitlab_get():
    with served(gitlab_app()) as url:
        yield lambda path, **params: requests.get(url + path, params=params, headers={"PRIVATE-TOKEN": GITLAB_TOKEN})


def test_merge_requests_are_the_captured_entity_minus_detail_fields(gitlab_get):
    captured = body("gitlab_merge_request.json")
    ours = gitlab_get("/api/v4/merge_requests", scope="all", state="merged").json()[0]
    # The list entity (MergeRequestBasic) is the single merge request without its detail fields.
    detail_only = {"subscribed", "changes_count", "latest_build_started_at", "latest_build_finished_at",
                   "first_deployed_to_production_at", "pipeline", "head_pipeline", "diff_refs", "merge_error",
                   "first_contribution", "user"}
    assert set(ours) == set(captured) - detail_only
    for key in ("merged_at", "web_url", "title", "labels", "references", "author"):
        assert type(ours[key]) is type(captured[key]), key
    assert set(ours["references"]) == set(captured["references"]) and set(ours["author"]) == set(captured["author"])


def test_issues_have_the_captured_keys(gitlab_get):
    captured = body("gitlab_issues_list.json")[0]
    ours = gitlab_get("/api/v4/issues", scope="all").json()[0]
    # The capture is from 2021 on a Premium project: weight and health_status are licensed fields; severity
    # and _links.closed_as_duplicate_of came with later GitLab versions.
    assert set(ours) - {"severity"} == set(captured) - {"weight", "health_status"}
    assert set(ours["_links"]) - {"closed_as_duplicate_of"} == set(captured["_links"])
    assert set(ours["references"]) == set(captured["references"])


# -- The seams read the captured answers themselves ------------------------------------------------


def replay(routes: dict[str, Any]) -> Any:
    """A WSGI app answering each path with a captured body (as JSON), whatever the query."""

    def app(environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        if request.path not in routes:
            return Response("[]", status=200, content_type="application/json")(environ, start_response)
        return Response(json.dumps(routes[request.path]), status=200, content_type="application/json")(environ, start_response)

    return app


def test_the_zendesk_seam_reads_a_captured_comment_page(limits):
    page = body("zendesk_comments_page.json")
    author = page["comments"][0]["author_id"]
    with served(replay({"/api/v2/tickets/33/comments.json": page})) as url:
        reader = ZendeskReader(ZendeskInstance("default", url, API_EMAIL, None, "X"), TOKEN, Budget(limits))
        kept = reader._comments(33, author, datetime(2024, 9, 1, tzinfo=timezone.utc), datetime(2024, 10, 1, tzinfo=timezone.utc))
    assert [(c.ticket_id, c.public, c.created_at.isoformat()) for c in kept] == [(33, True, "2024-09-06T18:52:11+00:00")]


def test_the_gitlab_seam_reads_captured_issues_and_merge_requests(limits):
    routes = {"/api/v4/issues": body("gitlab_issues_list.json"), "/api/v4/merge_requests": [body("gitlab_merge_request.json")]}
    with served(replay(routes)) as url:
        records = gitlab_seam.read(GitLabConfig(url), GITLAB_TOKEN, "superuser", datetime(2016, 3, 1, tzinfo=timezone.utc),
                                   datetime(2023, 7, 1, tzinfo=timezone.utc), Budget(limits))
    assert [(r.kind, r.reference, r.at.isoformat()) for r in records] == [
        ("issue", "saiprakash_maira/testing#4", "2016-03-11T03:45:40+00:00"),
        ("merge_request", "superuser/backporting-example!2", "2023-06-28T14:37:11.667000+00:00"),
    ]
