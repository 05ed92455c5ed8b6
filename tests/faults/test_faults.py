"""Each injected fault, observed the way Docket meets it: through google-api-python-client's HttpError."""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from service.emulator.faults import Faults, SlidingWindow
from service.emulator.store import Store
from service.google.clients import Google
from tests.conftest import google_on
from tests.faults.conftest import FakeClock, shared_doc

MANAGER, REPORT = "maria@example.com", "zoë.okafor@example.com"


def _error(call: Any) -> tuple[int, dict]:
    with pytest.raises(HttpError) as caught:
        call.execute(num_retries=0)
    return caught.value.resp.status, json.loads(caught.value.content)["error"]


def _write(google: Google, document_id: str, text: str, revision: str | None = None) -> Any:
    body: dict = {"requests": [{"insertText": {"endOfSegmentLocation": {}, "text": text}}]}
    if revision:
        body["writeControl"] = {"requiredRevisionId": revision}
    return google.documents.batchUpdate(documentId=document_id, body=body)


def _body_text(google: Google, document_id: str) -> str:
    doc = google.documents.get(documentId=document_id).execute()
    return "".join(run.get("textRun", {}).get("content", "") for element in doc["body"]["content"]
                   for run in element.get("paragraph", {}).get("elements", []))


@pytest.fixture
def faults(clock: FakeClock) -> Faults:
    return Faults(seed=7, clock=clock, sleep=clock.sleep)


@pytest.fixture
def app(faults: Faults, memory_store: Store) -> Any:
    return faults.app(memory_store)


@pytest.fixture
def doc_id(app: Any) -> str:
    return shared_doc(app, "1:1 Zoë 👩🏽‍💻 / María", [MANAGER, REPORT])


def test_429_carries_googles_resource_exhausted_body_and_changes_nothing(faults: Faults, app: Any, doc_id: str) -> None:
    google = google_on(app)
    before = _body_text(google, doc_id)
    faults.error_rate, faults.error_codes = 1.0, (429,)
    status, error = _error(_write(google, doc_id, "never written"))
    assert status == 429 and error["status"] == "RESOURCE_EXHAUSTED" and "errors" not in error
    info = error["details"][0]
    assert info["@type"] == "type.googleapis.com/google.rpc.ErrorInfo" and info["reason"] == "RATE_LIMIT_EXCEEDED"
    assert info["metadata"]["quota_metric"] == "docs.googleapis.com/write_requests"
    assert info["metadata"]["quota_limit"] == "WriteRequestsPerMinutePerUser"
    faults.error_rate = 0.0
    assert _body_text(google, doc_id) == before
    assert faults.applied[doc_id] == 0 and faults.injected["429"] == 1


@pytest.mark.parametrize(("code", "rpc"), [(500, "INTERNAL"), (503, "UNAVAILABLE")])
def test_5xx_on_docs_and_drive(faults: Faults, app: Any, doc_id: str, code: int, rpc: str) -> None:
    google = google_on(app)
    faults.error_rate, faults.error_codes = 1.0, (code,)
    status, error = _error(google.documents.get(documentId=doc_id))
    assert (status, error["status"]) == (code, rpc)
    status, error = _error(google.drive.files().get(fileId=doc_id, supportsAllDrives=True))
    # Drive keeps the legacy errors[] entry, which google-api-python-client reads.
    assert (status, error["status"], error["errors"][0]["reason"]) == (code, rpc, "backendError")


def test_rates_keyed_by_operation(faults: Faults, app: Any, doc_id: str) -> None:
    google = google_on(app)
    faults.error_rate = {"docs.write": 1.0, "drive": 0.0}
    google.documents.get(documentId=doc_id).execute()
    google.drive.files().get(fileId=doc_id, supportsAllDrives=True).execute()
    assert _error(_write(google, doc_id, "x"))[0] in (429, 503)
    assert faults.requests["docs.read"] == 1 and faults.requests["docs.write"] == 1


def test_unknown_error_code_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="418"):
        Faults(error_codes=(418,))


def test_latency_is_added_to_every_request(faults: Faults, app: Any, doc_id: str, clock: FakeClock) -> None:
    faults.latency = 0.05
    clock.slept.clear()
    google = google_on(app)
    google.documents.get(documentId=doc_id).execute()
    _write(google, doc_id, "x").execute()
    assert clock.slept == [0.05, 0.05]


