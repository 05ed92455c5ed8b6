"""Cloud Tasks fan-out: task construction, and the real CloudTasksClient (REST transport) against an in-process fake API."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import tasks_v2
from google.cloud.tasks_v2.services.cloud_tasks.transports.rest import CloudTasksRestTransport

from service.app import create_app
from service.dispatch import build_task, task_id, week_start
from service.settings import load_settings
from tests.service.conftest import AUDIENCE, SCHEDULER

QUEUE = "projects/docket-proj/locations/europe-west1/queues/docket-sections"
TASKS_SA = "tasks@docket-proj.iam.gserviceaccount.com"


def test_task_ids_are_deterministic_per_document_and_week():
    assert week_start(date(2026, 11, 18)) == date(2026, 11, 16)
    assert task_id("1AbC_d-9", date(2026, 11, 18)) == "docket-1AbC_d-9-2026-11-16"
    # Every day of the ISO week gives the same name; the next week another.
    assert {task_id("x", date(2026, 11, d)) for d in range(16, 23)} == {"docket-x-2026-11-16"}
    assert task_id("x", date(2026, 11, 23)) == "docket-x-2026-11-23"


def test_ids_outside_the_task_alphabet_cannot_collide():
    a, b = task_id("a.b", date(2026, 1, 1)), task_id("a/b", date(2026, 1, 1))
    assert a != b
    for name in (a, b):
        assert all(c.isalnum() or c in "_-" for c in name) and len(name) <= 500


def test_a_task_posts_the_document_week_with_an_oidc_token():
    spec = build_task(queue=QUEUE, base_url="https://docket.example.run.app/", document_id="1Doc", day=date(2026, 11, 18),
                      service_account=TASKS_SA, audience=AUDIENCE)
    task = tasks_v2.Task(spec.to_task())  # the dict is a valid Task for the client library
    assert task.name == f"{QUEUE}/tasks/docket-1Doc-2026-11-16"
    request = task.http_request
    assert request.http_method == tasks_v2.HttpMethod.POST
    assert request.url == "https://docket.example.run.app/tasks/section"
    assert request.headers == {"Content-Type": "application/json"}
    assert json.loads(request.body) == {"documentId": "1Doc", "date": "2026-11-18"}
    assert (request.oidc_token.service_account_email, request.oidc_token.audience) == (TASKS_SA, AUDIENCE)


class _FakeTasks(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _FakeTasksHandler)
        self.tasks: dict[str, dict] = {}
        self.requests: list[tuple[str, dict]] = []
        self.lock = threading.Lock()


class _FakeTasksHandler(BaseHTTPRequestHandler):
    """`POST /v2/{queue}/tasks` (CreateTask) as the Cloud Tasks REST API answers it, ALREADY_EXISTS included."""

    server: _FakeTasks

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.requests.append((self.path.split("?")[0], body))
            name = body["task"]["name"]
            if name in self.server.tasks:
                self._send(409, {"error": {"code": 409, "message": "Requested entity already exists", "status": "ALREADY_EXISTS"}})
                return
            self.server.tasks[name] = body["task"]
        self._send(200, {**body["task"], "createTime": "2026-11-18T12:00:00Z", "view": "BASIC"})

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def fake_tasks() -> Iterator[_FakeTasks]:
    server = _FakeTasks()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tasks_settings(settings_file: Path, data_dir: Path, oidc, settings):
    path = settings_file.with_name("docket-tasks.toml")
    text = settings_file.read_text(encoding="utf-8")
    text = text.replace('[auth]\n', f'[dispatch]\nmode = "cloud-tasks"\nqueue = "{QUEUE}"\nservice_account = "{TASKS_SA}"\n\n[auth]\n')
    text = text.replace(f'scheduler_service_accounts = ["{SCHEDULER}"]', f'scheduler_service_accounts = ["{SCHEDULER}", "{TASKS_SA}"]')
    path.write_text(text, encoding="utf-8")
    return load_settings(str(path), env={"DOCKET_DATA_DIR": str(data_dir), "DOCKET_AUTH_CERTS_URL": oidc.certs_url})


@pytest.fixture
def tasks_client(tasks_settings, google, clock, fake_tasks):
    def client_factory():
        transport = CloudTasksRestTransport(host=f"127.0.0.1:{fake_tasks.server_port}", url_scheme="http",
                                            credentials=AnonymousCredentials())
        return tasks_v2.CloudTasksClient(transport=transport)

    app = create_app(tasks_settings, google=google, clock=clock, tasks_client_factory=client_factory)
    return app.test_client()


def _deliver(tasks_client, tokens, task: dict) -> Any:
    """What Cloud Tasks does with a task: POST its body to its URL with the queue's OIDC identity."""
    http = task["httpRequest"]
    token = tokens.oidc.bearer(email=http["oidcToken"]["serviceAccountEmail"], audience=http["oidcToken"]["audience"])
    return tasks_client.post(http["url"].removeprefix("http://127.0.0.1:8080"), data=base64.b64decode(http["body"]),
                             headers={**http["headers"], "Authorization": token})


