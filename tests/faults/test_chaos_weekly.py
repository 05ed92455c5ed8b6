"""The weekly job over 200 1:1 docs under 20% injected 429/503, lost write responses and people typing mid-write.

Exactly one section per document and week, every line people typed present once and in its
order, no batch applied twice, no failure. Not a timed test: nothing here asserts on time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from service.calendar import Week, meeting_for
from service.emulator.bootstrap import DEFAULT_IDENTITY
from service.emulator.faults import Faults, paragraph_texts
from service.emulator.store import Store
from service.emulator.transport import EmulatorHttp
from service.emulator.wsgi import IDENTITY_HEADER
from service.services import Services
from service.google.calls import Backoff
from service.google.clients import Google
from service.sections import HEADER_KEY, week_key as section_key
from service.meetings.weekly import run_weekly
from service.settings import Settings, load_settings
from tests.conftest import SHARED_DRIVE, google_on

PAIRS = 200
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
ZONES = ("America/New_York", "Europe/Berlin", "Asia/Tokyo", "Pacific/Auckland", "America/Los_Angeles")
NAMES = ("Sam Lee", "Zoë 👩🏽‍💻 Okafor", "Ana 𝒮ilva", "Jürgen Groß", "李雷", "Amara 🌍 Nwosu", "Ólafur Þór")
LAST_WEEK, THIS_WEEK = Week.of(date(2026, 11, 11)), Week.of(date(2026, 11, 18))


def roster(drive: str) -> str:
    lines = ['[organization]', 'name = "Chaos Support 🧪"', 'timezone = "America/New_York"', 'domains = ["example.com"]',
             'zendesk_url = "https://acme.zendesk.com"', 'handbook_url = "https://handbook.example.com"',
             '', '[google]', f'folder_id = "{drive}"']
    for n in range(PAIRS):
        lines += ['', '[[one_on_one]]', f'manager = "manager{n % 20}@example.com"', f'manager_name = "Manager {n % 20} 🧭"',
                  f'report = "engineer{n}@example.com"', f'report_name = "{NAMES[n % len(NAMES)]} {n}"',
                  f'zendesk_user_id = "{361000000 + n}"', f'weekday = "{WEEKDAYS[n % len(WEEKDAYS)]}"']
        if n % 3 == 0:
            lines.append(f'timezone = "{ZONES[n % len(ZONES)]}"')
    return "\n".join(lines) + "\n"


@pytest.fixture
def chaos_settings(tmp_path: Path) -> Settings:
    path = tmp_path / "docket.toml"
    path.write_text(roster(SHARED_DRIVE), encoding="utf-8")
    return load_settings(str(path), env={"DOCKET_DATA_DIR": str(tmp_path / "data")})


def _as(person: str, request: Any) -> Any:
    """The request sent as `person` (one client for everyone: building a client per person costs ~0.1 s)."""
    request.headers[IDENTITY_HEADER] = person
    return request


def _typed(google: Google, person: str, document_id: str, text: str, *, at_end: bool) -> None:
    """`person` types a line: at the very end of the doc, or as a new paragraph in the middle."""
    doc = _as(person, google.documents.get(documentId=document_id)).execute()
    paragraphs = [e for e in doc["body"]["content"] if "paragraph" in e]
    if at_end:
        request = {"insertText": {"location": {"index": paragraphs[-1]["endIndex"] - 1}, "text": "\n" + text}}
    else:
        middle = paragraphs[len(paragraphs) // 2]
        request = {"insertText": {"location": {"index": middle["startIndex"]}, "text": text + "\n"}}
    _as(person, google.documents.batchUpdate(documentId=document_id, body={"requests": [request]})).execute()


def _human_order(paragraphs: tuple[str, ...], human: set[str]) -> list[str]:
    return [p for p in paragraphs if p in human]


def test_weekly_job_holds_under_faults_and_racing_edits(chaos_settings: Settings, memory_store: Store) -> None:
    faults = Faults(seed=20261118, write_quota=None)  # the quota has its own tests and the benchmark
    app = faults.app(memory_store)
    # Backoff as configured by default, but without sleeping: the default attempts must absorb 20%.
    google = Google(lambda: EmulatorHttp(app), backend="embedded", identity=DEFAULT_IDENTITY,
                    backoff=Backoff(sleep=lambda _s: None))
    engine = Services.build(chaos_settings, google)
    engine.writer.sleep = lambda _s: None

    # Last week, calm: 200 docs created, shared and given a section; then people type in them.
    calm = run_weekly(engine, LAST_WEEK)
    assert not calm.failures and len(calm.outcomes) == PAIRS
    people = google_on(app)
    typed: dict[str, list[str]] = {}
    for n, (pair, outcome) in enumerate(zip(chaos_settings.one_on_ones, calm.outcomes, strict=True)):
        lines = [f"{pair.report_name} noted: ticket #{n} went well 🎉", f"{pair.manager_name} asked about on-call {n}"]
        _typed(people, pair.manager, outcome.document_id, lines[1], at_end=False)
        _typed(people, pair.report, outcome.document_id, lines[0], at_end=True)  # the very end: where Docket appends
        typed[outcome.document_id] = lines
    faults.applied.clear()

    # This week, under fire.
    faults.error_rate, faults.error_codes = 0.2, (429, 503)
    faults.lost_response_rate = 0.1
    faults.human_edit_rate = 0.3
    report = run_weekly(engine, THIS_WEEK)
    faults.error_rate = faults.lost_response_rate = faults.human_edit_rate = 0.0

    assert report.failures == ()
    assert sorted(o.document_id for o in report.outcomes) == sorted(typed)
    # "present" when the write that added the section lost its response: the retry then finds it there.
    assert {o.action for o in report.outcomes} <= {"appended", "present"}
    # The faults really happened, in numbers that matter.
    assert faults.injected["429"] > 50 and faults.injected["503"] > 50
    assert faults.injected["lost"] > 5 and len(faults.human_edits) > 20

    raced: dict[str, list[str]] = {}
    for edit in faults.human_edits:
        raced.setdefault(edit.document_id, []).append(edit.text)
    reader = google_on(app)
    by_doc = {o.document_id: o for o in report.outcomes}
    for pair in chaos_settings.one_on_ones:
        document_id = next(d for d, o in by_doc.items() if o.title.endswith(f"{pair.report_name} / {pair.manager_name}"))
        doc = reader.documents.get(documentId=document_id).execute()
        paragraphs = paragraph_texts(doc)
        iso = meeting_for(THIS_WEEK, pair.weekday, pair.timezone).iso
        previous = meeting_for(LAST_WEEK, pair.weekday, pair.timezone).iso

        # Exactly one section for the week: one named range with one range, one heading with its date.
        for key in (section_key(meeting_for(THIS_WEEK, pair.weekday, pair.timezone)), f"docket.week.{previous}", HEADER_KEY):
            groups = doc["namedRanges"][key]["namedRanges"]
            assert len(groups) == 1 and len(groups[0]["ranges"]) == 1, (document_id, key)
        assert sum(1 for p in paragraphs if p.startswith(f"{iso} · Weekly 1:1")) == 1
        assert sum(1 for p in paragraphs if p.startswith(f"{previous} · Weekly 1:1")) == 1

        # No batch applied twice: the emulator committed exactly the one batch that added the section.
        assert faults.applied[document_id] == 1, document_id

        # Every line people typed is there once, in the order it had, and before Docket's new section.
        human = set(typed[document_id]) | set(raced.get(document_id, []))
        for line in human:
            assert paragraphs.count(line) == 1, (document_id, line)
        last_edit = [e for e in faults.human_edits if e.document_id == document_id]
        # Before the chaos run: the manager's line in the middle, the report's at the end.
        expected = _human_order(last_edit[-1].paragraphs, human) if last_edit else typed[document_id][::-1]
        assert _human_order(paragraphs, human) == expected
        start = doc["namedRanges"][f"docket.week.{iso}"]["namedRanges"][0]["ranges"][0]["startIndex"]
        human_ends = [e["endIndex"] for e in doc["body"]["content"] if "paragraph" in e
                      and paragraph_texts({"body": {"content": [e]}})[0] in human]
        assert max(human_ends) <= start