def test_write_quota_refuses_the_61st_write_per_identity_and_recovers_as_the_window_moves(
        faults: Faults, app: Any, doc_id: str, clock: FakeClock) -> None:
    docket, person = google_on(app), google_on(app, MANAGER)
    for n in range(60):
        _write(docket, doc_id, f"{n} ").execute()
        clock.now += 0.5  # 60 writes over 30 s
    status, error = _error(_write(docket, doc_id, "61st"))
    assert status == 429 and error["details"][0]["metadata"]["quota_limit_value"] == "60"
    docket.documents.get(documentId=doc_id).execute()  # reads are not write quota
    _write(person, doc_id, "another identity has its own bucket").execute()
    clock.now += 29.9  # the first write is still inside the rolling minute
    assert _error(_write(docket, doc_id, "61st"))[0] == 429
    clock.now += 0.2  # now it has left it: one slot free, not a full reset
    _write(docket, doc_id, "61st").execute()
    assert _error(_write(docket, doc_id, "62nd"))[0] == 429
    assert "61st" in _body_text(docket, doc_id) and "62nd" not in _body_text(docket, doc_id)
    assert faults.injected["quota"] == 3 and faults.writes is not None and faults.writes.peak(docket.identity) == 60


def test_sliding_window_peak_is_the_busiest_window() -> None:
    now = [0.0]
    window = SlidingWindow(3, 60.0, lambda: now[0])
    for at in (0, 10, 59, 61, 70, 71, 200):
        now[0] = at
        window.admit("a")
    # The window is (now - 60, now]: 61 finds 0 gone; at 70 the write at 10 has just left; 71 finds 59, 61, 70.
    assert window.admitted["a"] == [0, 10, 59, 61, 70, 200]
    assert window.peak("a") == 3


def test_human_edit_lands_between_read_and_write_so_the_guarded_write_is_stale(faults: Faults, app: Any, doc_id: str) -> None:
    google = google_on(app)
    _write(google, doc_id, "Ticket notes").execute()
    faults.human_edit_rate = 1.0
    revision = google.documents.get(documentId=doc_id).execute()["revisionId"]
    status, error = _error(_write(google, doc_id, "Docket's section", revision))
    assert status == 400 and "does not match the latest revision" in error["message"]
    # The write after that one has no read before it, so it is not raced again.
    _write(google, doc_id, "unguarded").execute()
    (edit,) = faults.human_edits
    assert edit.identity in (MANAGER, REPORT) and edit.document_id == doc_id
    assert edit.text in _body_text(google, doc_id) and edit.text in edit.paragraphs


def test_human_edits_need_a_person_who_may_write(faults: Faults, app: Any) -> None:
    lonely = shared_doc(app, "only a reader besides Docket", [], readers=(MANAGER,))
    google = google_on(app)
    faults.human_edit_rate = 1.0
    revision = google.documents.get(documentId=lonely).execute()["revisionId"]
    _write(google, lonely, "no one to race", revision).execute()
    assert faults.human_edits == []


def test_lost_response_applies_the_batch_then_answers_5xx(faults: Faults, app: Any, doc_id: str) -> None:
    google = google_on(app)
    faults.lost_response_rate = 1.0
    revision = google.documents.get(documentId=doc_id).execute()["revisionId"]
    status, error = _error(_write(google, doc_id, "applied once", revision))
    assert status in (500, 503)
    faults.lost_response_rate = 0.0
    assert _body_text(google, doc_id).count("applied once") == 1
    # The naive retry with the same guard is refused: this is why Docket's retries cannot apply twice.
    assert _error(_write(google, doc_id, "applied once", revision))[0] == 400
    assert faults.applied[doc_id] == 1 and faults.injected["lost"] == 1


def test_same_seed_same_faults(memory_store: Store) -> None:
    def run(seed: int) -> list[int]:
        faults = Faults(error_rate=0.5, error_codes=(429, 500, 503), write_quota=None, seed=seed)
        app = faults.app(memory_store)
        google = google_on(app)
        statuses = []
        for _ in range(40):
            try:
                google.drive.files().list(corpora="allDrives", includeItemsFromAllDrives=True, supportsAllDrives=True).execute(num_retries=0)
                statuses.append(200)
            except HttpError as error:
                statuses.append(error.resp.status)
        return statuses

    assert run(3) == run(3) and run(3) != run(4)
    assert {429, 500, 503, 200} <= set(run(3))


def test_lost_response_on_drive_writes_when_asked(faults: Faults, app: Any, doc_id: str) -> None:
    google = google_on(app)
    faults.lost_response_rate, faults.lost_response_on = 1.0, ("drive.write",)
    _write(google, doc_id, "docs writes answer normally").execute()
    status, _ = _error(google.drive.files().update(fileId=doc_id, body={"name": "renamed"}, supportsAllDrives=True))
    assert status in (500, 503)
    assert google.drive.files().get(fileId=doc_id, supportsAllDrives=True).execute()["name"] == "renamed"


def test_an_injected_429_on_a_read_names_the_read_quota(faults: Faults, app: Any, doc_id: str) -> None:
    faults.error_rate, faults.error_codes = 1.0, (429,)
    status, error = _error(google_on(app).documents.get(documentId=doc_id))
    assert status == 429 and error["details"][0]["metadata"]["quota_metric"] == "docs.googleapis.com/read_requests"
