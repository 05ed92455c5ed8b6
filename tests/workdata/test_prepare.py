"""prepare() end to end: zenpy and python-gitlab over HTTP against the emulators, figures, failures, retries, budget."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from service.emulator.rest_faults import RestFaults
from service.workdata import prepare
from service.workdata.figures import WorkData

from .conftest import ENV, MEETING, NOW, SUBJECT_101, SUBJECT_106, TZ, config_for, served, with_limits, zendesk_app


def run(config, pair, *, meeting=MEETING, now=NOW, env=ENV) -> WorkData:
    return prepare(config, pair, meeting, TZ, now, env=env)


def test_week_figures_from_both_sources(sources):
    with sources() as (config, pair):
        work = run(config, pair)
    assert work.unavailable == ()
    (zendesk,) = work.zendesk
    assert [(c.id, c.comments) for c in zendesk.candidates] == [(106, 3), (101, 3), (102, 2)]
    assert zendesk.candidates[0].subject == SUBJECT_106
    assert zendesk.candidates[1].subject == SUBJECT_101
    assert zendesk.candidates[0].url.endswith("/agent/tickets/106")
    # Public replies: #101 ×3, #103, #104 (00:00 on the first day) on Sam's tickets; #102, #106 ×3 on others'.
    assert (zendesk.replies.on_assigned, zendesk.replies.total, zendesk.replies.percent) == (5, 9, 56)
    assert zendesk.tickets_replied == 5
    assert zendesk.weekly_baseline == 15
    (gitlab,) = work.gitlab
    assert [(g.name, [i.reference for i in g.items]) for g in gitlab.groups] == [
        ("Bug reports", ["gitlab-org/gitlab#501"]),
        ("Feature requests", ["gitlab-org/gitlab#502"]),
        ("Documentation updates", ["gitlab-com/content-sites/handbook!901"]),
        ("Bug fixes", ["gitlab-org/gitlab!902"]),
    ]
    assert work.as_of is None  # the week was over when the data was read


def test_a_week_not_yet_over_is_marked_as_of_now(sources):
    early = datetime(2026, 11, 16, 8, 0, tzinfo=timezone.utc)
    with sources() as (config, pair):
        work = run(config, pair, now=early)
    assert work.as_of == early


def test_first_meeting_of_a_quarter_adds_month_and_quarter_rollups_from_the_same_requests(sources):
    with sources() as (config, pair):
        work = run(config, pair, meeting=date(2026, 10, 6))  # a Tuesday, first of October (and of Q4)
    assert [(w.kind, w.label) for w in work.rollups] == [("month", "September 2026"), ("quarter", "Q3 2026")]
    assert len(work.zendesk) == len(work.gitlab) == 3
    assert work.unavailable == ()


def test_a_rollup_that_cannot_be_read_in_time_does_not_cost_the_week_its_figures(sources):
    # The first meeting of December: the week (Nov 24–30) and November. The search answers; every comment
    # list after it fails, and all of this state's tickets changed before the week: only the roll-up needs them.
    with sources(zendesk_faults=RestFaults(script=(0,), always=503, retry_after=0)) as (config, pair):
        work = run(config, pair, meeting=date(2026, 12, 1))
    week, november = work.zendesk
    assert week is not None and week.replies.total == 0 and november is None
    assert work.unavailable == ()
    assert work.warnings("Sam's 1:1") == (
        "Zendesk data for November 2026 unavailable for Sam's 1:1: not all of it could be read within this 1:1's time budget",)


def test_a_pair_without_gitlab_username_reads_only_zendesk(sources):
    with sources(gitlab_username=None) as (config, pair):
        work = run(config, pair)
    assert work.gitlab == () and not work.gitlab_configured
    assert work.zendesk and work.unavailable == ()


@pytest.mark.parametrize("status, words", [
    (503, "was unavailable (HTTP 503, still after 3 retries)"),
    (500, "had an internal error (HTTP 500, still after 3 retries)"),
    (401, "refused the API token (HTTP 401): check DOCKET_ZENDESK_TOKEN and the API user"),
    (403, "refused access to this data (HTTP 403)"),
])
def test_a_failing_zendesk_gives_an_unavailable_line_and_gitlab_still_works(sources, sleeps, status, words):
    with sources(zendesk_faults=RestFaults(always=status, retry_after=2)) as (config, pair):
        work = run(config, pair)
    assert work.zendesk == ()
    assert [(u.source, u.reason) for u in work.unavailable] == [("Zendesk", words)]
    assert work.gitlab  # one source failing does not take the other down
    if status == 503:
        assert sleeps.slept == [2, 2, 2]  # the server's Retry-After, honoured between the retries
    elif status == 500:
        assert sleeps.slept == [0.5, 1.0, 2.0]  # no Retry-After on a 500: exponential backoff
    assert work.warnings("Sam's 1:1") == (f"Zendesk data unavailable for Sam's 1:1: {words}",)


def test_retry_after_is_honoured_and_the_data_arrives(sources, sleeps):
    with sources(zendesk_faults=RestFaults(script=(429, 429), retry_after=7),
                 gitlab_faults=RestFaults(script=(429,), retry_after=3)) as (config, pair):
        work = run(config, pair)
    assert work.unavailable == ()
    assert sorted(sleeps.slept) == [3, 7, 7]
    assert work.zendesk[0].replies.total == 9


def test_rate_limited_past_the_retries(sources, sleeps):
    with sources(zendesk_faults=RestFaults(always=429, retry_after=1)) as (config, pair):
        work = run(with_limits(config, retries=2), pair)
    assert [u.reason for u in work.unavailable] == ["kept rate-limiting Docket (HTTP 429, still after 2 retries)"]
    assert sleeps.slept == [1, 1]


def test_a_retry_after_longer_than_the_pairs_budget_is_not_waited_for(sources, sleeps):
    with sources(zendesk_faults=RestFaults(always=429, retry_after=600)) as (config, pair):
        work = run(config, pair)
    assert sleeps.slept == []
    assert work.unavailable[0].reason.startswith("kept rate-limiting Docket (HTTP 429")


def test_a_real_rate_limit_window_is_waited_out(sources, sleeps):
    # 3 requests a minute on the emulator's (fake) clock: the 4th waits for the window to free a slot.
    faults = RestFaults(requests_per_minute=3, clock=sleeps.clock)
    with sources(zendesk_faults=faults) as (config, pair):
        work = run(with_limits(config, pair_seconds=900), pair)
    assert work.unavailable == ()
    assert sleeps.slept and all(1 <= s <= 60 for s in sleeps.slept)


def test_unknown_users(sources, limits):
    with sources(gitlab_username="nobody-here") as (config, pair):
        pair = type(pair)("424242", pair.zendesk, pair.gitlab_username)
        work = run(config, pair)
    reasons = {u.source: u.reason for u in work.unavailable}
    assert reasons["Zendesk"].startswith("no user 424242 in http://127.0.0.1:")
    assert reasons["GitLab"].startswith("no user 'nobody-here' in http://127.0.0.1:")


def test_no_token_in_the_environment(sources):
    with sources() as (config, pair):
        work = run(config, pair, env={})
    assert [(u.source, u.reason) for u in work.unavailable] == [
        ("Zendesk", "no API token (set DOCKET_ZENDESK_TOKEN)"), ("GitLab", "no API token (set DOCKET_GITLAB_TOKEN)")]


def test_a_wrong_token(sources):
    with sources() as (config, pair):
        work = run(config, pair, env={"DOCKET_ZENDESK_TOKEN": "wrong", "DOCKET_GITLAB_TOKEN": "wrong"})
    reasons = {u.source: u.reason for u in work.unavailable}
    assert reasons == {"Zendesk": "refused the API token (HTTP 401): check DOCKET_ZENDESK_TOKEN and the API user",
                       "GitLab": "refused the API token (HTTP 401): check DOCKET_GITLAB_TOKEN and the API user"}


def test_an_unreachable_source(limits):
    with served(zendesk_app()) as url:
        pass  # the server is gone: its port refuses connections
    config, pair = config_for(url, None, limits)
    work = run(config, pair)
    assert [u.reason for u in work.unavailable] == ["could not be reached"]


def test_a_slow_source_is_cut_off_by_the_time_budget():
    # Real time here: the emulator answers after 3 s, the client waits 0.3 s per request and 1 s per pair.
    from service.workdata.config import Limits

    limits = Limits(pair_seconds=1.0, request_seconds=0.3, retries=1)
    with served(zendesk_app(RestFaults(latency=3.0))) as url:
        config, pair = config_for(url, None, limits)
        work = run(config, pair)
    assert work.zendesk == ()
    assert work.unavailable[0].reason in ("no answer within 0.3 s", "no complete answer within this 1:1's 1 s budget")
