"""`docket emulator` over real HTTP, and Docket's endpoint backend (DOCKET_GOOGLE_ENDPOINT) talking to it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from service.cli import main


@pytest.fixture
def served_emulator(tmp_path, settings_file):
    """`docket emulator --port 0` in a subprocess; its announced URL is read from its output file."""
    env = dict(os.environ, DOCKET_DATA_DIR=str(tmp_path / "emu-data"), DOCKET_CONFIG=str(settings_file))
    env.pop("DOCKET_GOOGLE_ENDPOINT", None)
    log = tmp_path / "emulator.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", "from service.cli import main; main()", "emulator", "--port", "0"],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while not (match := re.search(r"Docket emulator on (http://127\.0\.0\.1:\d+)", log.read_text(errors="replace"))):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(timeout=10)
            pytest.fail(f"docket emulator did not start: {log.read_text(errors='replace')}")
        time.sleep(0.05)
    yield match.group(1), tmp_path / "emu-data"
    proc.terminate()
    proc.wait(timeout=10)


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
