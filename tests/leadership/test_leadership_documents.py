"""The agenda and confidential docs end to end on the emulator: creation, sharing, weekly sections, exactly once."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.concurrency import run_concurrently

from service.calendar import Week
from service.errors import Forbidden
from service.meetings.leadership import AGENDA, CONFIDENTIAL, Leadership
from service.meetings.weekly import run_weekly
from tests.leadership.conftest import blocks, with_leadership

FIRST_OF_QUARTER = Week.of(date(2026, 10, 7))  # Wed 7 Oct 2026: first meeting of October (and of Q4)


def test_weekly_creates_both_docs_with_kinds_and_a_section_each(leadership, docs, week):
    outcomes = leadership.ensure_week(week)
    assert [(o.kind, o.action) for o in outcomes] == [(AGENDA, "created"), (CONFIDENTIAL, "created")]
    assert docs.ids(AGENDA) == [outcomes[0].document_id]
    assert docs.ids(CONFIDENTIAL) == [outcomes[1].document_id]
    for outcome in outcomes:
        assert outcome.url.startswith(f"https://docs.google.com/document/d/{outcome.document_id}/edit#heading=h.")
        headings = [b.text for b in blocks(docs, outcome.document_id) if b.heading_level == 2]
        assert [h for h in headings if h.startswith("2026-11-18")] == [headings[-1]]


def test_second_run_is_present_and_changes_nothing(leadership, docs, week):
    first = leadership.ensure_week(week)
    before = docs.snapshot()
    again = leadership.ensure_week(week)
    assert [o.action for o in again] == ["present", "present"]
    assert [o.url for o in again] == [o.url for o in first]
    assert docs.snapshot() == before


def test_next_week_appends_one_section_to_each(leadership, docs, week):
    leadership.ensure_week(week)
    outcomes = leadership.ensure_week(Week.of(date(2026, 11, 25)))
    assert [o.action for o in outcomes] == ["appended", "appended"]
    for outcome in outcomes:
        headings = [b.text[:10] for b in blocks(docs, outcome.document_id) if b.heading_level == 2 and b.text[:2] == "20"]
        assert headings == ["2026-11-18", "2026-11-25"]


def _people(engine, doc_id):
    return {(p.type, p.email or p.domain, p.role) for p in engine.registry.permissions(doc_id) if not p.inherited}


MEMBERS = {("user", "vp@example.com", "writer"), ("user", "maria@example.com", "writer")}


def test_by_default_the_organisation_reads_the_agenda_and_only_members_the_confidential_doc(engine, leadership, week):
    # The test roster does not set agenda_open_to_organization: the default is the handbook's open agenda.
    agenda, confidential = leadership.ensure_week(week)
    assert _people(engine, agenda.document_id) == MEMBERS | {("domain", "example.com", "reader")}
    assert _people(engine, confidential.document_id) == MEMBERS
    inherited = {p.email for p in engine.registry.permissions(confidential.document_id) if p.inherited}
    assert inherited <= {engine.google.identity}


def test_the_agenda_can_be_kept_to_the_members(engine, week):
    closed = with_leadership(engine, agenda_open_to_organization=False)
    agenda, confidential = Leadership(closed).ensure_week(week)
    assert _people(engine, agenda.document_id) == MEMBERS
    assert _people(engine, confidential.document_id) == MEMBERS


def test_a_member_added_later_gets_access_next_run(engine, leadership, week):
    agenda, confidential = leadership.ensure_week(week)
    grown = with_leadership(engine, members=(*engine.settings.leadership.members, "dev@example.com"))
    Leadership(grown).ensure_week(week)
    for outcome in (agenda, confidential):
        assert ("user", "dev@example.com", "writer") in _people(engine, outcome.document_id)


def test_agenda_section_follows_the_handbook(leadership, docs):
    agenda, confidential = leadership.ensure_week(FIRST_OF_QUARTER)
    text = docs.text(agenda.document_id)
    week_text = text[text.index("2026-10-07 · "):]
    # The reminder of the guidelines, on one line.
    reminder = next(line for line in week_text.splitlines() if line.startswith("Reminder"))
    assert "FYI" in reminder and "confidential doc" in reminder and "does not make decisions" in reminder
    # Standing items due this week, each by name (the handbook lists them openly); a confidential
    # one points to the confidential doc, where it is discussed.
    assert "Metrics and KPIs" in week_text and "Team building budget" in week_text
    promotions = [line for line in week_text.splitlines() if line.startswith("Upcoming promotions")]
    assert promotions == ["Upcoming promotions (monthly: first meeting of October 2026) — discussed in the confidential doc"]
    assert "Confidential standing items (" not in text
    conf_url = f"https://docs.google.com/document/d/{confidential.document_id}/edit"
    (line,) = [b for b in blocks(docs, agenda.document_id) if b.text.startswith("Upcoming promotions")]
    assert [s.link for s in line.spans if s.text == "confidential doc"] == [conf_url]
    assert line.list_kind == "bullet"
    # The confidential doc lists them too, for the discussion.
    assert "Upcoming promotions" in docs.text(confidential.document_id)
    for heading in ("Standing items", "Agenda", "Notes"):
        assert any(b.heading_level == 3 and b.text == heading for b in blocks(docs, agenda.document_id))
    # The agenda's link to the confidential doc goes to it.
    links = {s.link for b in blocks(docs, agenda.document_id) for s in b.spans if s.link}
    assert f"https://docs.google.com/document/d/{confidential.document_id}/edit" in links


def test_confidential_doc_is_never_printed_by_docs_show(runner, week):
    from service.cli import main

    assert runner.invoke(main, ["weekly", "--date", "2026-10-07"]).exit_code == 0
    listing = runner.invoke(main, ["docs", "list"]).output
    conf_id = next(line.split()[1] for line in listing.splitlines() if line.startswith(CONFIDENTIAL))
    shown = runner.invoke(main, ["docs", "show", conf_id])
    assert "Upcoming promotions" not in shown.output


def test_weekly_job_includes_the_leadership_docs(engine, week):
    report = run_weekly(engine, week)
    assert report.ok
    assert {o.kind for o in report.outcomes} >= {AGENDA, CONFIDENTIAL}


def test_ensure_document_for_a_member_and_refusal_for_anyone_else(engine, leadership, docs, week):
    agenda, _ = leadership.ensure_week(week)
    doc = engine.registry.get(agenda.document_id)
    before = docs.snapshot()
    with pytest.raises(Forbidden):
        engine.kinds.ensure_section(engine, doc.id, Week.of(date(2026, 11, 25)), caller="sam@example.com")
    assert docs.snapshot() == before
    outcome = engine.kinds.ensure_section(engine, doc.id, Week.of(date(2026, 11, 25)), caller="VP@example.com")
    assert outcome.action == "appended" and "#heading=h." in outcome.url
    assert engine.kinds.ensure_section(engine, doc.id, Week.of(date(2026, 11, 25)), caller=None).action == "present"


def test_concurrent_weekly_runs_make_one_pair_of_docs_and_one_section_each(engine, docs, week):
    results = run_concurrently(lambda: Leadership(engine).ensure_week(week), 4)
    assert len(docs.ids(AGENDA)) == 1 and len(docs.ids(CONFIDENTIAL)) == 1
    for doc_id in docs.ids(AGENDA) + docs.ids(CONFIDENTIAL):
        assert [b.text[:10] for b in blocks(docs, doc_id) if b.heading_level == 2 and b.text[:2] == "20"] == ["2026-11-18"]


def test_call_budget_of_a_leadership_week(engine, week):
    Leadership(engine).ensure_week(week)
    stats = engine.google.stats
    stats.counts.clear()
    Leadership(engine).ensure_week(week)
    # Already there: find both docs, list each one's permissions once (sharing + the confidentiality
    # check share the confidential listing), one masked read per doc; no write.
    assert stats.counts == {"drive.files.list": 1, "drive.permissions.list": 2, "docs.get": 2}
    stats.counts.clear()
    Leadership(engine).ensure_week(Week.of(date(2026, 11, 25)))
    # New week: the same, plus one guarded write and one heading-id read per doc.
    assert stats.counts == {"drive.files.list": 1, "drive.permissions.list": 2, "docs.get": 4, "docs.batchUpdate": 2}
