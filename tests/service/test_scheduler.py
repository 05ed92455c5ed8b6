"""POST /tasks/weekly and /tasks/section: Google OIDC only, exactly one section per doc per week."""

from __future__ import annotations

import dataclasses
import time

import pytest

from service.app import create_app
from tests.service.conftest import ADDON_CLIENT, AUDIENCE, SCHEDULER, doc_of

ERROR_KEYS = {"error"}


def rejected(response, status: int, code: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == ERROR_KEYS and body["error"]["code"] == code and body["error"]["message"]


BAD_TOKENS = {
    "no header": lambda oidc: None,
    "empty bearer": lambda oidc: "Bearer ",
    "garbage": lambda oidc: "Bearer not-a-jwt",
    "basic auth": lambda oidc: "Basic c2NoZWR1bGVyOnB3",
    "expired": lambda oidc: oidc.bearer(email=SCHEDULER, audience=AUDIENCE, issued_at=1_000_000, expires_in=3600),
    "future": lambda oidc: oidc.bearer(email=SCHEDULER, audience=AUDIENCE, issued_at=4_000_000_000),
    "wrong audience": lambda oidc: oidc.bearer(email=SCHEDULER, audience="https://other.example.run.app"),
    "add-on audience": lambda oidc: oidc.bearer(email=SCHEDULER, audience=ADDON_CLIENT),
    "another key": lambda oidc: oidc.bearer(email=SCHEDULER, audience=AUDIENCE, key=oidc.attacker_key),
    "wrong issuer": lambda oidc: oidc.bearer(email=SCHEDULER, audience=AUDIENCE, issuer="https://evil.example.com"),
    "no issuer": lambda oidc: oidc.bearer(email=SCHEDULER, audience=AUDIENCE, issuer=None),
    "email not verified": lambda oidc: oidc.bearer(email=SCHEDULER, audience=AUDIENCE, email_verified=False),
    "no email": lambda oidc: oidc.bearer(email=None, audience=AUDIENCE),
    "not before tomorrow": lambda oidc: oidc.bearer(email=SCHEDULER, audience=AUDIENCE,
                                                    extra_claims={"nbf": int(time.time()) + 86_400}),
    "lives ten years": lambda oidc: oidc.bearer(email=SCHEDULER, audience=AUDIENCE, expires_in=10 * 365 * 86_400),
}


@pytest.mark.parametrize("path", ["/tasks/weekly", "/tasks/section"])
@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_without_a_valid_token_it_is_401_and_nothing_changes(client, oidc, docs, weekly_done, path, case):
    before = docs.snapshot()
    header = BAD_TOKENS[case](oidc)
    headers = {"Authorization": header} if header else {}
    body = {"documentId": doc_of(weekly_done, "one_on_one"), "date": "2026-11-25"}
    response = client.post(path, json=body, headers=headers)
    rejected(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert docs.snapshot() == before


@pytest.mark.parametrize("path", ["/tasks/weekly", "/tasks/section"])
def test_cloud_scheduler_headers_are_not_authentication(client, docs, path):
    before = docs.snapshot()
    headers = {"X-CloudScheduler": "true", "X-CloudScheduler-JobName": "docket-weekly", "User-Agent": "Google-Cloud-Scheduler",
               "X-CloudTasks-QueueName": "docket-sections", "X-Appengine-Cron": "true"}
    rejected(client.post(path, json={"documentId": "x"}, headers=headers), 401, "unauthenticated")
    assert docs.snapshot() == before
    assert docs.ids() == []


@pytest.mark.parametrize("email", ["intruder@proj.iam.gserviceaccount.com", "maria@example.com"])
def test_a_valid_token_of_another_identity_is_403_and_nothing_changes(client, tokens, docs, email):
    before = docs.snapshot()
    rejected(client.post("/tasks/weekly", headers=tokens.scheduler(email=email)), 403, "forbidden")
    rejected(client.post("/tasks/section", json={"documentId": "x"}, headers=tokens.scheduler(email=email)), 403, "forbidden")
    assert docs.snapshot() == before
    assert docs.ids() == []


def test_weekly_creates_every_doc_then_a_second_delivery_finds_them_present_and_writes_nothing(client, tokens, docs):
    headers = {**tokens.scheduler(), "X-CloudScheduler-ScheduleTime": "2026-11-18T07:00:00Z"}
    first = client.post("/tasks/weekly", headers=headers)
    assert first.status_code == 200
    body = first.get_json()
    assert body["date"] == "2026-11-18"
    kinds = sorted(r["kind"] for r in body["results"])
    assert kinds == ["leadership_agenda", "leadership_confidential", "one_on_one", "one_on_one"]
    assert {r["action"] for r in body["results"]} == {"created"}
    for result in body["results"]:
        assert set(result) == {"document_id", "kind", "action", "url"}
        # The job links each document; it never reads a new section back only to learn its heading's id.
        assert result["url"] == f"https://docs.google.com/document/d/{result['document_id']}/edit"

    after_first = docs.snapshot()
    retried = client.post("/tasks/weekly", headers=headers)  # Scheduler's retry: same schedule time
    assert retried.status_code == 200
    assert [r["action"] for r in retried.get_json()["results"]] == ["present"] * 4
    assert [r["url"] for r in retried.get_json()["results"]] == [r["url"] for r in body["results"]]
    assert docs.snapshot() == after_first  # not a single write


def test_weekly_takes_an_explicit_date_and_appends_that_week(client, tokens, docs, weekly_done):
    response = client.post("/tasks/weekly", json={"date": "2026-11-25"}, headers=tokens.scheduler())
    assert response.status_code == 200
    body = response.get_json()
    assert body["date"] == "2026-11-25"
    assert {r["action"] for r in body["results"]} == {"appended"}
    sam = doc_of(body, "one_on_one")
    assert "2026-11-17" in docs.text(sam) and "2026-11-24" in docs.text(sam)


def test_section_task_ensures_one_document_once(client, tokens, docs, weekly_done):
    sam = doc_of(weekly_done, "one_on_one")
    others = {r["document_id"]: docs.get(r["document_id"])["revisionId"] for r in weekly_done["results"] if r["document_id"] != sam}
    headers = {**tokens.scheduler(), "X-CloudTasks-TaskName": "docket-x-2026-11-23"}
    response = client.post("/tasks/section", json={"documentId": sam, "date": "2026-11-25"}, headers=headers)
    assert response.status_code == 200
    result = response.get_json()
    assert (result["document_id"], result["kind"], result["action"]) == (sam, "one_on_one", "appended")
    again = client.post("/tasks/section", json={"documentId": sam, "date": "2026-11-25"}, headers=headers)
    assert again.get_json() == {**result, "action": "present"}
    assert docs.text(sam).count("2026-11-24") >= 1
    assert {i: docs.get(i)["revisionId"] for i in others} == others  # the other documents are untouched


def test_section_task_on_a_leadership_doc(client, tokens, weekly_done):
    agenda = doc_of(weekly_done, "leadership_agenda")
    response = client.post("/tasks/section", json={"documentId": agenda, "date": "2026-11-25"}, headers=tokens.scheduler())
    assert response.status_code == 200
    assert response.get_json()["action"] == "appended"


def test_section_task_for_an_unknown_document_is_404(client, tokens, docs):
    rejected(client.post("/tasks/section", json={"documentId": "1NoSuchDocument"}, headers=tokens.scheduler()), 404, "not_found")


@pytest.mark.parametrize("body, status, code", [
    (b"{not json", 400, "bad_request"),
    (b"[1, 2]", 400, "invalid_argument"),
    (b'{"date": 20261118}', 400, "invalid_argument"),
    (b'{"date": "18/11/2026"}', 400, "invalid_argument"),
    (b'{"date": "2026-11-18", "all": true}', 400, "invalid_argument"),
])
def test_bad_bodies_are_400_in_the_error_shape_and_change_nothing(client, tokens, docs, body, status, code):
    before = docs.snapshot()
    response = client.post("/tasks/weekly", data=body, content_type="application/json", headers=tokens.scheduler())
    rejected(response, status, code)
    assert docs.snapshot() == before


def test_section_requires_a_document_id(client, tokens):
    response = client.post("/tasks/section", json={"date": "2026-11-18"}, headers=tokens.scheduler())
    rejected(response, 400, "invalid_argument")
    assert "documentId" in response.get_json()["error"]["message"]


def test_a_body_that_is_not_json_is_415(client, tokens, docs):
    response = client.post("/tasks/weekly", data=b"date=2026-11-18", content_type="application/x-www-form-urlencoded",
                           headers=tokens.scheduler())
    rejected(response, 415, "unsupported_media_type")
    assert docs.ids() == []


def test_authentication_is_checked_before_the_body(client, docs):
    rejected(client.post("/tasks/weekly", data=b"{not json", content_type="application/json"), 401, "unauthenticated")


def test_without_a_configured_audience_every_call_is_refused(settings, google, clock, tokens, docs):
    """google-auth skips the audience check for audience=None; Docket refuses instead."""
    unset = dataclasses.replace(settings, auth=dataclasses.replace(settings.auth, audience=None))
    client = create_app(unset, google=google, clock=clock).test_client()
    response = client.post("/tasks/weekly", headers=tokens.scheduler())
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "config_error"
    assert "auth.audience" in response.get_json()["error"]["message"]
    assert docs.ids() == []


def test_get_is_405_in_the_error_shape(client):
    rejected(client.get("/tasks/weekly"), 405, "method_not_allowed")


def test_a_1on1_shared_beyond_its_pair_is_a_warning_of_the_weekly_run_and_of_its_task(client, tokens, google, docs, weekly_done):
    sam = doc_of(weekly_done, "one_on_one")
    assert "warnings" not in client.post("/tasks/weekly", headers=tokens.scheduler()).get_json()  # checked: clean
    google.permissions.create(fileId=sam, body={"type": "user", "role": "reader", "emailAddress": "bob@example.com"},
                              supportsAllDrives=True, sendNotificationEmail=False).execute()
    before = docs.snapshot()
    weekly = client.post("/tasks/weekly", headers=tokens.scheduler())
    assert weekly.status_code == 200  # a warning, not a failure
    (warning,) = weekly.get_json()["warnings"]
    assert sam in warning and "bob@example.com, who is not the manager or the report" in warning
    task = client.post("/tasks/section", json={"documentId": sam}, headers=tokens.scheduler())
    assert task.status_code == 200 and task.get_json()["warnings"] == [warning]
    assert docs.snapshot() == before