def test_fan_out_runs_nothing_inline_new_documents_included_and_dedups_each_week(tasks_client, tokens, fake_tasks, docs):
    first = tasks_client.post("/tasks/weekly", headers=tokens.scheduler())
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    # Nothing existed: nothing ran in this request; every job (the new pairs, the leadership sync) is a task.
    assert body["results"] == [] and docs.ids() == []
    assert {(d["kind"], d["document_id"]) for d in body["dispatched"]} == {
        ("one_on_one", None), ("leadership", None)}
    assert sorted(d["job"] for d in body["dispatched"]) == [
        "leadership", "one_on_one/maria@example.com/sam@example.com", "one_on_one/maria@example.com/zoe@example.com"]
    jobs = list(fake_tasks.tasks.values())
    assert {t["httpRequest"]["url"] for t in jobs} == {"http://127.0.0.1:8080/tasks/job"}
    for task in jobs:  # Cloud Tasks delivers them: the documents are created
        response = _deliver(tasks_client, tokens, task)
        assert response.status_code == 200, response.get_json()
        assert {r["action"] for r in response.get_json()["results"]} == {"created"}
    assert len(docs.ids("one_on_one")) == 2 and len(docs.ids("leadership_agenda")) == 1

    second = tasks_client.post("/tasks/weekly", json={"date": "2026-11-25"}, headers=tokens.scheduler())
    assert second.status_code == 200
    dispatched = second.get_json()["dispatched"]
    one_on_ones = docs.ids("one_on_one")
    # The 1:1s exist now: fanned out by document; the leadership sync stays a job (it spans two docs).
    assert sorted(d["document_id"] for d in dispatched if d["kind"] == "one_on_one") == sorted(one_on_ones)
    assert {d["status"] for d in dispatched} == {"enqueued"}
    assert {d["task"] for d in dispatched if d["document_id"]} == {f"docket-{i}-2026-11-23" for i in one_on_ones}
    by_document = [t for t in fake_tasks.tasks.values() if t["httpRequest"]["url"].endswith("/tasks/section")]
    # Each task carries its own meeting's date (Sam: Tuesdays in Berlin; Zoë: Thursdays).
    dates = {json.loads(base64.b64decode(t["httpRequest"]["body"]))["date"] for t in by_document}
    assert dates == {"2026-11-24", "2026-11-26"}
    path, request = fake_tasks.requests[-1]
    assert path == f"/v2/{QUEUE}/tasks"
    http = request["task"]["httpRequest"]
    assert tasks_v2.HttpMethod(http["httpMethod"]) == tasks_v2.HttpMethod.POST  # the REST client sends enums as numbers
    assert http["oidcToken"] == {"serviceAccountEmail": TASKS_SA, "audience": AUDIENCE}
    assert http["headers"] == {"Content-Type": "application/json"}

    # A retried Scheduler delivery (or a re-run later that week) is deduplicated by task name.
    third = tasks_client.post("/tasks/weekly", json={"date": "2026-11-27"}, headers=tokens.scheduler())
    assert {d["status"] for d in third.get_json()["dispatched"]} == {"already_enqueued"}
    assert len(fake_tasks.tasks) == 3 + 3

    # Cloud Tasks then delivers each of this week's tasks with the queue's OIDC identity.
    before = docs.snapshot()
    for task in fake_tasks.tasks.values():
        if task["name"].endswith("2026-11-23"):
            response = _deliver(tasks_client, tokens, task)
            assert response.status_code == 200, response.get_json()
    assert docs.snapshot() != before
    sam = next(i for i in docs.ids("one_on_one"))
    assert "2026-11-24" in docs.text(sam) or "2026-11-26" in docs.text(sam)


