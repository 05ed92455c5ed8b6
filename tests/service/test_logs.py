"""Structured JSON logs: Cloud Logging fields, the request's trace, and nothing confidential."""

from __future__ import annotations

import json
import logging

import pytest

from service.logs import JsonFormatter, TraceContext, trace_scope
from tests.service.conftest import CONFIDENTIAL_CANARY

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_request_lines_carry_severity_message_time_and_the_cloud_trace(client, tokens, capsys, monkeypatch):
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "docket-proj")
    capsys.readouterr()
    client.post("/tasks/weekly", headers={**tokens.scheduler(), "X-Cloud-Trace-Context": f"{TRACE}/1234;o=1"})
    entries = lines(capsys.readouterr().out)
    assert entries, "no JSON log lines on stdout"
    for entry in entries:
        assert entry["severity"] in {"INFO", "WARNING"} and entry["message"] and entry["time"].endswith("Z")
        assert entry["logging.googleapis.com/trace"] == f"projects/docket-proj/traces/{TRACE}"
        assert entry["logging.googleapis.com/spanId"] == f"{1234:016x}"
        assert entry["logging.googleapis.com/trace_sampled"] is True
    access = entries[-1]
    assert (access["method"], access["path"], access["status"]) == ("POST", "/tasks/weekly", 200)
    created = [e for e in entries if e.get("action") == "created"]
    assert len(created) == 4 and all(e["document_id"] and e["kind"] for e in created)


def test_w3c_traceparent_works_and_without_a_project_the_trace_id_stays(client, capsys):
    capsys.readouterr()
    client.get("/healthz", headers={"traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"})
    (entry,) = lines(capsys.readouterr().out)
    assert entry["trace_id"] == TRACE and "logging.googleapis.com/trace" not in entry
    assert entry["logging.googleapis.com/spanId"] == "00f067aa0ba902b7"


@pytest.mark.parametrize("headers", [
    {},
    {"X-Cloud-Trace-Context": "not-a-trace"},
    {"X-Cloud-Trace-Context": "0" * 32 + "/1"},
    {"traceparent": "00-xyz-00f067aa0ba902b7-01"},
    {"X-Cloud-Trace-Context": '"}, "severity": "CRITICAL'},
])
def test_missing_or_malformed_trace_headers_are_ignored(client, capsys, headers):
    capsys.readouterr()
    client.get("/healthz", headers=headers)
    (entry,) = lines(capsys.readouterr().out)
    assert entry["severity"] == "INFO"
    assert not any(k.startswith("logging.googleapis.com/") or k == "trace_id" for k in entry)


def test_trace_header_parsing():
    assert TraceContext.from_headers({"X-Cloud-Trace-Context": f"{TRACE.upper()}"}) == TraceContext(TRACE, None, None)
    assert TraceContext.from_headers({"X-Cloud-Trace-Context": f"{TRACE}/7;o=0"}).sampled is False
    both = TraceContext.from_headers({"traceparent": f"00-{TRACE}-00f067aa0ba902b7-00", "X-Cloud-Trace-Context": "a" * 32})
    assert both == TraceContext(TRACE, "00f067aa0ba902b7", False)


def test_only_allow_listed_fields_and_no_exception_messages_are_written():
    formatter = JsonFormatter(project="p")
    try:
        raise ValueError(f"could not parse {CONFIDENTIAL_CANARY}")
    except ValueError:
        import sys

        record = logging.LogRecord("service.x", logging.ERROR, __file__, 1, "failed for %s", ("doc-1",), sys.exc_info())
    record.text = CONFIDENTIAL_CANARY  # an `extra` that is not allow-listed
    record.document_id = "doc-1"
    with trace_scope(TraceContext(TRACE)):
        entry = json.loads(formatter.format(record))
    assert entry["message"] == "failed for doc-1" and entry["severity"] == "ERROR" and entry["document_id"] == "doc-1"
    assert entry["logging.googleapis.com/trace"] == f"projects/p/traces/{TRACE}"
    assert "ValueError" in entry["stack_trace"] and entry["exc_type"] == "ValueError"
    # (the frames quote source lines, which name the variable; its value must not appear)
    assert "performance plan" not in json.dumps(entry, ensure_ascii=False)


def test_an_unexpected_error_is_a_500_in_the_shape_and_its_message_is_not_logged(app, capsys):
    @app.get("/boom")
    def boom():
        raise RuntimeError(f"leaked {CONFIDENTIAL_CANARY}")

    capsys.readouterr()
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.get_json() == {"error": {"code": "internal", "message": "internal error"}}
    out = capsys.readouterr().out
    error = next(e for e in lines(out) if e["severity"] == "ERROR")
    assert "RuntimeError" in error["stack_trace"] and "test_logs.py" in error["stack_trace"]
    assert "performance plan" not in out


def test_the_weekly_run_ends_with_one_summary_line(client, tokens, capsys):
    assert client.post("/tasks/weekly", headers=tokens.scheduler()).status_code == 200
    capsys.readouterr()
    assert client.post("/tasks/weekly", headers=tokens.scheduler()).status_code == 200
    finished = [e["message"] for e in lines(capsys.readouterr().out) if e["message"].startswith("weekly run finished")]
    assert finished == ["weekly run finished: nothing changed — 4 present, 0 failed"]


def test_a_fanned_out_run_counts_tasks():
    from datetime import date

    from service.dispatch import Dispatched, FanOutReport
    from service.meetings.outcome import Failure

    sent = (Dispatched("1a", "one_on_one", "t1", "enqueued", "j1"), Dispatched("1b", "one_on_one", "t2", "already_enqueued", "j2"))
    assert FanOutReport(date(2026, 11, 18), (), sent).summary == "1 task(s) enqueued, 1 already enqueued, 0 failed"
    again = FanOutReport(date(2026, 11, 18), (), sent[1:])
    assert again.summary == "0 task(s) enqueued, 1 already enqueued, 0 failed — nothing new to dispatch"
    failed = FanOutReport(date(2026, 11, 18), (), (), (Failure("leadership", "Sync", "refused", None, 2),))
    assert failed.summary == "0 task(s) enqueued, 0 already enqueued, 2 failed"
