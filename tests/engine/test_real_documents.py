"""Docket's weekly run on real Google Docs captures: tabs, tables, footnotes, images, chips — nothing typed moves.

The captures are `documents.get` bodies from public repositories (tests/emulator/captures/README.md
names each source). Each is loaded as a pair's 1:1 doc, as if the pair had been writing in it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from service.calendar import Week
from service.emulator.bootstrap import DEFAULT_IDENTITY
from service.emulator.docs.hooks import load_document
from service.emulator.docs.people import move_tab, read
from service.google.outline import parse_outline
from service.meetings.one_on_one import properties_of
from service.meetings.weekly import run_weekly
from tests.conftest import SHARED_DRIVE

CAPTURES = Path(__file__).parents[1] / "emulator" / "captures"
WEEK = Week.of(date(2026, 11, 18))
SAM_WEEK = "docket.week.2026-11-17"


def _as_sams_doc(engine, store, capture: Path) -> str:
    """The capture, loaded into the emulator as Sam's 1:1 doc (Docket's properties, shared with the pair)."""
    doc_id = "1Real" + capture.stem.replace("-", "_")
    load_document(store, doc_id, json.loads(capture.read_text(encoding="utf-8")), identity=DEFAULT_IDENTITY,
                  drive_id=SHARED_DRIVE)
    pair = engine.settings.one_on_ones[0]
    engine.google.files.update(fileId=doc_id, body={"appProperties": properties_of(pair)}, supportsAllDrives=True).execute()
    engine.registry.share(doc_id, [pair.manager, pair.report])
    return doc_id


def _body(document: dict, tab: int = 0) -> list[dict]:
    return document["tabs"][tab]["documentTab"]["body"]["content"]


@pytest.mark.parametrize("capture", sorted(CAPTURES.glob("*.json")), ids=lambda p: p.stem)
def test_the_weekly_run_appends_to_a_real_document_and_keeps_every_element(engine, store, capture):
    doc_id = _as_sams_doc(engine, store, capture)
    before = read(store, doc_id, DEFAULT_IDENTITY)
    report = run_weekly(engine, WEEK)
    assert report.ok, report.failures
    after = read(store, doc_id, DEFAULT_IDENTITY)
    old, new = _body(before), _body(after)
    # Every element before the last paragraph is byte-identical, tables, footnote references and images included.
    assert new[: len(old) - 1] == old[:-1]
    last = "".join(e.get("textRun", {}).get("content", "\ue907") for e in old[-1]["paragraph"]["elements"])
    if last != "\n":  # the last paragraph's text stays (an empty one is where Docket writes)
        assert "".join(e.get("textRun", {}).get("content", "\ue907") for e in new[len(old) - 1]["paragraph"]["elements"]) == last
    for segment in ("headers", "footers", "footnotes", "inlineObjects", "positionedObjects", "lists"):
        for key, value in before["tabs"][0]["documentTab"].get(segment, {}).items():
            assert after["tabs"][0]["documentTab"][segment][key] == value, (segment, key)
    # The week went in once, as the doc's last section; a second run writes nothing.
    assert SAM_WEEK in after["tabs"][0]["documentTab"]["namedRanges"]
    again = run_weekly(engine, WEEK)
    assert {o.action for o in again.outcomes if o.document_id == doc_id} == {"present"}
    assert read(store, doc_id, DEFAULT_IDENTITY) == after


def test_a_tab_moved_to_the_front_never_gets_a_second_copy_of_the_week(engine, store, google):
    doc_id = _as_sams_doc(engine, store, CAPTURES / "nango-tabs-form-details.json")
    run_weekly(engine, WEEK)  # the week goes into the doc's first tab, t.0
    replies = google.documents.batchUpdate(documentId=doc_id, body={"requests": [
        {"addDocumentTab": {"tabProperties": {"title": "Notes 📝"}}},
        {"addDocumentTab": {"tabProperties": {"title": "Archive"}}}]}).execute()["replies"]
    notes = replies[0]["addDocumentTab"]["tabProperties"]["tabId"]
    move_tab(store, doc_id, notes, 0, identity="sam@example.com")  # Sam drags "Notes" to the front
    document = read(store, doc_id, DEFAULT_IDENTITY)
    assert [t["tabProperties"]["title"] for t in document["tabs"]][0] == "Notes 📝"

    assert {o.action for o in run_weekly(engine, WEEK).outcomes if o.document_id == doc_id} == {"present"}
    next_week = run_weekly(engine, Week.of(date(2026, 11, 25)))
    assert {o.action for o in next_week.outcomes if o.document_id == doc_id} == {"appended"}
    document = read(store, doc_id, DEFAULT_IDENTITY)
    by_title = {t["tabProperties"]["title"]: t["documentTab"] for t in document["tabs"]}
    docket_tab = next(tab for title, tab in by_title.items() if title not in ("Notes 📝", "Archive"))
    assert {"docket.week.2026-11-17", "docket.week.2026-11-24"} <= set(docket_tab["namedRanges"])
    assert "namedRanges" not in by_title["Notes 📝"] and "namedRanges" not in by_title["Archive"]
    assert len(by_title["Notes 📝"]["body"]["content"]) == 2  # the new tab stayed empty


def test_the_menu_links_the_tab_and_the_heading_of_a_multi_tab_doc(engine, store, google, week):
    doc_id = _as_sams_doc(engine, store, CAPTURES / "nango-tabs-form-details.json")
    first = engine.kinds.ensure_section(engine, doc_id, week, caller="sam@example.com")
    assert "?tab=" not in first.url  # one tab: the plain heading link
    docket_tab = read(store, doc_id, DEFAULT_IDENTITY)["tabs"][0]["tabProperties"]["tabId"]
    google.documents.batchUpdate(documentId=doc_id, body={"requests": [
        {"addDocumentTab": {"tabProperties": {"title": "Notes", "index": 0}}}]}).execute()
    outcome = engine.kinds.ensure_section(engine, doc_id, Week.of(date(2026, 11, 25)), caller="sam@example.com")
    assert outcome.url.startswith(f"https://docs.google.com/document/d/{doc_id}/edit?tab={docket_tab}#heading=h.")


def test_a_section_heading_is_found_by_style_and_id_together():
    """Real documents hold NORMAL_TEXT paragraphs with a headingId and headings without one."""
    body = {"revisionId": "r1", "tabs": [{"tabProperties": {"tabId": "t.0"}, "documentTab": {
        "namedRanges": {SAM_WEEK: {"namedRanges": [{"ranges": [{"startIndex": 1, "endIndex": 40}]}]}},
        "body": {"content": [
            {"endIndex": 1, "sectionBreak": {}},
            {"startIndex": 1, "endIndex": 10, "paragraph": {"paragraphStyle": {"namedStyleType": "NORMAL_TEXT", "headingId": "h.normal"}}},
            {"startIndex": 10, "endIndex": 20, "paragraph": {"paragraphStyle": {"namedStyleType": "HEADING_2"}}},
            {"startIndex": 20, "endIndex": 30, "paragraph": {"paragraphStyle": {"namedStyleType": "HEADING_3", "headingId": "h.real"}}},
            {"startIndex": 30, "endIndex": 41, "paragraph": {"paragraphStyle": {"namedStyleType": "NORMAL_TEXT"}}},
        ]}}}]}
    assert parse_outline("d", body).heading_of(SAM_WEEK) == "h.real"


def test_a_document_docket_cannot_edit_is_that_documents_failure_and_the_others_still_run(engine, store):
    """A reader's documents.get has no revisionId (Google gives it only to editors): a clear failure, not a crash."""
    from service.errors import Forbidden

    doc_id = _as_sams_doc(engine, store, CAPTURES / "gatsby-links.json")
    with store.transaction() as state:  # Docket was made a reader of this one doc (someone changed its sharing)
        record = state.drive["files"][doc_id]
        record["driveId"] = None
        record["parents"] = []
        record["permissions"] = [p for p in record["permissions"] if p.get("emailAddress") != DEFAULT_IDENTITY]
        record["permissions"].append({"id": "docket", "type": "user", "role": "reader", "emailAddress": DEFAULT_IDENTITY})
    report = run_weekly(engine, WEEK)
    (failure,) = report.failures
    assert failure.document_id == doc_id and "cannot edit" in failure.reason
    assert len([o for o in report.outcomes if o.kind == "one_on_one"]) == 1  # Zoë's doc still got its week
    with pytest.raises(Forbidden):
        engine.kinds.ensure_section(engine, doc_id, WEEK)
