"""`docket daily` and POST /tasks/daily: the same job from the command line and from Cloud Scheduler."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.app import create_app
from service.cli import main
from service.settings import load_settings
from tests.engine.test_endpoint_backend import served_emulator  # noqa: F401 - the fixture
from tests.reminders.conftest import WEBHOOK_ENV, out_of_office, seed_primary
from tests.support.chat_receiver import KEY, TOKEN

AUDIENCE = "https://docket.example.run.app"
SCHEDULER = "scheduler@proj.iam.gserviceaccount.com"


def test_a_fresh_clone_prints_one_reminder_for_the_demo_and_none_on_a_rerun(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled example on the embedded default: Zoë's demo time off starts on D+1, for any D."""
    clone = tmp_path / "clone"  # no docket.toml here: the bundled example
    clone.mkdir()
    monkeypatch.chdir(clone)
    for name in ("DOCKET_CONFIG", "DOCKET_DATA_DIR", "DOCKET_GOOGLE_ENDPOINT", "DOCKET_CHAT_WEBHOOK"):
        monkeypatch.delenv(name, raising=False)
    for day in ("2026-11-18", "2027-03-26"):  # a Wednesday; a Friday before the EU's DST change
        first = CliRunner().invoke(main, ["daily", "--date", day])
        assert first.exit_code == 0, first.output
        assert first.output.count("Time off coming up: Zoë Okafor") == 1, first.output
        assert "first day tomorrow" in first.output and "1 message(s) sent or printed" in first.output
        rerun = CliRunner().invoke(main, ["daily", "--date", day])
        assert rerun.exit_code == 0 and "Time off coming up" not in rerun.output
        assert "0 message(s) sent or printed; 1 already sent earlier" in rerun.output


