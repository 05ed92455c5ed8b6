"""A Google endpoint that is down (accepts and never answers, or refuses): each call is bounded, the run stops calling
the API after the first call that could not reach it, and every failure names the call.

Before, each call tried 8 times with httplib2's 60 s timeout and up to 32 s between tries, and every document of a
weekly run did the same in turn: minutes per document. Real TCP endpoints, DOCKET_GOOGLE_ENDPOINT and the real client
library throughout; the assertions count attempts and connections, not time.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from service.calendar import Week
from service.emulator.errors import ApiError
from service.emulator.wsgi import create_emulator_app
from service.errors import GoogleApiError, GoogleUnreachable
from service.google.calls import Backoff
from service.google.clients import google_for
from service.google.timeouts import Timeouts
from service.meetings.weekly import run_weekly
from service.services import Services
from service.settings import load_settings
from tests.conftest import google_on

REPO = Path(__file__).resolve().parents[2]
WEEK = Week.of(date(2026, 11, 18))


class SilentEndpoint:
    """A real TCP server on 127.0.0.1 that accepts every connection and never answers, nor closes it."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._server.settimeout(0.1)
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="silent-endpoint", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.getsockname()[1]}"

    @property
    def accepted(self) -> int:
        return len(self._held)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            self._held.append(connection)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in self._held:
            connection.close()
        self._server.close()


@pytest.fixture
def silent() -> Any:
    endpoint = SilentEndpoint()
    yield endpoint
    endpoint.close()


@pytest.fixture
def refusing_url() -> str:
    """A port nothing listens on: bound to learn a free one, then closed, so connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def _endpoint_settings(settings_file: Path, tmp_path: Path, url: str) -> Any:
    return load_settings(str(settings_file), env={"DOCKET_DATA_DIR": str(tmp_path / "data"), "DOCKET_GOOGLE_ENDPOINT": url})


def test_a_silent_endpoint_costs_one_calls_attempts_then_every_document_fails_naming_the_call(settings_file, tmp_path,
                                                                                            silent):
    settings = _endpoint_settings(settings_file, tmp_path, silent.url)
    backoff = Backoff(sleep=lambda _s: None, rng=random.Random(7))
    google = google_for(settings, backoff=backoff, pacer=None, timeouts=Timeouts(connect=5, read=0.2))
    services = Services.build(settings, google)
    report = run_weekly(services, WEEK)
    assert not report.outcomes
    assert sum(f.documents for f in report.failures) == 4
    for failure in report.failures:
        assert failure.reason.startswith("Google Drive unreachable: "), failure.reason
        assert "files.list: connection timed out after 4 attempts" in failure.reason, failure.reason
    # Only the run's first Drive call went out, four times, one connection each; every later call was refused at once.
    assert google.stats.total() == backoff.unreachable_attempts == 4
    assert silent.accepted == 4


def test_docket_weekly_against_a_refusing_endpoint_fails_every_document_naming_the_call(settings_file, tmp_path,
                                                                                      refusing_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKET_")}
    env.update(DOCKET_CONFIG=str(settings_file), DOCKET_DATA_DIR=str(tmp_path / "data"), DOCKET_GOOGLE_ENDPOINT=refusing_url)
    # The defaults, in a real process. The timeout is a generous bound, not a measurement: before, this run spent
    # 8 tries and ~95 s of backoff on every call, over ten minutes in all.
    done = subprocess.run([sys.executable, "-c", "from service.cli import main; main()", "weekly", "--date", "2026-11-18"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    failed = [line for line in done.stdout.splitlines() if " FAILED " in line]
    assert len(failed) == 3, done.stdout  # the two 1:1s and the leadership pair
    for line in failed:
        assert "Google Drive unreachable: " in line and "ConnectionRefusedError" in line, line
    assert "Traceback" not in done.stderr


def test_the_circuit_lets_a_call_through_again_after_its_cooldown(settings_file, tmp_path, refusing_url, clock):
    settings = _endpoint_settings(settings_file, tmp_path, refusing_url)
    google = google_for(settings, backoff=Backoff(sleep=clock.sleep, clock=clock), pacer=None)
    services = Services.build(settings, google)
    with pytest.raises(GoogleUnreachable, match=r"^Google Drive unreachable: files\.list: connection failed"):
        services.registry.all_documents()
    assert google.stats.total() == 4
    with pytest.raises(GoogleUnreachable, match=r"files\.get 1abc not sent \(an earlier files\.list: "):
        services.registry.get("1abc")
    assert google.stats.total() == 4  # refused without a connection
    clock.now += google.circuit.cooldown
    with pytest.raises(GoogleUnreachable, match=r"^Google Drive unreachable: files\.get 1abc: connection failed"):
        services.registry.get("1abc")
    assert google.stats.total() == 8  # tried again, and opened again


def test_no_retry_starts_after_the_deadline_and_an_api_that_answers_is_not_cut_off(memory_store, clock):
    attempts: list[str] = []

    def slow_and_unavailable(identity: str, api: str, method: str, path: str) -> None:
        attempts.append(path)
        clock.now += 50  # each answer takes 50 s of the clock
        raise ApiError(503, "The service is currently unavailable.")

    google = google_on(create_emulator_app(memory_store, before_request=slow_and_unavailable))
    google.backoff = Backoff(sleep=clock.sleep, clock=clock, rng=random.Random(3))
    with pytest.raises(GoogleApiError) as info:
        google.call(google.documents.get(documentId="1abc"), "documents.get 1abc", method="docs.get")
    # Attempts end at 50 s, ~101 s and ~153 s of the clock; the retries before the second and third start before
    # the 120 s deadline, a fourth would start after it, so none does.
    assert len(attempts) == 3
    assert not isinstance(info.value, GoogleUnreachable)
    assert "still failing after 3 attempts in 15" in info.value.message, info.value.message
    # Google answered (503): the API is up, so the next call is made, not refused by the circuit.
    with pytest.raises(GoogleApiError):
        google.call(google.documents.get(documentId="1def"), "documents.get 1def", method="docs.get")
    assert len(attempts) == 6
