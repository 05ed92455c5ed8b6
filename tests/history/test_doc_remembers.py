"""The doc remembers: last week's open action items carried over, ratings as trends, the last career conversation.

Everything is read from the pair's own doc when the new week is written; nothing typed moves.
"""

from __future__ import annotations

import json
from datetime import date

from service.calendar import Week
from service.meetings.one_on_one import OneOnOnes
from tests.conftest import google_on
from tests.history.conftest import Person, chip_value, plain

D1, D2, D3 = Week.of(date(2026, 11, 18)), Week.of(date(2026, 11, 25)), Week.of(date(2026, 12, 2))
SAM_1, SAM_2, SAM_3 = "2026-11-17", "2026-11-24", "2026-12-01"


def _first_week(engine, emulator_app):
    pair = engine.settings.one_on_ones[0]
    doc_id = OneOnOnes(engine).ensure_week(pair, D1).document_id
    return pair, doc_id, Person(google_on(emulator_app, "sam@example.com"), doc_id)


def _fill_first_week(sam: Person) -> None:
    sam.pick(sam.line(SAM_1, "Mood, 1 to 5"), "4")
    sam.type_at_end(sam.line(SAM_1, "Stress, 0 to 10"), " 7 (typed, not picked)")
    first = next(e for e in sam.section(SAM_1) if chip_value(e) == "Not started")
    sam.type_at_end(first, " Send Sam the training plan")
    sam.pick(sam.line(SAM_1, "\ue907 Send Sam"), "In progress")
    second = next(e for e in sam.section(SAM_1) if chip_value(e) == "Not started")
    sam.type_at_end(second, " Book the customer call")
    sam.pick(sam.line(SAM_1, "\ue907 Book"), "Done")
    booked = sam.line(SAM_1, "\ue907 Book")
    sam.new_line_after(booked, "Read the runbook before Friday 📘")  # a line typed without a chip
    sam.link(sam.line(SAM_1, "Read the runbook"), "runbook", "https://runbook.example.com/deploys")
    sam.new_line_after(sam.line(SAM_1, "Read the runbook"), "Old idea we dropped")
    sam.strike(sam.line(SAM_1, "Old idea we dropped"))
    sam.new_line_after(sam.line(SAM_1, "Old idea we dropped"), "✅ Renewed the certificate")
    sam.new_line_after(sam.line(SAM_1, "Discussed at least quarterly"), "Wants to move towards SRE work 🚀")


def test_the_second_week_carries_open_items_shows_trends_and_the_career_line(engine, emulator_app, docs):
    pair, doc_id, sam = _first_week(engine, emulator_app)
    _fill_first_week(sam)
    before = docs.get(doc_id)

    assert OneOnOnes(engine).ensure_week(pair, D2).action == "appended"

    after = docs.get(doc_id)
    # Reading never changed what was there: the first week's paragraphs are byte-identical.
    old = [e for e in before["body"]["content"]]
    assert after["body"]["content"][: len(old) - 1] == old[:-1]
    lines = [plain(e) for e in sam.section(SAM_2)]
    carried = [e for e in sam.section(SAM_2) if "(from " in plain(e)]
    assert [plain(e) for e in carried] == [f"Send Sam the training plan (from {SAM_1})",
                                           f"Read the runbook before Friday 📘 (from {SAM_1})"]
    assert [chip_value(e) for e in carried] == ["In progress", "Not started"]
    runbook = next(p for p in carried[1]["paragraph"]["elements"] if "runbook" in p.get("textRun", {}).get("content", ""))
    assert runbook["textRun"]["content"] == "runbook"
    assert runbook["textRun"]["textStyle"]["link"] == {"url": "https://runbook.example.com/deploys"}
    assert not any("Book the customer call" in line or "Old idea" in line or "certificate" in line for line in lines)
    assert "Mood, last 1 week: 4  ▄" in lines and any(line.startswith("Stress, last 1 week: 7") for line in lines)
    assert "Happiness, last 1 week: –" in lines
    assert f"Career development last discussed: {SAM_1} (1 week ago)" in lines


def test_an_item_carried_twice_keeps_its_first_date_once(engine, emulator_app, docs):
    pair, doc_id, sam = _first_week(engine, emulator_app)
    _fill_first_week(sam)
    OneOnOnes(engine).ensure_week(pair, D2)
    OneOnOnes(engine).ensure_week(pair, D3)
    lines = [plain(e) for e in sam.section(SAM_3)]
    assert f"Send Sam the training plan (from {SAM_1})" in lines
    assert not any(line.count("(from ") > 1 for line in lines)
    assert "Mood, last 2 weeks: 4 –  ▄" in lines  # the second week had no answer: a space in the sparkline


def test_a_first_week_and_a_week_without_answers_read_gracefully(engine, emulator_app, docs):
    pair, doc_id, sam = _first_week(engine, emulator_app)
    assert "Career development: not yet discussed in this doc" in [plain(e) for e in sam.section(SAM_1)]
    OneOnOnes(engine).ensure_week(pair, D2)  # nothing typed in the first week
    lines = [plain(e) for e in sam.section(SAM_2)]
    assert not any("(from " in line for line in lines)
    assert "Mood, last 1 week: –" in [line.rstrip() for line in lines]


def test_ratings_and_items_never_reach_the_logs(engine, emulator_app, caplog):
    pair, doc_id, sam = _first_week(engine, emulator_app)
    _fill_first_week(sam)
    with caplog.at_level("DEBUG"):
        OneOnOnes(engine).ensure_week(pair, D2)
    logged = json.dumps([r.getMessage() for r in caplog.records] + [str(r.__dict__) for r in caplog.records], ensure_ascii=False)
    assert "training plan" not in logged and "runbook" not in logged and "SRE" not in logged