def test_a_job_task_for_a_pair_no_longer_in_the_roster_is_404_and_changes_nothing(tasks_client, tokens, docs):
    before = docs.snapshot()
    response = tasks_client.post("/tasks/job", json={"job": "one_on_one/gone@example.com/x@example.com", "date": "2026-11-18"},
                                 headers=tokens.scheduler(email=TASKS_SA))
    assert response.status_code == 404 and docs.snapshot() == before


def test_an_unreachable_queue_is_reported_per_document(tasks_settings, google, clock, tokens, docs):
    def broken():
        transport = CloudTasksRestTransport(host="127.0.0.1:9", url_scheme="http", credentials=AnonymousCredentials())
        return tasks_v2.CloudTasksClient(transport=transport)

    client = create_app(tasks_settings, google=google, clock=clock, tasks_client_factory=broken).test_client()
    response = client.post("/tasks/weekly", json={"date": "2026-11-25"}, headers=tokens.scheduler())
    assert response.status_code == 500
    body = response.get_json()
    assert body["error"]["code"] == "documents_failed"
    assert len(body["failures"]) == 3 and all("Cloud Tasks" in f["error"] for f in body["failures"])


def test_already_exists_is_recognised_on_grpc_and_rest_but_aborted_is_not():
    import requests
    from google.api_core import exceptions

    from service.dispatch import _already_exists

    def rest(status: str) -> Exception:
        response = requests.Response()
        response.status_code = 409
        response._content = json.dumps({"error": {"code": 409, "message": "m", "status": status}}).encode()
        response.request = requests.Request("POST", "http://x/v2/q/tasks").prepare()
        return exceptions.from_http_response(response)

    assert _already_exists(exceptions.AlreadyExists("task exists"))
    assert _already_exists(rest("ALREADY_EXISTS"))
    assert not _already_exists(rest("ABORTED"))
    assert not _already_exists(exceptions.PermissionDenied("no"))


def test_fan_out_and_inline_pick_the_same_meeting_when_the_zones_disagree_on_the_week(tasks_settings, google, fake_tasks):
    # Sunday 23:30 in New York (the organisation) is already Monday in Berlin, where Sam meets on Tuesdays.
    from datetime import datetime, timezone

    from service.calendar import Week
    from service.dispatch import TaskDispatcher
    from service.services import Services
    from service.meetings.one_on_one import OneOnOnes

    def client_factory():
        transport = CloudTasksRestTransport(host=f"127.0.0.1:{fake_tasks.server_port}", url_scheme="http",
                                            credentials=AnonymousCredentials())
        return tasks_v2.CloudTasksClient(transport=transport)

    engine = Services.build(tasks_settings, google)
    sam = tasks_settings.one_on_ones[0]
    OneOnOnes(engine).ensure_week(sam, Week.of(datetime(2026, 11, 18).date()))  # the doc exists
    week = Week.of(None, datetime(2026, 11, 23, 4, 30, tzinfo=timezone.utc))
    inline = OneOnOnes(engine).ensure_week(sam, week)
    TaskDispatcher(engine, client_factory).run(week)
    bodies = [json.loads(base64.b64decode(t["httpRequest"]["body"])) for t in fake_tasks.tasks.values()]
    sams = [b["date"] for b in bodies if b.get("documentId") == inline.document_id]
    assert sams == ["2026-11-24"]  # the meeting inline mode wrote, not the Tuesday before
