"""/tasks/section and /tasks/job pass a document's warnings on: in the JSON body, and as a log line without their text."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from service.settings import Settings, load_settings
from tests.conftest import ROSTER, SHARED_DRIVE

# Zendesk configured, but no token in the environment: every new 1:1 week says its data is unavailable.
WITH_ZENDESK = '\n[zendesk]\nurl = "http://127.0.0.1:1"\nemail = "docket-api@example.com"\n'


@pytest.fixture
def settings(tmp_path: Path, data_dir: Path, oidc, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The test roster with [zendesk], on an endpoint backend (the embedded default would read its demo data)."""
    for name in ("DOCKET_ZENDESK_TOKEN", "DOCKET_SECRET_KEY", "GOOGLE_CLOUD_PROJECT"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "docket.toml"
    path.write_text(ROSTER.format(drive=SHARED_DRIVE) + WITH_ZENDESK, encoding="utf-8")
    return load_settings(str(path), env={"DOCKET_DATA_DIR": str(data_dir), "DOCKET_AUTH_CERTS_URL": oidc.certs_url,
                                         "DOCKET_GOOGLE_ENDPOINT": "http://127.0.0.1:9"})


def one_on_one(body: dict) -> str:
    return next(r["document_id"] for r in body["results"] if r["kind"] == "one_on_one")


def warning_logs(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == "section written with warnings"]


def test_a_section_task_answers_and_logs_its_warnings(client, tokens, weekly_done, caplog):
    assert any("DOCKET_ZENDESK_TOKEN" in w for w in weekly_done["warnings"])
    with caplog.at_level(logging.INFO):
        response = client.post("/tasks/section", json={"documentId": one_on_one(weekly_done), "date": "2026-11-25"},
                               headers=tokens.scheduler())
    body = response.get_json()
    assert response.status_code == 200 and body["action"] == "appended"
    assert body["warnings"] == ["Zendesk data unavailable for the 1:1 of Sam Lee and María García: "
                                "no API token (set DOCKET_ZENDESK_TOKEN)"]
    (logged,) = warning_logs(caplog)
    assert logged.__dict__["count"] == len(body["warnings"])
    assert not any(w in logged.getMessage() for w in body["warnings"])


def test_a_job_task_answers_its_warnings(client, tokens, settings, caplog):
    pair = settings.one_on_ones[0]
    with caplog.at_level(logging.INFO):
        response = client.post("/tasks/job", json={"job": f"one_on_one/{pair.manager}/{pair.report}",
                                                   "date": "2026-11-18"}, headers=tokens.scheduler())
    body = response.get_json()
    assert response.status_code == 200 and [r["action"] for r in body["results"]] == ["created"]
    assert len(body["warnings"]) == 1 and "no API token (set DOCKET_ZENDESK_TOKEN)" in body["warnings"][0]
    assert [r.__dict__["count"] for r in warning_logs(caplog)] == [1]


def test_a_present_section_has_no_warnings(client, tokens, weekly_done):
    response = client.post("/tasks/section", json={"documentId": one_on_one(weekly_done), "date": "2026-11-18"},
                           headers=tokens.scheduler())
    assert response.get_json()["action"] == "present" and "warnings" not in response.get_json()
