"""Golden tests of the week section's data block, and what it must say, rendered through the real template library.

Regenerate the goldens with DOCKET_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from service.render.templates import TemplateLibrary
from service.workdata import template_context
from service.workdata.figures import (ISSUE, MERGE_REQUEST, GitLabRecord, ReplyShare, TicketCandidate, Unavailable, WorkData,
                                      ZendeskFigures, gitlab_figures)
from service.workdata.window import rollup_windows, week_window
from tests.render.context import week_context
from tests.render.test_one_on_one_golden import GOLDEN as RENDER_GOLDEN
from tests.render.test_one_on_one_golden import dump, snapshot

GOLDEN = Path(__file__).parent / "golden"
WEEK = week_window(date(2026, 11, 24), "Europe/Berlin")
ZD = "https://example.zendesk.com"
TRICKY = "Runner 🏃‍♀️ stuck [urgent](http://evil.example) *now* {{ x }} <b>"


def zendesk(window, candidates=2, on_assigned=7, total=12, replied=11, baseline=15) -> ZendeskFigures:
    chosen = (TicketCandidate(4521, TRICKY, f"{ZD}/agent/tickets/4521", 4, datetime(2026, 11, 20, tzinfo=timezone.utc)),
              TicketCandidate(4519, "SAML sign-in loops", f"{ZD}/agent/tickets/4519", 3, datetime(2026, 11, 19, tzinfo=timezone.utc)),
              TicketCandidate(4400, "Third", f"{ZD}/agent/tickets/4400", 2, datetime(2026, 11, 18, tzinfo=timezone.utc)))
    return ZendeskFigures(window, chosen[:candidates], ReplyShare(on_assigned, total), replied, replied + 2, baseline)


def gitlab(window, empty=False):
    at = window.start + timedelta(days=2, hours=10)
    records = [] if empty else [
        GitLabRecord(ISSUE, "Runner ignores the pull policy", "https://gitlab.com/gitlab-org/gitlab-runner/-/issues/38001",
                     "gitlab-org/gitlab-runner#38001", ("type::bug",), at),
        GitLabRecord(ISSUE, "Export audit events as CSV", "https://gitlab.com/gitlab-org/gitlab/-/issues/512000",
                     "gitlab-org/gitlab#512000", ("type::feature",), at),
        GitLabRecord(MERGE_REQUEST, "Docs: rotate the runner token", "https://gitlab.com/gitlab-org/gitlab/-/merge_requests/170001",
                     "gitlab-org/gitlab!170001", ("documentation",), at),
    ]
    return gitlab_figures(window, records)


CASES = {
    "full": WorkData(WEEK, (), (zendesk(WEEK),), (gitlab(WEEK),), (), True, True),
    "zendesk_down_gitlab_quiet": WorkData(WEEK, (), (), (gitlab(WEEK, empty=True),),
                                          (Unavailable("Zendesk", "was unavailable (HTTP 503, still after 3 retries)"),), True, True),
    "one_candidate_no_replies_no_baseline_gitlab_down": WorkData(
        WEEK, (), (zendesk(WEEK, candidates=1, on_assigned=0, total=0, replied=0, baseline=None),), (),
        (Unavailable("GitLab", "refused the API token (HTTP 401): check DOCKET_GITLAB_TOKEN and the API user"),), True, True,
        as_of=datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)),
    "no_candidates_zendesk_only": WorkData(WEEK, (), (zendesk(WEEK, candidates=0, on_assigned=1, total=1, replied=1),), (), (),
                                           True, False),
}
QUARTER_WEEK = week_window(date(2026, 10, 6), "Europe/Berlin")
QUARTER_ROLLUPS = rollup_windows(date(2026, 10, 6), "Europe/Berlin")
CASES["first_of_quarter_rollups"] = WorkData(
    QUARTER_WEEK, QUARTER_ROLLUPS,
    tuple(zendesk(w, total=40 if w.kind != "week" else 12, on_assigned=25 if w.kind != "week" else 7, replied=44)
          for w in (QUARTER_WEEK, *QUARTER_ROLLUPS)),
    tuple(gitlab(w) for w in (QUARTER_WEEK, *QUARTER_ROLLUPS)), (), True, True)


def render(library: TemplateLibrary, work: WorkData | None, **context):
    return library.render("one_on_one/week.md", {**week_context(**context), "work": template_context(work)})


@pytest.fixture
def library() -> TemplateLibrary:
    return TemplateLibrary()


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_golden(library, case):
    actual = snapshot(render(library, CASES[case]))
    path = GOLDEN / f"week_{case}.json"
    if os.environ.get("DOCKET_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(dump(actual), encoding="utf-8")
    assert actual == json.loads(path.read_text(encoding="utf-8")), f"golden {path.name} differs (DOCKET_UPDATE_GOLDEN=1 to regenerate)"


def test_without_sources_the_section_is_exactly_as_before(library):
    before = json.loads((RENDER_GOLDEN / "one_on_one_week.json").read_text(encoding="utf-8"))
    assert snapshot(render(library, None)) == before


def lines(rendered) -> list[str]:
    return [b.plain for b in rendered.blocks]


def links(rendered) -> dict[str, str]:
    return {s.text: s.link for b in rendered.blocks for s in b.spans if s.link}


def test_the_two_tickets_the_ratio_and_the_baseline(library):
    rendered = render(library, CASES["full"])
    text = lines(rendered)
    assert f"Ticket 1: #4521 {TRICKY}, 4 of their comments" in text
    assert "Ticket 2: #4519 SAML sign-in loops, 3 of their comments" in text
    assert "Public replies on assigned tickets, goal around 50–60% (optional): 58% — 7 of 12 public replies" in text
    assert "Meeting the ticket baseline (optional): 11 tickets publicly replied to, against a baseline of 15" in text
    found = links(rendered)
    assert found[f"#4521 {TRICKY}"] == f"{ZD}/agent/tickets/4521"  # the subject is text, its Markdown inert
    assert "http://evil.example" not in found.values()
    assert found["gitlab-org/gitlab!170001 Docs: rotate the runner token"].endswith("/merge_requests/170001")


def test_an_unavailable_source_keeps_the_lines_to_fill_and_says_why(library):
    text = lines(render(library, CASES["zendesk_down_gitlab_quiet"]))
    assert ["Ticket 1:", "Ticket 2:"] == [t for t in text if t.startswith(("Ticket 1", "Ticket 2"))]
    assert "Zendesk data unavailable: was unavailable (HTTP 503, still after 3 retries)" in text
    assert "From GitLab, 2026-11-17 to 2026-11-23: no issues opened and no merge requests merged." in text


def test_fewer_than_two_candidates_says_so(library):
    one = lines(render(library, CASES["one_candidate_no_replies_no_baseline_gitlab_down"]))
    assert "Ticket 2: only one ticket had more than one of their comments; choose another from the activity links" in one
    assert "Public replies on assigned tickets, goal around 50–60% (optional): no public replies in these 7 days" in one
    assert "Meeting the ticket baseline (optional): 0 tickets publicly replied to" in one
    assert any(t.endswith("(Europe/Berlin), as of 2026-11-23 10:30.") for t in one)  # 09:30 UTC is 10:30 in Berlin
    none = lines(render(library, CASES["no_candidates_zendesk_only"]))
    assert none[none.index("Ticket work") + 2].startswith("Ticket 1: no ticket had more than one of their comments")
    assert "Public replies on assigned tickets, goal around 50–60% (optional): 100% — 1 of 1 public reply" in none


def test_rollups_in_the_first_meeting_of_a_quarter(library):
    rendered = render(library, CASES["first_of_quarter_rollups"], first_of_quarter=True)
    headings = [b.plain for b in rendered.blocks if b.kind == "heading"]
    assert "September 2026 at a glance" in headings and "Q3 2026 at a glance" in headings
    text = lines(rendered)
    assert "Public replies on assigned tickets: 63% — 25 of 40 public replies" in text
    assert "Tickets publicly replied to: 44, 10.3 a week (baseline 15 a week)" in text  # September: 30 days
    assert ("GitLab: 2 issues opened, 1 merge request merged; Bug reports 1, Feature requests 1, "
            "Documentation updates 1") in text


def test_a_rollup_not_read_in_time_says_so_and_the_week_stands(library):
    work = WorkData(QUARTER_WEEK, QUARTER_ROLLUPS[:1], (zendesk(QUARTER_WEEK), None), (), (), True, False)
    text = lines(render(library, work))
    assert "Zendesk: unavailable (not all of it could be read within this 1:1's time budget)" in text
    assert "Ticket 2: #4519 SAML sign-in loops, 3 of their comments" in text
