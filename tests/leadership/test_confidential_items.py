"""Confidential items: the permission check first, the entry before the placeholder, and no text anywhere but the confidential doc."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest

from service.calendar import Week
from service.emulator.errors import ApiError
from service.errors import ConfidentialityError, DocketError
from service.meetings.leadership import Leadership
from tests.conftest import SHARED_DRIVE
from tests.leadership.conftest import CANARY, agenda_lines, confidential_lines, is_batch_update_of

DAY = "2026-11-18"
PLACEHOLDER = "Confidential item — María García — see the confidential doc"


def _docs_of(leadership, week):
    agenda, confidential = leadership.ensure_week(week)
    return agenda.document_id, confidential.document_id


def test_entry_goes_to_the_confidential_doc_with_author_and_time_and_the_agenda_gets_a_placeholder(leadership, docs, week, caplog):
    caplog.set_level(logging.DEBUG)
    agenda_id, confidential_id = _docs_of(leadership, week)
    outcome = leadership.add_item(author="maria@example.com", text=CANARY, kind="confidential", week=week)
    assert outcome.created and outcome.kind == "confidential" and outcome.document_id == agenda_id
    # 15:04 UTC is 10:04 in New York (EST) on the meeting day.
    assert confidential_lines(docs, confidential_id, DAY) == [f"{CANARY} — María García, added 2026-11-18 10:04 EST"]
    assert agenda_lines(docs, agenda_id, DAY) == [PLACEHOLDER]
    assert "CANARY" not in json.dumps(docs.get(agenda_id), ensure_ascii=False)
    assert "CANARY" not in caplog.text and "CANARY" not in repr(outcome)


def test_items_of_every_kind_interleave_in_the_order_received(leadership, docs, week):
    agenda_id, confidential_id = _docs_of(leadership, week)
    leadership.add_item(author="vp@example.com", text="Open discussion", kind="discussion", week=week)
    leadership.add_item(author="maria@example.com", text=CANARY, kind="confidential", week=week)
    leadership.add_item(author="vp@example.com", text="Release notes are out", kind="fyi", week=week)
    assert agenda_lines(docs, agenda_id, DAY) == [
        "Open discussion — Valentina Perez", PLACEHOLDER, "FYI: Release notes are out — Valentina Perez"]
    assert len(confidential_lines(docs, confidential_id, DAY)) == 1


def _anyone(google, doc_id):
    google.drive.permissions().create(fileId=doc_id, body={"type": "anyone", "role": "reader"}, supportsAllDrives=True).execute()


def _domain(google, doc_id):
    google.drive.permissions().create(fileId=doc_id, body={"type": "domain", "role": "commenter", "domain": "example.com"},
                                      supportsAllDrives=True).execute()


def _group(google, doc_id):
    google.drive.permissions().create(fileId=doc_id, body={"type": "group", "role": "reader", "emailAddress": "leads@example.com"},
                                      supportsAllDrives=True, sendNotificationEmail=False).execute()


def _outsider(google, doc_id):
    google.drive.permissions().create(fileId=doc_id, body={"type": "user", "role": "reader", "emailAddress": "sam@example.com"},
                                      supportsAllDrives=True, sendNotificationEmail=False).execute()


def _drive_member(google, doc_id):
    google.drive.permissions().create(fileId=SHARED_DRIVE, body={"type": "user", "role": "reader", "emailAddress": "it@example.com"},
                                      supportsAllDrives=True, sendNotificationEmail=False).execute()


@pytest.mark.parametrize(("expose", "named"), [
    (_anyone, "anyone with the link"),
    (_domain, "domain example.com"),
    (_group, "group leads@example.com"),
    (_outsider, "sam@example.com"),
    (_drive_member, "it@example.com"),
])
def test_an_exposed_confidential_doc_is_refused_and_nothing_is_written(leadership, docs, google, week, expose, named):
    agenda_id, confidential_id = _docs_of(leadership, week)
    expose(google, confidential_id)
    before = docs.snapshot()
    with pytest.raises(ConfidentialityError) as raised:
        leadership.add_item(author="maria@example.com", text=CANARY, kind="confidential", week=week)
    assert named in raised.value.message and confidential_id in raised.value.message
    assert "The item was not added: Docket wrote none of it, to either document." in raised.value.message
    assert "CANARY" not in raised.value.message
    assert docs.snapshot() == before
    # A week whose sections do not exist yet is refused the same way, before creating them.
    with pytest.raises(ConfidentialityError):
        leadership.add_item(author="maria@example.com", text=CANARY, kind="confidential", week=Week.of(date(2026, 12, 2)))
    assert docs.snapshot() == before


def test_an_exposed_confidential_doc_fails_the_weekly_job_for_the_sync_saying_what_was_written(leadership, docs, google,
                                                                                               week):
    agenda_id, confidential_id = _docs_of(leadership, week)
    _anyone(google, confidential_id)
    confidential_before = json.dumps(docs.get(confidential_id), sort_keys=True)
    next_week = Week.of(date(2026, 11, 25))
    with pytest.raises(ConfidentialityError) as first:
        leadership.ensure_week(next_week)
    # The agenda's week is written before the check, and stays: the message says so instead of "Docket wrote nothing".
    assert "2026-11-25" in docs.text(agenda_id)
    assert json.dumps(docs.get(confidential_id), sort_keys=True) == confidential_before
    assert ("Docket wrote this week's section of the agenda; Docket wrote nothing in the confidential doc. "
            in first.value.message), first.value.message
    with pytest.raises(ConfidentialityError) as again:
        leadership.ensure_week(next_week)
    assert "The agenda already had this week's section; Docket wrote nothing in the confidential doc." in again.value.message
    assert "Docket wrote nothing." not in first.value.message + again.value.message


def test_a_failed_placeholder_takes_the_entry_out_again_so_a_failure_leaves_no_trace(leadership, docs, faults, week):
    agenda_id, confidential_id = _docs_of(leadership, week)
    before = {doc_id: docs.text(doc_id) for doc_id in (agenda_id, confidential_id)}
    faults.fail(is_batch_update_of(agenda_id), ApiError(500, "Internal error.", status="INTERNAL"))
    with pytest.raises(DocketError) as raised:
        leadership.add_item(author="maria@example.com", text=CANARY, kind="confidential", week=week, item_id="c1")
    assert "CANARY" not in str(raised.value)
    # The entry was written, then withdrawn: no line, no named range, the list as before.
    assert confidential_lines(docs, confidential_id, DAY) == [] and agenda_lines(docs, agenda_id, DAY) == []
    assert "CANARY" not in json.dumps(docs.get(confidential_id), ensure_ascii=False)
    assert not [n for n in docs.get(confidential_id).get("namedRanges", {}) if n.startswith("docket.item.")]
    assert {doc_id: docs.text(doc_id) for doc_id in (agenda_id, confidential_id)} == before
    faults.clear()
    # A retry of the same item adds it exactly once.
    again = leadership.add_item(author="maria@example.com", text=CANARY, kind="confidential", week=week, item_id="c1")
    assert again.created
    assert agenda_lines(docs, agenda_id, DAY) == [PLACEHOLDER]
    assert len(confidential_lines(docs, confidential_id, DAY)) == 1


def test_the_next_run_restores_a_missing_placeholder(leadership, docs, faults, week):
    """When even taking the entry out fails, the entry stays (safe: it is in the confidential doc) and the
    weekly run gives it its placeholder."""
    agenda_id, confidential_id = _docs_of(leadership, week)
    writes = {"confidential": 0}

    def second_confidential_write(api: str, method: str, path: str) -> bool:
        if is_batch_update_of(confidential_id)(api, method, path):
            writes["confidential"] += 1
            return writes["confidential"] > 1  # the entry lands; its withdrawal fails
        return False

    faults.fail(is_batch_update_of(agenda_id), ApiError(503, "The service is currently unavailable.", status="UNAVAILABLE"))
    faults.fail(second_confidential_write, ApiError(503, "The service is currently unavailable.", status="UNAVAILABLE"))
    with pytest.raises(DocketError):
        leadership.add_item(author="maria@example.com", text=CANARY, kind="confidential", week=week)
    assert len(confidential_lines(docs, confidential_id, DAY)) == 1
    faults.clear()
    leadership.ensure_week(week)
    assert agenda_lines(docs, agenda_id, DAY) == [PLACEHOLDER]
    leadership.ensure_week(week)
    assert agenda_lines(docs, agenda_id, DAY) == [PLACEHOLDER]
    assert "CANARY" not in json.dumps(docs.get(agenda_id), ensure_ascii=False)


def test_a_failing_confidential_write_writes_no_placeholder(leadership, docs, faults, week):
    agenda_id, confidential_id = _docs_of(leadership, week)
    faults.fail(is_batch_update_of(confidential_id))
    before = docs.snapshot()
    with pytest.raises(DocketError):
        leadership.add_item(author="maria@example.com", text=CANARY, kind="confidential", week=week)
    assert docs.snapshot() == before


def test_an_error_that_echoes_the_text_is_withheld(leadership, faults, week):
    _, confidential_id = _docs_of(leadership, week)
    # As if Google quoted part of the request back in its message.
    faults.fail(is_batch_update_of(confidential_id), ApiError(400, f"Invalid requests[0].insertText: {CANARY[:20]}", status="INVALID_ARGUMENT"))
    with pytest.raises(DocketError) as raised:
        leadership.add_item(author="maria@example.com", text=CANARY, kind="confidential", week=week)
    assert "CANARY" not in str(raised.value) and "withheld" in raised.value.message


def test_the_command_never_prints_confidential_text(runner):
    from service.cli import main

    result = runner.invoke(main, ["add-item", "--author", "maria@example.com", "--text", CANARY, "--confidential", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert "CANARY" not in result.output and "confidential item" in result.output
    listing = runner.invoke(main, ["docs", "list"]).output
    for line in listing.splitlines():
        shown = runner.invoke(main, ["docs", "show", line.split()[1], "--json"])
        assert shown.exit_code == 0 and "CANARY" not in shown.output


def test_a_second_engine_sees_the_same_docs(engine, week):
    one = Leadership(engine).add_item(author="vp@example.com", text=CANARY, kind="confidential", week=week)
    two = Leadership(engine).add_item(author="vp@example.com", text="Other", kind="discussion", week=week)
    assert one.document_id == two.document_id

