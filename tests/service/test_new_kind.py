"""A document kind defined only in the tests (tests/kinds/team_meeting.py) works everywhere a built-in kind does.

docs/adding-a-document-kind.md promises that a new kind is one module, its templates and its
settings: these tests hold Docket to it — the weekly job (both dispatch modes), the registry, the
Docs menu's participant check, Cloud Tasks' /tasks/section, and the withheld-text rule.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.app import create_app
from service.calendar import Week
from service.meetings.catalog import BUILTIN_KINDS
from service.meetings.kind import Catalog
from service.meetings.reading import read_for, withheld_notice
from service.meetings.weekly import plan_week
from service.services import Services
from tests.kinds.team_meeting import TeamSettings, team_meeting_kind
from tests.service.test_dispatch import QUEUE, fake_tasks, tasks_settings  # noqa: F401 (fixtures)

TEAM = team_meeting_kind([TeamSettings("maria@example.com", weekday=0, timezone="Europe/Berlin")])
KINDS = Catalog((*BUILTIN_KINDS.kinds, TEAM))


def team_doc(body: dict) -> dict:
    (result,) = [r for r in body["results"] if r["kind"] == "team_meeting"]
    return result


def test_the_weekly_job_makes_and_keeps_the_new_kind_exactly_once(settings, google, clock, tokens, docs):
    client = create_app(settings, google=google, clock=clock, kinds=KINDS).test_client()
    first = client.post("/tasks/weekly", headers=tokens.scheduler())
    assert first.status_code == 200, first.get_json()
    made = team_doc(first.get_json())
    assert made["action"] == "created" and made["url"].endswith(f"/d/{made['document_id']}/edit")  # the job links the doc
    text = docs.text(made["document_id"])
    assert text.startswith("Team meeting — María García's team") and "2026-11-16 · Team meeting" in text
    assert "Sam Lee:" in text and "Zoë" in text  # maria's reports, from the 1:1 roster
    # The built-in kinds still run beside it.
    assert {r["kind"] for r in first.get_json()["results"]} >= {"one_on_one", "leadership_agenda", "team_meeting"}

    again = client.post("/tasks/weekly", headers=tokens.scheduler())
    assert team_doc(again.get_json())["action"] == "present"
    assert docs.text(made["document_id"]).count("2026-11-16 · Team meeting") == 1
    # Shared with its participants when created.
    perms = google.permissions.list(fileId=made["document_id"], supportsAllDrives=True,
                                    fields="permissions(emailAddress,role)").execute()["permissions"]
    assert {p.get("emailAddress") for p in perms if p.get("role") == "writer"} == {
        "maria@example.com", "sam@example.com", "zoe@example.com"}


def test_the_docs_menu_checks_the_new_kinds_participants(settings, google, clock, tokens, docs):
    client = create_app(settings, google=google, clock=clock, kinds=KINDS).test_client()
    doc_id = team_doc(client.post("/tasks/weekly", headers=tokens.scheduler()).get_json())["document_id"]
    before = docs.snapshot()
    refused = client.post("/addon/section", json={"documentId": doc_id}, headers=tokens.person("vp@example.com"))
    assert refused.status_code == 403 and "the manager and their team" in refused.get_json()["error"]["message"]
    assert docs.snapshot() == before
    ok = client.post("/addon/section", json={"documentId": doc_id}, headers=tokens.person("sam@example.com"))
    assert ok.status_code == 200 and ok.get_json()["created"] is False


def test_cloud_tasks_fan_out_enqueues_the_new_kind_and_its_task_runs(tasks_settings, google, clock, tokens, fake_tasks,  # noqa: F811
                                                                      docs):
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import tasks_v2
    from google.cloud.tasks_v2.services.cloud_tasks.transports.rest import CloudTasksRestTransport

    def client_factory():
        transport = CloudTasksRestTransport(host=f"127.0.0.1:{fake_tasks.server_port}", url_scheme="http",
                                            credentials=AnonymousCredentials())
        return tasks_v2.CloudTasksClient(transport=transport)

    client = create_app(tasks_settings, google=google, clock=clock, tasks_client_factory=client_factory,
                        kinds=KINDS).test_client()
    tasks = tokens.scheduler(email="tasks@docket-proj.iam.gserviceaccount.com")
    first = client.post("/tasks/weekly", headers=tokens.scheduler()).get_json()
    (job,) = [d for d in first["dispatched"] if d["kind"] == "team_meeting"]
    assert job["document_id"] is None and job["job"] == "team_meeting/maria@example.com"
    made = client.post("/tasks/job", json={"job": job["job"], "date": "2026-11-18"}, headers=tasks)
    assert made.status_code == 200 and made.get_json()["results"][0]["action"] == "created"
    doc_id = made.get_json()["results"][0]["document_id"]

    body = client.post("/tasks/weekly", json={"date": "2026-11-25"}, headers=tokens.scheduler()).get_json()
    (task,) = [d for d in body["dispatched"] if d["kind"] == "team_meeting"]
    assert task["document_id"] == doc_id and f"{QUEUE}/tasks/{task['task']}" in fake_tasks.tasks
    ran = client.post("/tasks/section", json={"documentId": doc_id, "date": "2026-11-25"}, headers=tasks)
    assert ran.status_code == 200 and ran.get_json()["action"] == "appended"
    assert "2026-11-23 · Team meeting" in docs.text(doc_id)


def test_a_new_kind_may_withhold_its_text_outside_google_docs(settings, google):
    withheld = team_meeting_kind([TeamSettings("maria@example.com", weekday=0, timezone="Europe/Berlin")], shows_text=False)
    services = Services.build(settings, google, kinds=Catalog((*BUILTIN_KINDS.kinds, withheld)))
    services.writer.sleep = lambda _s: None
    (job,) = [j for j in plan_week(services, Week.of(date(2026, 11, 18))) if j.kind == "team_meeting"]
    doc_id = job.run()[0].document_id
    assert read_for(services, doc_id).resource is None
    assert read_for(services, doc_id, "vp@example.com").notice == withheld_notice(withheld)
    assert "Team meeting" in str(read_for(services, doc_id, "Sam@Example.com").resource)


def test_kind_ids_must_be_distinct():
    with pytest.raises(ValueError, match="distinct"):
        Catalog((*BUILTIN_KINDS.kinds, BUILTIN_KINDS.get("one_on_one")))
