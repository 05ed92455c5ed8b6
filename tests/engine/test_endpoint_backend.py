"""`docket emulator` over real HTTP, and Docket's endpoint backend (DOCKET_GOOGLE_ENDPOINT) talking to it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from service.cli import main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served_emulator(tmp_path, settings_file):
    port = free_port()
    env = dict(os.environ, DOCKET_DATA_DIR=str(tmp_path / "emu-data"), DOCKET_CONFIG=str(settings_file))
    env.pop("DOCKET_GOOGLE_ENDPOINT", None)
    proc = subprocess.Popen([sys.executable, "-c", "from service.cli import main; main()", "emulator", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/drive/v3/about", timeout=1).close()
        except urllib.error.HTTPError as answered:
            answered.close()
            break  # it answers (a 501 naming the unmodelled route is an answer)
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                output = proc.stdout.read().decode()
                proc.stdout.close()
                pytest.fail(f"docket emulator did not start: {output}")
            time.sleep(0.1)
    yield url, tmp_path / "emu-data"
    proc.terminate()
    proc.wait(timeout=10)
    proc.stdout.close()


def test_weekly_over_http_against_docket_emulator(runner, served_emulator, monkeypatch, data_dir):
    url, emu_data = served_emulator
    monkeypatch.setenv("DOCKET_GOOGLE_ENDPOINT", url)
    first = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert first.exit_code == 0, first.output
    assert "endpoint backend" in first.output and first.output.count("created") >= 2
    second = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert second.exit_code == 0 and "created" not in second.output and "appended" not in second.output
    # The documents live in the served emulator's data dir, not in the CLI's own.
    assert any((emu_data / "emulator" / "documents").iterdir())
    assert not (data_dir / "emulator").exists()
    listing = runner.invoke(main, ["docs", "list"])
    doc_id = next(l for l in listing.output.splitlines() if "Sam Lee" in l).split()[1]
    shown = runner.invoke(main, ["docs", "show", doc_id])
    assert "2026-11-17" in shown.output


def test_unmodelled_route_answers_501_naming_it(served_emulator):
    url, _ = served_emulator
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url + "/drive/v3/about", timeout=5)
    assert info.value.code == 501
    body = info.value.read().decode()
    info.value.close()
    assert "/drive/v3/about" in body and '"status": "UNIMPLEMENTED"' in body.replace('":"', '": "')
