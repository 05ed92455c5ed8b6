"""1:1 documents end to end on the emulator, through the real google-api-python-client."""

from __future__ import annotations

from datetime import date

from service.calendar import Week
from service.meetings.one_on_one import OneOnOnes, properties_of
from service.meetings.weekly import run_weekly
from service.google.outline import read_outline
from tests.support.concurrency import run_concurrently


def sam(engine):
    return engine.settings.one_on_ones[0]


def test_first_run_creates_the_doc_with_header_and_section_then_nothing_more(engine, docs, week):
    outcome = OneOnOnes(engine).ensure_week(sam(engine), week)
    assert outcome.action == "created"
    text = docs.text(outcome.document_id)
    # Header from the handbook page.
    for label in ("Very positive", "More positive than usual", "Same as usual", "Not as good as usual", "Not great right now"):
        assert label in text
    assert "Activity links" in text or "Activity Links" in text
    # The section: Berlin pair meets on Tuesdays; week of Wed 2026-11-18 → Tue 2026-11-17.
    assert "2026-11-17" in text
    assert outcome.url.startswith(f"https://docs.google.com/document/d/{outcome.document_id}/edit#heading=h.")

    again = OneOnOnes(engine).ensure_week(sam(engine), week)
    assert (again.action, again.url) == ("present", outcome.url)
    assert docs.text(outcome.document_id) == text


def test_zendesk_user_id_is_in_both_zendesk_links_and_handbook_links_are_absolute(engine, docs, week):
    outcome = OneOnOnes(engine).ensure_week(sam(engine), week)
    links = [s.link for b in __import__("service.google.document_view", fromlist=["x"]).view_blocks(docs.get(outcome.document_id))
             for s in b.spans if s.link]
    assert "https://acme.zendesk.com/agent/users/361234567/assigned_tickets" in links
    assert any(l.startswith("https://acme.zendesk.com/agent/search/1?q=commenter%3A361234567") for l in links)
    assert all(l.startswith("https://") for l in links), links
    assert any(l.startswith("https://handbook.example.com/handbook/support/") for l in links)


def test_doc_is_shared_with_exactly_the_manager_and_the_report(engine, week):
    outcome = OneOnOnes(engine).ensure_week(sam(engine), week)
    people = {(p.type, p.email, p.role) for p in engine.registry.permissions(outcome.document_id) if not p.inherited}
    assert people == {("user", "maria@example.com", "writer"), ("user", "sam@example.com", "writer")}
    # Nobody else reaches it: only Docket's own identity, through the shared drive.
    inherited = {p.email for p in engine.registry.permissions(outcome.document_id) if p.inherited}
    assert inherited <= {engine.google.identity}


def test_next_week_appends_one_section_after_everything_people_typed(engine, docs, google, week):
    first = OneOnOnes(engine).ensure_week(sam(engine), week)
    doc_id = first.document_id
    # Sam types at the very end: a bold link inside the last list (the worst case for inheritance).
    end = read_outline(google, doc_id).end_index
    typed = "Zoë's notes 👩🏽‍💻 with a link"
    google.documents.batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": end - 1}, "text": typed}},
        {"updateTextStyle": {"range": {"startIndex": end - 1, "endIndex": end + 5}, "textStyle": {"bold": True, "link": {"url": "https://example.com/x"}}, "fields": "bold,link"}},
        {"createParagraphBullets": {"range": {"startIndex": end - 1, "endIndex": end}, "bulletPreset": "BULLET_CHECKBOX"}},
    ]}).execute()
    before = docs.get(doc_id)
    before_text = docs.text(doc_id)

    nxt = OneOnOnes(engine).ensure_week(sam(engine), Week.of(date(2026, 11, 25)))
    assert nxt.action == "appended"
    after = docs.get(doc_id)
    after_text = docs.text(doc_id)
    # Everything people typed is still there, in the same place, unchanged.
    assert after_text.startswith(before_text)
    old_content = before["body"]["content"]
    assert after["body"]["content"][: len(old_content) - 1] == old_content[:-1]
    # The new section's heading is a plain heading: no bullet, no bold, no link inherited.
    from service.google.document_view import view_blocks

    blocks = view_blocks(after)
    heading = next(b for b in blocks if "2026-11-24" in b.text)
    assert heading.heading_level == 2 and heading.list_kind is None
    assert all(not s.bold and not s.link for s in heading.spans)
    assert after_text.count("2026-11-24") == 1 and after_text.count("2026-11-17") == 1
    # The paragraph left last (split off Sam's bulleted line) inherits nothing either.
    last = after["body"]["content"][-1]["paragraph"]
    assert "bullet" not in last
    assert last["paragraphStyle"].get("namedStyleType") == "NORMAL_TEXT"
    assert "indentStart" not in last["paragraphStyle"] and "indentFirstLine" not in last["paragraphStyle"]


