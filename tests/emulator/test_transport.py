"""The in-process transport (retries, threads) and the same app served over real HTTP."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httplib2
from googleapiclient.discovery import build

from service.emulator.errors import ApiError
from service.emulator.server import make_emulator_server
from service.emulator.store import Store
from service.emulator.wsgi import create_emulator_app


def test_execute_with_num_retries_retries_5xx_and_rate_limits(emu_store: Store, shared_drive: str, kit: Any) -> None:
    failures = [ApiError(503, "The service is currently unavailable."),
                ApiError(403, "User rate limit exceeded.", reason="userRateLimitExceeded", domain="usageLimits")]
    calls: list[str] = []

    def flaky(identity: str, api: str, method: str, path: str) -> None:
        calls.append(path)
        if failures:
            raise failures.pop(0)

    drive = kit.drive_for(create_emulator_app(emu_store, before_request=flaky))
    request = drive.files().create(body={"name": "retried 🔁", "parents": [shared_drive]}, supportsAllDrives=True)
    request._sleep = lambda _seconds: None  # googleapiclient's own hook for its random()*2**n backoff
    created = request.execute(num_retries=2)
    assert created["name"] == "retried 🔁"
    assert len(calls) == 3


def test_threads_each_with_a_transport_lose_nothing(emu_app: Any, shared_drive: str, kit: Any) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            drive = kit.drive_for(emu_app)
            for i in range(10):
                drive.files().create(body={"name": f"t{n}-{i}", "parents": [shared_drive]},
                                     supportsAllDrives=True).execute()
        except BaseException as error:  # surfaced below; an exception in a thread would be lost
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    listed = kit.drive_for(emu_app).files().list(corpora="allDrives", supportsAllDrives=True,
                                                 includeItemsFromAllDrives=True, fields="files(name)").execute()
    assert len(listed["files"]) == 40


def test_both_services_over_real_http(tmp_path: Path, kit: Any) -> None:
    store = Store(tmp_path / "served")
    drive_id = store.seed_shared_drive("Docket 🗂️", {kit.SERVICE_ACCOUNT: "organizer"})
    server = make_emulator_server(None, "127.0.0.1", 0, store=store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    http = httplib2.Http()
    try:
        docs = build("docs", "v1", http=http, static_discovery=True, cache_discovery=False,
                     client_options={"api_endpoint": url})
        drive = build("drive", "v3", http=http, static_discovery=True, cache_discovery=False,
                      client_options={"api_endpoint": url + "/drive/v3/"})
        doc = drive.files().create(body={"name": "over HTTP 🌐", "mimeType": kit.DOC_MIME, "parents": [drive_id]},
                                   supportsAllDrives=True).execute()
        docs.documents().batchUpdate(documentId=doc["id"], body={"requests": [
            {"insertText": {"endOfSegmentLocation": {}, "text": "hello 🌍"}}]}).execute()
        got = docs.documents().get(documentId=doc["id"], fields="title,body(content(endIndex))").execute()
        assert got["title"] == "over HTTP 🌐"
        assert got["body"]["content"][-1]["endIndex"] == 1 + len("hello ") + 2 + 1  # the emoji is 2 UTF-16 units
        people = httplib2.Http()
        try:
            response, _ = people.request(f"{url}/v1/documents/{doc['id']}", headers={"X-Emulator-Identity": kit.OUTSIDER})
            assert response.status == 404
        finally:
            people.close()
    finally:
        http.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
