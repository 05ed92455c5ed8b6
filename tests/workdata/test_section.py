"""The data block in real 1:1 sections: written once with the section, never blocking it, private text kept out of output.

The documents live in the Docs/Drive emulator (through google-api-python-client); Zendesk and
GitLab are their emulators over HTTP, driven by zenpy and python-gitlab.
"""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from service import logs
from service.calendar import Week
from service.cli import main
from service.emulator.bootstrap import open_store
from service.emulator.rest_faults import RestFaults
from service.emulator.server import make_emulator_server
from service.emulator.zendesk.demo import SUBJECTS
from service.services import Services
from service.meetings.one_on_one import OneOnOnes
from service.meetings.weekly import run_weekly
from service.settings import load_settings
from service.workdata import prepare

from ..conftest import ROSTER, SHARED_DRIVE
from .conftest import API_EMAIL, ENV, GITLAB_TOKEN, NOW, SUBJECT_101, TOKEN, config_for, gitlab_app, served, zendesk_app

WEEK = Week.of(date(2026, 11, 18))  # Sam (Berlin) meets Tue 2026-11-17, Zoë (New York) Thu 2026-11-19


def sources_toml(zendesk_url: str, gitlab_url: str | None = None) -> str:
    text = f'\n[zendesk]\nurl = "{zendesk_url}"\nemail = "{API_EMAIL}"\nweekly_ticket_baseline = 15\n'
    return text + (f'\n[gitlab]\nurl = "{gitlab_url}"\n' if gitlab_url else "")


def counting(app: Any) -> tuple[Any, list[str]]:
    """`app`, recording each request's path: to see which calls a run made."""
    seen: list[str] = []

    def wrapper(environ: Any, start_response: Any) -> Any:
        seen.append(environ["PATH_INFO"])
        return app(environ, start_response)

    return wrapper, seen


@pytest.fixture
def engine_with(tmp_path: Path, google, monkeypatch):
    """An engine on the test roster plus [zendesk]/[gitlab] tables (documents in the in-process emulator)."""
    monkeypatch.setenv("DOCKET_ZENDESK_TOKEN", TOKEN)
    monkeypatch.setenv("DOCKET_GITLAB_TOKEN", GITLAB_TOKEN)

    def build(extra: str) -> Services:
        path = tmp_path / "docket.toml"
        path.write_text(ROSTER.format(drive=SHARED_DRIVE) + extra, encoding="utf-8")
        # An endpoint backend: the Zendesk URL is used as configured (the embedded default would read demo data).
        settings = load_settings(str(path), env={"DOCKET_DATA_DIR": str(tmp_path / "data"),
                                                 "DOCKET_GOOGLE_ENDPOINT": "http://127.0.0.1:9"})
        engine = Services.build(settings, google)
        engine.writer.sleep = lambda _s: None
        return engine

    return build


def test_a_zendesk_answering_503_still_gets_its_section_once_with_the_unavailable_line(engine_with, docs):
    app, seen = counting(zendesk_app(RestFaults(always=503, retry_after=0)))
    with served(app) as url:
        engine = engine_with(sources_toml(url))
        report = run_weekly(engine, WEEK)
        assert report.ok and [o.action for o in report.outcomes if o.kind == "one_on_one"] == ["created", "created"]
        expected = "Zendesk data unavailable: was unavailable (HTTP 503, still after 3 retries)"
        assert f"Zendesk data unavailable for the 1:1 of Sam Lee and María García: {expected[26:]}" in report.warnings
        sam = next(o for o in report.outcomes if o.title.startswith("1:1 Sam"))
        text = docs.text(sam.document_id)
        assert text.count(expected) == 1 and text.count("2026-11-17 · Weekly 1:1") == 1
        assert "Ticket 1:" in text
        calls = len(seen)
        again = run_weekly(engine, WEEK)
        # A rerun finds the sections: it reads no work data, writes nothing and warns about nothing.
        assert [o.action for o in again.outcomes if o.kind == "one_on_one"] == ["present", "present"]
        assert len(seen) == calls and not [w for w in again.warnings if "unavailable" in w]
        assert docs.text(sam.document_id) == text


def test_an_engineer_zendesk_does_not_know_gets_the_line_and_no_username_means_no_gitlab_block(engine_with, docs):
    with served(zendesk_app()) as zendesk_url, served(gitlab_app()) as gitlab_url:
        engine = engine_with(sources_toml(zendesk_url, gitlab_url))
        pair = engine.settings.one_on_ones[0]
        outcome = OneOnOnes(engine).ensure_week(pair, WEEK)
        text = docs.text(outcome.document_id)
    # The test roster's Sam has Zendesk id 361234567: not in the hand-built state, so Zendesk says so.
    assert "Zendesk data unavailable: no user 361234567 in http://127.0.0.1:" in text
    assert outcome.warnings and "GitLab" not in " ".join(outcome.warnings)  # no gitlab_username: no GitLab block