def test_weekly_job_reports_created_then_present(engine, week):
    first = run_weekly(engine, week)
    assert first.ok
    ones = [o for o in first.outcomes if o.kind == "one_on_one"]
    assert [o.action for o in ones] == ["created", "created"]
    second = run_weekly(engine, week)
    assert {o.action for o in second.outcomes} == {"present"}
    assert [o.url for o in second.outcomes] == [o.url for o in first.outcomes]


def test_concurrent_triggers_leave_one_section_and_agree_on_the_url(engine, settings, emulator_app, docs, week):
    from tests.conftest import google_on
    from service.services import Services

    OneOnOnes(engine).ensure_week(sam(engine), Week.of(date(2026, 11, 11)))  # the doc exists

    def trigger() -> str:
        mine = Services.build(settings, google_on(emulator_app))
        mine.writer.sleep = lambda _s: None
        return OneOnOnes(mine).ensure_week(sam(mine), week).url

    urls = run_concurrently(trigger, 8)
    assert len(set(urls)) == 1 and len(urls) == 8
    doc_id = urls[0].split("/d/")[1].split("/")[0]
    assert docs.text(doc_id).count("2026-11-17") == 1


def test_racing_creators_converge_on_one_document(engine, settings, emulator_app, docs, week):
    from tests.conftest import google_on
    from service.services import Services

    def create():
        mine = Services.build(settings, google_on(emulator_app))
        mine.writer.sleep = lambda _s: None
        return OneOnOnes(mine).ensure_week(sam(mine), week)

    results = run_concurrently(create, 4)
    live = engine.registry.find(properties_of(sam(engine)))
    assert len(live) == 1
    assert {r.document_id for r in results} == {live[0].id}
    assert docs.text(live[0].id).count("2026-11-17") == 1


def test_call_budget_one_read_per_present_section_and_one_write_per_new_one(engine, week):
    pair = sam(engine)
    OneOnOnes(engine).ensure_week(pair, week)
    stats = engine.google.stats
    stats.counts.clear()
    OneOnOnes(engine).ensure_week(pair, week)
    assert stats.counts == {"drive.files.list": 1, "docs.get": 1}
    stats.counts.clear()
    OneOnOnes(engine).ensure_week(pair, Week.of(date(2026, 11, 25)))
    # One masked read to plan, one guarded write, one masked read for the new heading's id
    # (headingId is read-only and batchUpdate replies do not carry it).
    assert stats.counts == {"drive.files.list": 1, "docs.get": 2, "docs.batchUpdate": 1}


def test_first_meeting_of_the_quarter_gets_the_full_career_block(engine, docs):
    pair = sam(engine)
    q = OneOnOnes(engine).ensure_week(pair, Week.of(date(2027, 1, 5)))  # Tue 2027-01-05: first of Q1
    later = OneOnOnes(engine).ensure_week(pair, Week.of(date(2027, 1, 12)))
    text = docs.text(q.document_id)
    first_block = text[text.index("2027-01-05"): text.index("2027-01-12")]
    second_block = text[text.index("2027-01-12"):]
    assert "training plan" in first_block.lower()
    assert "training plan" not in second_block.lower()
    assert "quarter" in second_block.lower()
    assert later.action == "appended"


def test_weekly_warns_when_someone_else_is_a_member_of_the_shared_drive(engine, store, week):
    from tests.conftest import SHARED_DRIVE

    assert run_weekly(engine, week).warnings == ()
    store.add_drive_member(SHARED_DRIVE, "intern@example.com", "reader")
    report = run_weekly(engine, week)
    assert len(report.warnings) == 1
    assert "intern@example.com" in report.warnings[0] and SHARED_DRIVE in report.warnings[0]
    assert report.to_dict()["warnings"] == list(report.warnings)


def test_call_budget_of_the_menu_path_on_a_known_document(engine, week):
    doc_id = OneOnOnes(engine).ensure_week(sam(engine), week).document_id
    engine.google.stats.counts.clear()
    outcome = engine.kinds.ensure_section(engine, doc_id, week, caller="sam@example.com")
    assert outcome.action == "present"
    assert engine.google.stats.counts == {"drive.files.get": 1, "docs.get": 1}
