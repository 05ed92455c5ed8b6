"""`docket emulator` over real HTTP, and Docket's endpoint backend (DOCKET_GOOGLE_ENDPOINT) talking to it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

import httplib2
import pytest
from googleapiclient.discovery import build

from service.cli import main


OTHER_SERVICE_ACCOUNT = "docs-bot@other-project.iam.gserviceaccount.com"
PERSON = "docket.ops@example.com"


@pytest.fixture
def served_emulator(request, tmp_path, settings_file):
    """`docket emulator --port 0` (plus the test's `request.param` options) in a subprocess; its announced
    URL is read from its output file."""
    env = dict(os.environ, DOCKET_DATA_DIR=str(tmp_path / "emu-data"), DOCKET_CONFIG=str(settings_file))
    env.pop("DOCKET_GOOGLE_ENDPOINT", None)
    log = tmp_path / "emulator.log"
    options = list(getattr(request, "param", ()))
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", "from service.cli import main; main()", "emulator", "--port", "0",
                                 *options], env=env, stdout=out, stderr=subprocess.STDOUT)
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


def actions(output: str) -> list[str]:
    """The action of each document's progress line (`[1/4] created   1:1 …`), the summary line aside."""
    return [line.split()[1] for line in output.splitlines() if line.startswith("[")]


def test_weekly_over_http_against_docket_emulator(runner, served_emulator, monkeypatch, data_dir):
    url, emu_data = served_emulator
    monkeypatch.setenv("DOCKET_GOOGLE_ENDPOINT", url)
    first = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert first.exit_code == 0, first.output
    assert "endpoint backend" in first.output and actions(first.output).count("created") >= 2
    second = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert second.exit_code == 0 and set(actions(second.output)) == {"present"}
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
        urllib.request.urlopen(url + "/drive/v3/changes/startPageToken", timeout=5)
    assert info.value.code == 501
    body = info.value.read().decode()
    info.value.close()
    assert "/drive/v3/changes/startPageToken" in body and '"status": "UNIMPLEMENTED"' in body.replace('":"', '": "')


@pytest.mark.parametrize("served_emulator, identity", [
    (("--identity", OTHER_SERVICE_ACCOUNT), OTHER_SERVICE_ACCOUNT),
    (("--identity", PERSON.upper(), "--write-quota", "0"), PERSON),
], indirect=["served_emulator"])
def test_weekly_against_an_emulator_acting_as_another_identity(runner, served_emulator, monkeypatch, tmp_path, identity):
    # Docket is not told who it is on the endpoint backend: it asks Drive (about.get), so its own
    # shared-drive membership is not taken for someone else's and the leadership docs are written.
    url, _ = served_emulator
    assert f"Callers act as {identity}" in (tmp_path / "emulator.log").read_text()
    monkeypatch.setenv("DOCKET_GOOGLE_ENDPOINT", url)
    first = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert first.exit_code == 0, first.output
    assert not _warnings(first.output) and "FAILED" not in first.output
    assert actions(first.output) == ["created"] * 4  # two 1:1s, the agenda, the confidential doc
    second = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert second.exit_code == 0, second.output
    assert actions(second.output) == ["present"] * 4


@pytest.fixture
def my_drive_config(tmp_path, settings_file, runner, monkeypatch):
    """The test roster without a shared drive (for the CLI runner): a delegated user keeps the documents
    in their My Drive."""
    text = settings_file.read_text(encoding="utf-8").replace('[google]\nfolder_id = "0ATestSharedDrive"\n', "")
    assert "folder_id" not in text
    path = tmp_path / "my-drive.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("DOCKET_CONFIG", str(path))
    return path


@pytest.mark.parametrize("served_emulator", [("--identity", PERSON)], indirect=True)
def test_weekly_in_a_persons_my_drive(my_drive_config, runner, served_emulator, monkeypatch):
    url, _ = served_emulator
    monkeypatch.setenv("DOCKET_GOOGLE_ENDPOINT", url)
    first = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert first.exit_code == 0, first.output
    assert actions(first.output) == ["created"] * 4 and not _warnings(first.output)
    second = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert second.exit_code == 0 and actions(second.output) == ["present"] * 4, second.output
    drive = build("drive", "v3", http=httplib2.Http(timeout=10), static_discovery=True, cache_discovery=False,
                  client_options={"api_endpoint": url + "/drive/v3/"})
    mine = drive.files().list(q="'root' in parents", fields="files(ownedByMe,driveId)").execute()["files"]
    assert mine == [{"ownedByMe": True}] * 4  # the person's own files, in no shared drive


def test_the_identity_must_be_an_email_address(runner):
    result = runner.invoke(main, ["emulator", "--identity", "docket-at-example.com", "--port", "0"])
    assert result.exit_code == 2 and "is not an email address" in result.output


def _warnings(output: str) -> list[str]:
    """The run's warnings, but for the reminder that no `docket serve` answers the printed links yet."""
    return [line for line in output.splitlines() if line.startswith("warning:") and "(service.base_url)" not in line]