def test_docket_daily_posts_to_the_webhook(runner, store, receiver, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv(WEBHOOK_ENV, receiver.url())
    seed_primary(store, "zoe@example.com", "America/New_York", out_of_office("ooo", date(2026, 11, 19), 1, "America/New_York"))
    result = runner.invoke(main, ["daily", "--date", "2026-11-18"])
    assert result.exit_code == 0, result.output
    assert "sent      time-off reminder to maria@example.com about zoe@example.com (docket_pto_2026-11-19)" in result.output
    assert len(receiver.texts()) == 1
    assert runner.invoke(main, ["daily", "--date", "2026-11-18"]).exit_code == 0 and len(receiver.posts) == 1


def test_docket_daily_exits_2_on_a_bad_webhook_without_showing_it(runner, store, docs, receiver, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv(WEBHOOK_ENV, f"http://chat.googleapis.com/v1/spaces/A/messages?key={KEY}&token={TOKEN}")
    seed_primary(store, "zoe@example.com", "America/New_York", out_of_office("ooo", date(2026, 11, 19), 1, "America/New_York"))
    before = docs.snapshot()
    result = runner.invoke(main, ["daily", "--date", "2026-11-18"])
    assert result.exit_code == 2
    assert f"env:{WEBHOOK_ENV}" in result.output and KEY not in result.output and TOKEN not in result.output
    assert docs.snapshot() == before and receiver.posts == []


def test_docket_daily_exits_1_when_a_message_fails(runner, store, receiver, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv(WEBHOOK_ENV, receiver.url(token="revoked"))
    seed_primary(store, "zoe@example.com", "America/New_York", out_of_office("ooo", date(2026, 11, 19), 1, "America/New_York"))
    result = runner.invoke(main, ["daily", "--date", "2026-11-18"])
    assert result.exit_code == 1
    assert "FAILED" in result.output and "401 UNAUTHENTICATED" in result.output and "revoked" not in result.output


@pytest.fixture
def app(settings_file, data_dir, google, oidc):  # noqa: ANN001, ANN201
    settings = load_settings(str(settings_file), env={"DOCKET_DATA_DIR": str(data_dir), "DOCKET_AUTH_CERTS_URL": oidc.certs_url})
    return create_app(settings, google=google, clock=lambda: datetime(2026, 11, 18, 15, tzinfo=timezone.utc))


def test_tasks_daily_needs_the_scheduler_token_and_changes_nothing_without_it(app, docs, receiver, oidc) -> None:  # noqa: ANN001
    before = docs.snapshot()
    for headers in ({}, {"Authorization": oidc.bearer(email="someone@proj.iam.gserviceaccount.com", audience=AUDIENCE)}):
        response = app.test_client().post("/tasks/daily", json={}, headers=headers)
        assert response.status_code in (401, 403) and set(response.get_json()) == {"error"}
    assert docs.snapshot() == before and receiver.posts == []


def test_tasks_daily_runs_the_job_once_per_message(app, store, receiver, oidc, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv(WEBHOOK_ENV, receiver.url())
    seed_primary(store, "zoe@example.com", "America/New_York", out_of_office("ooo", date(2026, 11, 19), 1, "America/New_York"))
    headers = {"Authorization": oidc.bearer(email=SCHEDULER, audience=AUDIENCE)}
    client = app.test_client()
    first = client.post("/tasks/daily", json={}, headers=headers)  # "today" is Wed 18 Nov in New York
    assert first.status_code == 200, first.get_data(as_text=True)
    body = first.get_json()
    assert body["date"] == "2026-11-18"
    assert [(r["kind"], r["report"], r["status"]) for r in body["results"]] == [("pto", "zoe@example.com", "sent")]
    again = client.post("/tasks/daily", json={"date": "2026-11-18"}, headers=headers).get_json()
    assert [r["status"] for r in again["results"]] == ["already sent"] and len(receiver.texts()) == 1
    bad = client.post("/tasks/daily", json={"date": "18/11/2026"}, headers=headers)
    assert bad.status_code == 400 and len(receiver.posts) == 1


def test_docket_daily_over_http_acts_as_each_engineer(runner, served_emulator, receiver, monkeypatch) -> None:  # noqa: ANN001
    """The endpoint backend names the engineer to `docket emulator` (X-Emulator-Identity): the OOO on Zoë's own
    primary calendar is found only if her calendar is read as her."""
    from service.emulator.bootstrap import open_store
    from tests.conftest import SHARED_DRIVE

    url, emu_data = served_emulator
    store = open_store(emu_data, shared_drive_id=SHARED_DRIVE)
    seed_primary(store, "zoe@example.com", "America/New_York", out_of_office("ooo", date(2026, 11, 19), 1, "America/New_York"))
    store.seed_calendar("team-pto@group.calendar.example.com", summary="Team PTO", time_zone="America/New_York", owner=None,
                        acl=[{"scope": {"type": "domain", "value": "example.com"}, "role": "reader"}])
    monkeypatch.setenv("DOCKET_GOOGLE_ENDPOINT", url)
    monkeypatch.setenv(WEBHOOK_ENV, receiver.url())
    result = runner.invoke(main, ["daily", "--date", "2026-11-18"])
    assert result.exit_code == 0, result.output
    assert "endpoint backend" in result.output and len(receiver.texts()) == 1


def test_the_demo_is_not_seeded_when_the_webhook_is_bad(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    monkeypatch.chdir(clone)
    for name in ("DOCKET_CONFIG", "DOCKET_DATA_DIR", "DOCKET_GOOGLE_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKET_CHAT_WEBHOOK", f"https://chat.googleapis.com/v1/spaces/A/messages?key={KEY}")
    result = CliRunner().invoke(main, ["daily", "--date", "2026-11-18"])
    assert result.exit_code == 2 and "env:DOCKET_CHAT_WEBHOOK" in result.output and KEY not in result.output
    drive = clone / ".docket" / "emulator" / "drive.json"
    assert not drive.exists() or "calendars" not in drive.read_text(encoding="utf-8")
