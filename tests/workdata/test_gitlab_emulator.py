"""The GitLab emulator, driven by python-gitlab over HTTP: filters, offset pagination headers, errors, 501s."""

from __future__ import annotations

import gitlab
import pytest
import requests

from service.emulator.rest_faults import RestFaults

from .conftest import END, GITLAB_TOKEN, START, gitlab_app, served

NO_RETRIES = {"obey_rate_limit": False, "retry_transient_errors": False}


@pytest.fixture
def url():
    with served(gitlab_app()) as base:
        yield base


@pytest.fixture
def gl(url):
    return gitlab.Gitlab(url, private_token=GITLAB_TOKEN)


def iso(instant) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_issues_by_author_and_creation_time_inclusive_at_both_ends(gl):
    found = gl.issues.list(scope="all", author_username="sam-lee", created_after=iso(START), created_before=iso(END),
                           order_by="created_at", sort="asc", get_all=True)
    assert [i.iid for i in found] == [501, 502, 503]  # 503 was opened exactly at END: "on or before"
    assert found[0].references["full"] == "gitlab-org/gitlab#501"
    assert found[0].web_url == f"{gl.url}/gitlab-org/gitlab/-/issues/501"


def test_pages_and_headers(gl, url):
    pages = gl.issues.list(scope="all", author_username="sam-lee", per_page=2, iterator=True)
    assert [i.iid for i in pages] == [503, 502, 501, 505]  # newest first by default
    assert (pages.total, pages.total_pages, pages.per_page) == (4, 2, 2)
    first = requests.get(f"{url}/api/v4/issues", params={"scope": "all", "per_page": 2}, headers={"PRIVATE-TOKEN": GITLAB_TOKEN})
    assert (first.headers["X-Page"], first.headers["X-Next-Page"], first.headers["X-Prev-Page"]) == ("1", "2", "")
    assert first.links["next"]["url"].startswith(f"{url}/api/v4/issues?")
    assert "page=2" in first.links["next"]["url"] and "rel=\"last\"" in first.headers["Link"]
    capped = requests.get(f"{url}/api/v4/issues", params={"scope": "all", "per_page": 500}, headers={"PRIVATE-TOKEN": GITLAB_TOKEN})
    assert capped.headers["X-Per-Page"] == "100"  # GitLab caps per_page at 100


def test_merge_requests_merged_and_updated_after(gl):
    found = gl.mergerequests.list(scope="all", state="merged", author_username="sam-lee", updated_after=iso(START),
                                  order_by="updated_at", sort="asc", get_all=True)
    # 903 was merged before START but updated after it: updated_after keeps it, the seam drops it by merged_at.
    assert [m.iid for m in found] == [901, 903, 902]  # by updated_at (901 and 903 tie, then by id)
    assert found[0].merged_at.startswith("2026-11-12T10:00:00")


def test_default_scope_is_the_callers_own(gl):
    assert gl.issues.list(get_all=True) == []  # the token's user (docket-bot) opened nothing


def test_an_unknown_author_matches_nothing_and_the_user_lookup_tells(gl):
    assert gl.issues.list(scope="all", author_username="ghost", get_all=True) == []
    assert gl.users.list(username="ghost", get_all=True) == []
    assert [u.id for u in gl.users.list(username="SAM-LEE", get_all=True)] == [1]  # usernames match case-insensitively


def test_parameter_errors(gl):
    with pytest.raises(gitlab.exceptions.GitlabListError) as caught:
        gl.issues.list(scope="everything", get_all=True, **NO_RETRIES)
    assert caught.value.response_code == 400
    with pytest.raises(gitlab.exceptions.GitlabListError) as caught:
        gl.issues.list(scope="all", author_id=1, author_username="sam-lee", get_all=True, **NO_RETRIES)
    assert "mutually exclusive" in caught.value.error_message


@pytest.mark.parametrize("params, named", [({"milestone": "16.0"}, "milestone"), ({"search": "runner"}, "search"),
                                           ({"pagination": "keyset"}, "keyset")])
def test_unmodelled_filters_answer_501_naming_them(url, params, named):
    response = requests.get(f"{url}/api/v4/issues", params={"scope": "all", **params}, headers={"PRIVATE-TOKEN": GITLAB_TOKEN})
    assert response.status_code == 501 and named in response.json()["message"]


def test_unmodelled_paths_answer_501(url):
    response = requests.get(f"{url}/api/v4/projects", headers={"PRIVATE-TOKEN": GITLAB_TOKEN})
    assert response.status_code == 501 and "/api/v4/projects" in response.json()["message"]


def test_authentication(url):
    with pytest.raises(gitlab.exceptions.GitlabAuthenticationError):
        gitlab.Gitlab(url, private_token="wrong").issues.list(get_all=True, **NO_RETRIES)
    assert requests.get(f"{url}/api/v4/issues").json() == {"message": "401 Unauthorized"}
    bearer = requests.get(f"{url}/api/v4/user", headers={"Authorization": f"Bearer {GITLAB_TOKEN}"})
    assert bearer.json()["username"] == "docket-bot"


def test_rate_limited_answer(sleeps):
    with served(gitlab_app(RestFaults(requests_per_minute=1, clock=sleeps.clock))) as url:
        ok = requests.get(f"{url}/api/v4/user", headers={"PRIVATE-TOKEN": GITLAB_TOKEN})
        limited = requests.get(f"{url}/api/v4/user", headers={"PRIVATE-TOKEN": GITLAB_TOKEN})
    assert ok.headers["RateLimit-Limit"] == "1" and ok.headers["RateLimit-Remaining"] == "0"
    assert limited.status_code == 429
    assert (limited.text, limited.headers["Retry-After"]) == ("Retry later\n", "60")
    assert limited.headers["Content-Type"].startswith("text/plain")
