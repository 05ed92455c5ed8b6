"""The demo data behind the embedded default and `docket emulator`: deterministic, realistic, matching the example team."""

from __future__ import annotations

from datetime import date, datetime, timezone
from importlib import resources

import gitlab
import requests

from service.emulator.bootstrap import open_store
from service.emulator.demo_team import API_USER_EMAIL, TEAM
from service.emulator.gitlab.demo import demo_state as gitlab_demo
from service.emulator.wsgi import create_emulator_app
from service.emulator.workdata_apis import with_work_data_apis
from service.emulator.zendesk.demo import demo_state as zendesk_demo
from service.settings import parse_settings
from service.workdata.config import ZendeskInstance
from service.workdata.transport import Budget
from service.workdata.zendesk import client_for

from .conftest import served


def example_settings(tmp_path):
    import tomllib

    text = (resources.files("service") / "example" / "docket.toml").read_text(encoding="utf-8")
    return parse_settings(tomllib.loads(text), "example", {}, tmp_path)


def test_every_example_pair_is_in_the_demo_worlds(tmp_path):
    settings = example_settings(tmp_path)
    zendesk = zendesk_demo(date(2026, 11, 16))
    world = gitlab_demo(date(2026, 11, 16))
    assert settings.workdata.zendesk["default"].email == API_USER_EMAIL
    for pair in settings.one_on_ones:
        sources = settings.workdata.sources_for(pair.manager, pair.report)
        assert int(sources.zendesk_user_id) in zendesk.users
        assert world.user_named(sources.gitlab_username) is not None
    assert {str(e.zendesk_id) for e in TEAM} == {p.zendesk_user_id for p in settings.one_on_ones}


def test_a_week_is_the_same_whatever_the_anchor_and_cut_at_until():
    early, late = zendesk_demo(date(2026, 11, 16)), zendesk_demo(date(2026, 12, 14))
    week = {t for t, ticket in early.tickets.items() if ticket.created_at.date() == date(2026, 11, 10)}
    assert week and all(early.tickets[t] == late.tickets[t] and early.comments_of(t) == late.comments_of(t) for t in week)
    until = datetime(2026, 11, 12, 12, tzinfo=timezone.utc)
    cut = zendesk_demo(date(2026, 11, 16), until)
    assert all(c.created_at <= until for cs in cut.comments.values() for c in cs)
    assert all(m.merged_at is None or m.merged_at <= until for m in gitlab_demo(date(2026, 11, 16), until).merge_requests)


def test_docket_emulator_serves_zendesk_gitlab_and_google_on_one_port(tmp_path, limits):
    google = create_emulator_app(open_store(tmp_path, shared_drive_id=None))
    app = with_work_data_apis(google, now=datetime(2026, 11, 20, 12, tzinfo=timezone.utc))
    with served(app) as url:
        client = client_for(ZendeskInstance("default", url, "anyone@example.com", None, "X"), "any-token", Budget(limits))
        tickets = list(client.search_export(query=f"commenter:{TEAM[0].zendesk_id} updated>=2026-11-10", type="ticket"))
        issues = gitlab.Gitlab(url, private_token="any").issues.list(scope="all", author_username=TEAM[0].gitlab_username,
                                                                     get_all=True)
        docs = requests.get(f"{url}/v1/documents/nope")
    assert len(tickets) >= 8 and all(t.subject for t in tickets)
    assert issues and all(i.author["username"] == "sam-lee" for i in issues)
    assert docs.status_code == 404 and docs.json()["error"]["status"] == "NOT_FOUND"
