"""The roster from a Google Sheet: rows validated like docket.toml, bad rows skipped by row number, an unusable sheet stops the run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from service.app import create_app
from service.cli import main
from service.emulator.bootstrap import DEFAULT_IDENTITY
from service.settings import load_settings
from tests.conftest import ROSTER, SHARED_DRIVE

SHEET = "roster-sheet-test-0001"
HEADER = ["manager", "manager_name", "report", "report_name", "zendesk_user_id", "weekday", "timezone", "chat_webhook", "prep_nudge"]
SAM_ROW = ["maria@example.com", "María García", "sam@example.com", "Sam Lee", 361234567, "tuesday", "Europe/Berlin", "", True]
ZOE_ROW = ["maria@example.com", "María García", "zoe@example.com", "Zoë 👩🏽‍💻 Okafor", "361234568", "thursday"]
SECRET_URL = "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=SECRET-KEY&token=SECRET-TOKEN"


def roster_config(tmp_path: Path, extra: str = "", *, keep_tables: bool = False, value_range: str | None = None) -> Path:
    text = ROSTER.format(drive=SHARED_DRIVE)
    if not keep_tables:
        start, end = text.index("[[one_on_one]]"), text.index("[leadership]")
        text = text[:start] + text[end:]
    text += f'\n[roster]\nsheet_id = "{SHEET}"\n' + (f'range = "{value_range}"\n' if value_range else "") + extra
    path = tmp_path / "sheet.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def sheet_runner(tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DOCKET_CONFIG", str(roster_config(tmp_path)))
    monkeypatch.setenv("DOCKET_DATA_DIR", str(data_dir))
    monkeypatch.delenv("DOCKET_GOOGLE_ENDPOINT", raising=False)
    return CliRunner()


def seed(store: Any, rows: list[list[Any]], *, readers: tuple[str, ...] = (DEFAULT_IDENTITY,), title: str = "Pairs") -> None:
    store.seed_spreadsheet("Support roster", {title: rows}, owner="maria@example.com", readers=list(readers), file_id=SHEET)


def one_on_one_titles(docs: Any) -> list[str]:
    found = docs.google.drive.files().list(q="appProperties has { key='docket_kind' and value='one_on_one' } and trashed = false",
                                          supportsAllDrives=True, includeItemsFromAllDrives=True, corpora="allDrives",
                                          fields="files(name)").execute()["files"]
    return sorted(f["name"] for f in found)


def test_the_sheets_pairs_drive_the_weekly_job(store, docs, sheet_runner) -> None:  # noqa: ANN001
    seed(store, [HEADER, SAM_ROW, ZOE_ROW])
    result = sheet_runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert result.exit_code == 0, result.output
    assert one_on_one_titles(docs) == ["1:1 Sam Lee / María García", "1:1 Zoë 👩🏽‍💻 Okafor / María García"]
    assert not _warnings(result.output)


def test_bad_rows_are_reported_with_their_sheet_row_and_skipped(store, docs, sheet_runner) -> None:  # noqa: ANN001
    seed(store, [
        HEADER,                                                                 # row 1
        SAM_ROW,                                                                # row 2
        ["maria@", "María", "zoe@example.com", "Zoë", 1, "thursday"],           # row 3: bad email
        [],                                                                     # row 4: blank, ignored
        ["kenji@example.com", "Kenji", "amir@example.com", "Amir", 2, "funday"],  # row 5: bad weekday
        SAM_ROW,                                                                # row 6: the pair again
        ["kenji@example.com", "Kenji", "ana@example.com", "Ana", 3, "friday", "", SECRET_URL],  # row 7: a URL, not a reference
        ["kenji@example.com", "Kenji", "bo@example.com", "", 4, "friday"],      # row 8: no report_name
        ["kenji@example.com", "Kenji", "cy@example.com", "Cy", 5, "friday", "", "", "TRUE"],  # row 9: text, not a checkbox
        ["kenji@example.com", "Kenji", "di@example.com", "Di", 6.5, "friday"],  # row 10: not a Zendesk id
    ])
    result = sheet_runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: roster sheet row")]
    assert [w.split(":")[1].strip() for w in warnings] == [f"roster sheet row {n}" for n in (3, 5, 6, 7, 8, 9, 10)]
    assert "'maria@' is not an email address (key 'manager')" in warnings[0]
    assert "'funday' is not a weekday" in warnings[1]
    assert "listed twice (first on row 2)" in warnings[2]
    assert "must name the environment variable" in warnings[3] and "SECRET" not in result.output
    assert "is required (key 'report_name')" in warnings[4]
    assert "must be a bool" in warnings[5] and "must be a str or int" in warnings[6]
    assert one_on_one_titles(docs) == ["1:1 Sam Lee / María García"]


def test_row_numbers_follow_where_the_range_starts(tmp_path, store, data_dir, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("DOCKET_CONFIG", str(roster_config(tmp_path, value_range="Team!B3:J")))
    monkeypatch.setenv("DOCKET_DATA_DIR", str(data_dir))
    rows = [["notes"], [], [""] + HEADER, [""] + SAM_ROW, ["", "nobody", "x", "zoe@example.com", "Zoë", 1, "thursday"]]
    seed(store, rows, title="Team")
    result = CliRunner().invoke(main, ["weekly", "--date", "2026-11-18"])
    assert result.exit_code == 0, result.output
    assert "warning: roster sheet row 5: 'nobody' is not an email address" in result.output


@pytest.mark.parametrize("rows, message", [
    ([HEADER[:4] + HEADER[5:], SAM_ROW], "lacks the column(s) zendesk_user_id"),
    ([HEADER[:8] + ["favourite_colour"], SAM_ROW], "unknown column(s) favourite_colour"),
    ([HEADER[:8] + ["report"], SAM_ROW], "column(s) report more than once"),
    ([], "is empty"),
])
def test_an_unusable_header_fails_the_run_with_nothing_written(rows, message, store, docs, sheet_runner) -> None:  # noqa: ANN001
    seed(store, rows or [[""]])
    before = docs.snapshot()
    result = sheet_runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert docs.snapshot() == before


@pytest.mark.parametrize("readers, message", [((), "permission denied"), (None, "not found")], ids=["not shared", "missing"])
def test_an_unreadable_sheet_fails_the_run_with_nothing_written(readers, message, store, docs, sheet_runner) -> None:  # noqa: ANN001
    if readers is not None:
        seed(store, [HEADER, SAM_ROW], readers=readers)
    before = docs.snapshot()
    for command in (["weekly", "--date", "2026-11-18"], ["daily", "--date", "2026-11-18"], ["docs", "list"]):
        result = sheet_runner.invoke(main, command)
        assert result.exit_code == 1, result.output
        assert f"the roster sheet {SHEET} (Pairs!A1:K) cannot be read" in result.output and message in result.output
    assert docs.snapshot() == before


def test_a_sheet_and_tables_at_once_is_a_configuration_error(tmp_path, data_dir) -> None:  # noqa: ANN001
    result = CliRunner().invoke(main, ["weekly", "--config", str(roster_config(tmp_path, keep_tables=True))],
                                env={"DOCKET_DATA_DIR": str(data_dir)})
    assert result.exit_code == 2
    assert "key 'roster.sheet_id'" in result.output and "[[one_on_one]]" in result.output


def test_a_pair_that_leaves_the_sheet_keeps_its_doc_untouched(store, docs, sheet_runner) -> None:  # noqa: ANN001
    seed(store, [HEADER, SAM_ROW, ZOE_ROW])
    assert sheet_runner.invoke(main, ["weekly", "--date", "2026-11-18"]).exit_code == 0
    zoe = next(i for i in docs.ids("one_on_one") if docs.google.drive.files().get(
        fileId=i, supportsAllDrives=True, fields="appProperties").execute()["appProperties"]["docket_report"] == "zoe@example.com")
    zoe_before = json.dumps(docs.get(zoe), sort_keys=True)
    seed(store, [HEADER, SAM_ROW])
    result = sheet_runner.invoke(main, ["weekly", "--date", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert "Zoë" not in result.output and "appended  1:1 Sam Lee" in result.output
    assert json.dumps(docs.get(zoe), sort_keys=True) == zoe_before


def test_manager_links_use_the_sheet(store, sheet_runner) -> None:  # noqa: ANN001
    seed(store, [HEADER, SAM_ROW])
    assert sheet_runner.invoke(main, ["link", "--report", "sam@example.com"]).exit_code == 0
    missing = sheet_runner.invoke(main, ["link", "--report", "zoe@example.com"])
    assert missing.exit_code == 2 and "no 1:1 is configured for zoe@example.com" in missing.output


def test_the_service_reads_the_sheet_per_request(tmp_path, data_dir, store, google, oidc) -> None:  # noqa: ANN001
    from datetime import datetime, timezone

    settings = load_settings(str(roster_config(tmp_path)), env={"DOCKET_DATA_DIR": str(data_dir),
                                                               "DOCKET_AUTH_CERTS_URL": oidc.certs_url})
    app = create_app(settings, google=google, clock=lambda: datetime(2026, 11, 18, 12, tzinfo=timezone.utc))
    client = app.test_client()
    token = {"Authorization": oidc.bearer(email="scheduler@proj.iam.gserviceaccount.com", audience="https://docket.example.run.app")}
    seed(store, [HEADER, SAM_ROW])
    first = client.post("/tasks/weekly", json={}, headers=token)
    assert first.status_code == 200, first.get_data(as_text=True)
    assert [r["kind"] for r in first.get_json()["results"]].count("one_on_one") == 1
    seed(store, [HEADER, SAM_ROW, ZOE_ROW])  # a new hire: no restart, no redeploy
    second = client.post("/tasks/weekly", json={}, headers=token).get_json()
    assert sorted(r["action"] for r in second["results"] if r["kind"] == "one_on_one") == ["created", "present"]
    seed(store, [HEADER[:3]])  # the sheet breaks: the request fails, nothing is written
    broken = client.post("/tasks/weekly", json={}, headers=token)
    assert broken.status_code == 502 and broken.get_json()["error"]["code"] == "roster_unavailable"


def _warnings(output: str) -> list[str]:
    """The run's warnings, but for the reminder that no `docket serve` answers the printed links yet."""
    return [line for line in output.splitlines() if line.startswith("warning:") and "(service.base_url)" not in line]