def test_docket_weekly_on_the_embedded_default_shows_the_data_block_in_every_1on1(tmp_path):
    runner = CliRunner()
    env = {"DOCKET_DATA_DIR": str(tmp_path / "data"), "DOCKET_CONFIG": "", "DOCKET_GOOGLE_ENDPOINT": ""}
    result = runner.invoke(main, ["weekly", "--date", "2026-12-02"], env=env)
    assert result.exit_code == 0, result.output
    assert not any(subject in result.output for subject in SUBJECTS)  # subjects never reach CLI output
    listed = runner.invoke(main, ["docs", "list"], env=env).output
    one_on_ones = [line.split()[1] for line in listed.splitlines() if line.startswith("one_on_one")]
    assert len(one_on_ones) == 3
    for doc_id in one_on_ones:
        text = runner.invoke(main, ["docs", "show", doc_id], env=env).output
        assert "From Zendesk, the 7 days before this meeting:" in text
        assert "- Ticket 1: #6" in text and "- Ticket 2: #6" in text
        assert "% — " in text and "publicly replied to, against a baseline of 15" in text
        assert "From GitLab, " in text
        assert "unavailable" not in text
    # The first meeting of December: last month's roll-up is there too.
    assert "November 2026 at a glance" in runner.invoke(main, ["docs", "show", one_on_ones[0]], env=env).output


def test_docket_weekly_exits_0_and_warns_when_zendesk_is_down(tmp_path):
    store = open_store(tmp_path / "google", shared_drive_id=SHARED_DRIVE)
    google = make_emulator_server(None, "127.0.0.1", 0, store=store)
    threading.Thread(target=google.serve_forever, daemon=True).start()
    try:
        with served(zendesk_app(RestFaults(always=503, retry_after=0))) as zendesk_url:
            config = tmp_path / "docket.toml"
            config.write_text(ROSTER.format(drive=SHARED_DRIVE) + sources_toml(zendesk_url), encoding="utf-8")
            env = {"DOCKET_DATA_DIR": str(tmp_path / "data"), "DOCKET_GOOGLE_ENDPOINT": f"http://127.0.0.1:{google.server_port}",
                   "DOCKET_ZENDESK_TOKEN": TOKEN}
            result = CliRunner().invoke(main, ["weekly", "--date", "2026-11-18", "--config", str(config)], env=env)
    finally:
        google.shutdown()
        google.server_close()
    assert result.exit_code == 0, result.output
    assert "warning: Zendesk data unavailable for the 1:1 of Sam Lee and María García: was unavailable (HTTP 503" in result.output
    assert "FAILED" not in result.output


def test_subjects_never_reach_the_logs(capsys, sleeps, limits):
    import logging

    handler = logs.configure()
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)  # even DEBUG: the libraries' loggers that could quote a response are held back
    try:
        with served(zendesk_app()) as zendesk_url, served(gitlab_app()) as gitlab_url:
            config, pair = config_for(zendesk_url, gitlab_url, limits)
            work = prepare(config, pair, date(2026, 11, 17), "Europe/Berlin", NOW, env=ENV)
        with served(zendesk_app(RestFaults(always=500, retry_after=None))) as down:
            config, pair = config_for(down, None, limits)
            failed = prepare(config, pair, date(2026, 11, 17), "Europe/Berlin", work.as_of or work.week.end, env=ENV)
    finally:
        root.setLevel(level)
        root.removeHandler(handler)
    out = capsys.readouterr()
    assert work.zendesk[0].candidates[1].subject == SUBJECT_101  # the data was read...
    lines = [json.loads(line) for line in out.out.splitlines() if line.startswith("{")]
    assert any(line["message"] == "work data read from zendesk: ok" and line["count"] >= 6 for line in lines)
    assert any(line.get("status") == "unavailable" for line in lines)
    everything = out.out + out.err + " ".join(failed.warnings("x"))
    for secret in (SUBJECT_101, "Runner stuck", "reply 1", "internal note", TOKEN, GITLAB_TOKEN):
        assert secret not in everything  # ...but no subject, body or token was logged or put in a warning


def test_the_header_links_to_the_zendesk_instance_the_engineer_works_in(tmp_path, google, docs, monkeypatch):
    monkeypatch.setenv("DOCKET_ZENDESK_TOKEN", TOKEN)
    monkeypatch.setenv("DOCKET_ZENDESK_TOKEN_US_FEDERAL", TOKEN)
    with served(zendesk_app()) as zendesk_url, served(zendesk_app()) as federal_url:
        roster = ROSTER.format(drive=SHARED_DRIVE).replace(
            'zendesk_user_id = "361234568"', 'zendesk_user_id = "361234568"\nzendesk_instance = "us_federal"')
        path = tmp_path / "docket.toml"
        path.write_text(roster + sources_toml(zendesk_url) + f'\n[zendesk.us_federal]\nurl = "{federal_url}"\n'
                        f'email = "{API_EMAIL}"\n', encoding="utf-8")
        settings = load_settings(str(path), env={"DOCKET_DATA_DIR": str(tmp_path / "data"),
                                                 "DOCKET_GOOGLE_ENDPOINT": "http://127.0.0.1:9"})
        services = Services.build(settings, google)
        services.writer.sleep = lambda _s: None
        sam, zoe = (OneOnOnes(services).ensure_week(pair, WEEK) for pair in settings.one_on_ones)
        # The links' URLs, as the documents hold them.
        sam_text, zoe_text = (json.dumps(docs.get(o.document_id), ensure_ascii=False) for o in (sam, zoe))
    assert "https://acme.zendesk.com/agent/users/361234567/assigned_tickets" in sam_text  # [organization] zendesk_url
    assert f"{federal_url}/agent/users/361234568/assigned_tickets" in zoe_text
    assert f"{federal_url}/agent/search/1?q=commenter%3A361234568" in zoe_text
    assert "acme.zendesk.com/agent" not in zoe_text
