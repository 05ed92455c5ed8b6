"""Adding discussion and FYI items: order, authors, the FYI prefix, validation before any write, exactly once."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from tests.support.concurrency import run_concurrently

from service.calendar import Week
from service.errors import Forbidden, ValidationError
from service.google.outline import read_outline
from service.meetings.leadership import Leadership, MAX_ITEM_LENGTH
from tests.leadership.conftest import CANARY, agenda_lines, list_items

DAY = "2026-11-18"


def test_items_land_in_order_with_their_authors_and_join_one_numbered_list(leadership, docs, week):
    leadership.ensure_week(week)
    first = leadership.add_item(author="vp@example.com", text="Hiring plan for APAC 🌏", kind="discussion", week=week)
    leadership.add_item(author="maria@example.com", text="  Ticket backlog in EMEA  ", kind="discussion", week=week)
    assert first.created and first.kind == "discussion" and "#heading=h." in first.url
    agenda_id = first.document_id
    assert agenda_lines(docs, agenda_id, DAY) == ["Hiring plan for APAC 🌏 — Valentina Perez", "Ticket backlog in EMEA — María García"]
    items = [b for b in list_items(docs, agenda_id, "Agenda", DAY) if b.text]
    assert {b.list_kind for b in items} == {"number"}
    resource = docs.get(agenda_id)
    list_ids = {p["paragraph"]["bullet"]["listId"] for p in resource["body"]["content"]
                if "paragraph" in p and "bullet" in p["paragraph"]
                and "".join(e.get("textRun", {}).get("content", "") for e in p["paragraph"]["elements"]).rstrip("\n") in
                ("Hiring plan for APAC 🌏 — Valentina Perez", "Ticket backlog in EMEA — María García")}
    assert len(list_ids) == 1  # the second joined the first's list
    # Plain text: no style leaked from the template around it.
    assert all(not s.bold and not s.link for b in items for s in b.spans)


@pytest.mark.parametrize("typed", ["New on-call rota", "FYI: New on-call rota", "fyi new on-call rota", "[FYI] New on-call rota", "FYI - New on-call rota"])
def test_fyi_items_are_prefixed_exactly_once(leadership, docs, week, typed):
    outcome = leadership.add_item(author="vp@example.com", text=typed, kind="fyi", week=week)
    (line,) = agenda_lines(docs, outcome.document_id, DAY)
    assert line.startswith("FYI: ") and line.upper().count("FYI") == 1
    assert line.lower() == "fyi: new on-call rota — valentina perez"


def test_a_week_without_a_section_gets_it_first(leadership, docs):
    later = Week.of(date(2027, 2, 3))
    outcome = leadership.add_item(author="vp@example.com", text="Budget review", kind="discussion", week=later)
    assert agenda_lines(docs, outcome.document_id, "2027-02-03") == ["Budget review — Valentina Perez"]
    assert "Metrics and KPIs" in docs.text(outcome.document_id)


def test_docket_items_go_after_what_people_typed_into_the_list(leadership, docs, google, week):
    outcome = leadership.add_item(author="vp@example.com", text="First", kind="discussion", week=week)
    agenda_id = outcome.document_id
    # Maria presses Enter at the end of the last item and types her own.
    outline = read_outline(google, agenda_id)
    start, end = outline.range_of(f"docket.item.{outcome.item_id}")
    google.documents.batchUpdate(documentId=agenda_id, body={"requests": [
        {"insertText": {"location": {"index": end}, "text": "\nTyped by Maria 👩🏽‍💻"}}]}).execute()
    leadership.add_item(author="maria@example.com", text="Third", kind="discussion", week=week)
    assert agenda_lines(docs, agenda_id, DAY) == ["First — Valentina Perez", "Typed by Maria 👩🏽‍💻", "Third — María García"]


def test_a_repeated_item_id_is_applied_once(leadership, docs, week):
    one = leadership.add_item(author="vp@example.com", text="Once only", kind="discussion", week=week, item_id="req-1")
    two = leadership.add_item(author="vp@example.com", text="Once only", kind="discussion", week=week, item_id="req-1")
    assert (one.created, two.created) == (True, False)
    assert agenda_lines(docs, one.document_id, DAY) == ["Once only — Valentina Perez"]


@pytest.mark.parametrize(("author", "text", "kind", "item_id", "error", "field"), [
    ("vp@example.com", "   ", "discussion", None, ValidationError, "text"),
    ("vp@example.com", "x" * (MAX_ITEM_LENGTH + 1), "discussion", None, ValidationError, "text"),
    ("vp@example.com", CANARY + "\nsecond line", "confidential", None, ValidationError, "text"),
    ("vp@example.com", CANARY + "\u0007", "confidential", None, ValidationError, "text"),
    ("vp@example.com", CANARY + "\ue000", "confidential", None, ValidationError, "text"),
    ("vp@example.com", CANARY, "urgent", None, ValidationError, "kind"),
    ("vp@example.com", CANARY, "confidential", "bad id!", ValidationError, "item_id"),
    ("sam@example.com", CANARY, "confidential", None, Forbidden, None),
])
def test_rejections_change_nothing_and_never_quote_the_text(leadership, docs, week, author, text, kind, item_id, error, field):
    leadership.ensure_week(week)
    before = docs.snapshot()
    with pytest.raises(error) as raised:
        leadership.add_item(author=author, text=text, kind=kind, week=week, item_id=item_id)
    assert docs.snapshot() == before
    assert getattr(raised.value, "field", None) == field
    assert "CANARY" not in str(raised.value) and "xxxxxxxxxx" not in str(raised.value)


def test_the_limit_is_inclusive_and_counts_characters(leadership, docs, week):
    text = "🌏" * MAX_ITEM_LENGTH  # 1000 characters, 2000 UTF-16 units
    outcome = leadership.add_item(author="vp@example.com", text=text, kind="discussion", week=week)
    assert agenda_lines(docs, outcome.document_id, DAY) == [f"{text} — Valentina Perez"]


def test_concurrent_additions_all_land_exactly_once(engine, docs, week):
    Leadership(engine).ensure_week(week)
    texts = [f"Item {n} 🧵" for n in range(8)]
    pending = iter(texts)
    lock = threading.Lock()

    def add() -> None:
        with lock:
            text = next(pending)
        Leadership(engine).add_item(author="maria@example.com", text=text, kind="discussion", week=week)

    run_concurrently(add, len(texts))  # raises the first error of any caller
    (agenda_id,) = docs.ids("leadership_agenda")
    lines = agenda_lines(docs, agenda_id, DAY)
    assert sorted(lines) == sorted(f"{t} — María García" for t in texts)


def test_add_item_command(runner, data_dir):
    from service.cli import main

    ok = runner.invoke(main, ["add-item", "--author", "vp@example.com", "--text", "Roadmap sync", "--fyi", "--date", DAY])
    assert ok.exit_code == 0, ok.output
    assert "fyi item" in ok.output and "/local/docs/" in ok.output
    bad = runner.invoke(main, ["add-item", "--author", "sam@example.com", "--text", "Nope", "--date", DAY])
    assert bad.exit_code == 2 and "leadership members" in bad.output  # bad usage
    both = runner.invoke(main, ["add-item", "--author", "vp@example.com", "--text", "x", "--date", "18/11/2026"])
    assert both.exit_code == 2


def test_fyi_and_confidential_together_is_bad_usage(runner):
    from service.cli import main

    both = runner.invoke(main, ["add-item", "--author", "vp@example.com", "--text", "x", "--fyi", "--confidential"])
    assert both.exit_code == 2 and "not both" in both.output


def test_an_item_added_before_any_weekly_run_creates_docs_shared_with_the_members(engine, week):
    from service.meetings.leadership import Leadership

    Leadership(engine).add_item(author="vp@example.com", text="First item 🚀", kind="discussion", week=week)
    for kind in ("leadership_agenda", "leadership_confidential"):
        doc = engine.registry.find_one({"docket_kind": kind})
        users = {p.email for p in engine.registry.permissions(doc.id) if p.type == "user" and not p.inherited}
        assert users == {"vp@example.com", "maria@example.com"}


def test_call_budget_of_an_item_is_one_read_and_one_write_per_document_touched(engine, week):
    from service.meetings.leadership import Leadership

    Leadership(engine).ensure_week(week)
    stats = engine.google.stats
    stats.counts.clear()
    Leadership(engine).add_item(author="vp@example.com", text="Roadmap 🗺️", kind="discussion", week=week)
    assert stats.counts == {"drive.files.list": 1, "docs.get": 1, "docs.batchUpdate": 1}
    stats.counts.clear()
    Leadership(engine).add_item(author="vp@example.com", text="About someone", kind="confidential", week=week)
    # + the confidential doc's permission check, and its read and write.
    assert stats.counts == {"drive.files.list": 1, "drive.permissions.list": 1, "docs.get": 2, "docs.batchUpdate": 2}


def test_an_item_for_a_week_without_its_section_costs_one_write_per_document(engine, docs, week):
    from datetime import date

    from service.calendar import Week
    from service.meetings.leadership import Leadership

    Leadership(engine).ensure_week(week)  # last week exists; the next week's section does not
    next_week = Week.of(date(2026, 11, 25))
    stats = engine.google.stats
    stats.counts.clear()
    outcome = Leadership(engine).add_item(author="vp@example.com", text="Secret about Sam 🤫", kind="confidential", week=next_week)
    # Per document: one read to plan, one write (section + item together), one read for the new heading id.
    assert stats.counts == {"drive.files.list": 1, "drive.permissions.list": 1, "docs.get": 4, "docs.batchUpdate": 2}
    assert "#heading=h." in outcome.url
    agenda = docs.text(docs.ids("leadership_agenda")[0])
    confidential = docs.text(docs.ids("leadership_confidential")[0])
    assert agenda.count("2026-11-25") == 1 and confidential.count("2026-11-25") == 1
    assert confidential.count("Secret about Sam 🤫") == 1 and "Secret about Sam" not in agenda
    assert agenda.count("Confidential item — Valentina Perez") == 1
    from service.google.document_view import view_blocks

    blocks = view_blocks(docs.get(docs.ids("leadership_agenda")[0]))
    week_blocks = blocks[next(i for i, b in enumerate(blocks) if "2026-11-25" in b.text):]
    agenda_list = week_blocks[next(i for i, b in enumerate(week_blocks) if b.text == "Agenda") + 1:]
    assert agenda_list[0].text.startswith("Confidential item — Valentina Perez") and agenda_list[0].list_kind == "number"
    # Adding it again (a retried click) changes nothing.
    stats.counts.clear()
    again = Leadership(engine).add_item(author="vp@example.com", text="Secret about Sam 🤫", kind="confidential",
                                        week=next_week, item_id=outcome.item_id)
    assert not again.created and "docs.batchUpdate" not in stats.counts
