"""Sheets v4 spreadsheets.values.get through the real client, replayed against responses recorded from the real API.

The captures in captures/sheets/ are gspread's vcrpy cassettes (burnash/gspread, tests/cassettes/,
recorded against Google; each file names its path and commit). Each replay makes the spreadsheet
the cassette made (Drive files.create, then the grid sizes, titles and RAW values its requests
set), asks the emulator every values.get the cassette asked, and compares the whole body.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from service.emulator.sheets.spreadsheet import Sheet, Spreadsheet
from service.emulator.transport import EmulatorHttp

CAPTURES = Path(__file__).parent / "captures" / "sheets"
OWNER = "owner@example.com"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"


def sheets_for(app: Any, identity: str | None = None) -> Any:
    return build("sheets", "v4", http=EmulatorHttp(app, identity=identity), static_discovery=True, cache_discovery=False)


def _capture(name: str) -> dict:
    return json.loads((CAPTURES / name).read_text(encoding="utf-8"))


def _edit(store: Any, file_id: str, change: Any) -> None:
    with store.transaction() as state:
        spreadsheet = state.document(file_id)
        change(spreadsheet)
        state.put_document(spreadsheet)


def _apply_setup(store: Any, file_id: str, interaction: dict) -> None:
    """What a recorded write did to the spreadsheet, applied to the emulator's copy (writes are not modelled)."""
    request, response = interaction["request"], interaction["response"]
    path = urlsplit(request["uri"]).path
    if path.endswith(":batchUpdate"):
        for sub, reply in zip(request["body"]["requests"], response["body"]["replies"]):
            if "addSheet" in sub:
                props = reply["addSheet"]["properties"]
                grid = props["gridProperties"]
                _edit(store, file_id, lambda s, p=props, g=grid: s.sheets.append(
                    Sheet(p["sheetId"], p["title"], g["rowCount"], g["columnCount"])))
            elif "updateSheetProperties" in sub:
                props = sub["updateSheetProperties"]["properties"]

                def update(s: Spreadsheet, p: dict = props) -> None:
                    sheet = next(x for x in s.sheets if x.sheet_id == p["sheetId"])
                    sheet.title = p.get("title", sheet.title)
                    grid = p.get("gridProperties", {})
                    sheet.row_count = grid.get("rowCount", sheet.row_count)
                    sheet.column_count = grid.get("columnCount", sheet.column_count)

                _edit(store, file_id, update)
            elif "deleteSheet" not in sub:
                raise AssertionError(f"the replay does not know {list(sub)}")
    elif path.endswith(":clear"):
        title = unquote(path.rsplit("/", 1)[1]).removesuffix(":clear").strip("'")
        _edit(store, file_id, lambda s, t=title: setattr(s.sheet(t), "cells", []))
    elif request["method"] == "PUT" and "/values/" in path:
        target = unquote(path.split("/values/", 1)[1])
        title, _, cell = target.rpartition("!")
        assert cell.startswith("A1"), "the replay writes from A1 only"
        _edit(store, file_id, lambda s, t=title.strip("'"), v=request["body"]["values"]: setattr(s.sheet(t), "cells", v))


@pytest.mark.parametrize("capture_name", [
    "values_get_whole_sheet_titled_with_emoji.json",
    "values_get_empty_cells_and_rows.json",
    "values_get_sheet_titled_like_a_cell.json",
    "values_get_open_ended_range.json",
])
def test_values_get_answers_what_the_real_api_answered(capture_name, emu_store, emu_app) -> None:  # noqa: ANN001
    capture = _capture(capture_name)
    drive = build("drive", "v3", http=EmulatorHttp(emu_app, identity=OWNER), static_discovery=True, cache_discovery=False)
    sheets = sheets_for(emu_app, OWNER)
    file_id = None
    compared = 0
    for interaction in capture["interactions"]:
        request, response = interaction["request"], interaction["response"]
        split = urlsplit(request["uri"])
        if request["method"] == "POST" and split.path == "/drive/v3/files":
            # Each cassette records the test twice (two spreadsheets); the replay follows the newest one.
            file_id = drive.files().create(body=request["body"], supportsAllDrives=True).execute()["id"]
            continue
        if request["method"] in ("DELETE",) or split.netloc != "sheets.googleapis.com" or file_id is None:
            continue
        if request["method"] == "GET" and "/values/" in split.path:
            value_range = unquote(split.path.split("/values/", 1)[1])
            params = dict(parse_qsl(split.query))
            got = sheets.spreadsheets().values().get(spreadsheetId=file_id, range=value_range, **params).execute()
            assert got == response["body"], (value_range, params)
            compared += 1
        elif request["method"] != "GET":
            _apply_setup(emu_store, file_id, interaction)
    assert compared >= 2


@pytest.mark.parametrize("capture_name, call", [
    ("error_spreadsheet_not_found.json", "missing"),
    ("error_spreadsheet_permission_denied.json", "private"),
])
def test_errors_have_the_recorded_envelopes(capture_name, call, emu_store, emu_app) -> None:  # noqa: ANN001
    """The captures are of spreadsheets.get; which spreadsheet is looked up is the same for values.get."""
    recorded = next(i["response"] for i in _capture(capture_name)["interactions"] if i["response"]["status"] >= 400)
    file_id = "test" if call == "missing" else emu_store.seed_spreadsheet("Private", {"Sheet1": [["x"]]}, owner=OWNER)
    with pytest.raises(HttpError) as caught:
        sheets_for(emu_app, "stranger@example.org").spreadsheets().values().get(spreadsheetId=file_id, range="A1").execute()
    assert caught.value.resp.status == recorded["status"]
    assert json.loads(caught.value.content) == recorded["body"]


@pytest.fixture
def roster(emu_store) -> str:  # noqa: ANN001
    rows = [["manager", "report", "zendesk_user_id", "prep_nudge"], ["maria@example.com", "sam@example.com", 361234567, True],
            [], ["", "zoë@example.com", 1.5, False, "", ""]]
    return emu_store.seed_spreadsheet("Roster 🗓️", {"Pairs": rows, "It's 2": [["a"]]}, owner=OWNER, readers=["docket@x.iam.gserviceaccount.com"])


@pytest.mark.parametrize("value_range, echoed", [
    ("Pairs!A1:I", "Pairs!A1:I1000"),
    ("Pairs", "Pairs!A1:Z1000"),
    ("'Pairs'", "Pairs!A1:Z1000"),
    ("A1:B2", "Pairs!A1:B2"),
    ("Pairs!B2:A1", "Pairs!A1:B2"),
    ("Pairs!A:C", "Pairs!A1:C1000"),
    ("Pairs!2:3", "Pairs!A2:Z3"),
    ("Pairs!C4", "Pairs!C4"),
    ("'It''s 2'!A1:A2", "'It''s 2'!A1:A2"),
])
def test_ranges_are_read_and_echoed_as_sheets_does(value_range, echoed, roster, emu_app) -> None:  # noqa: ANN001
    got = sheets_for(emu_app, OWNER).spreadsheets().values().get(spreadsheetId=roster, range=value_range).execute()
    assert got["range"] == echoed


def test_render_options_and_columns(roster, emu_app) -> None:  # noqa: ANN001
    values = sheets_for(emu_app, OWNER).spreadsheets().values()
    formatted = values.get(spreadsheetId=roster, range="Pairs!A1:D4").execute()["values"]
    assert formatted == [["manager", "report", "zendesk_user_id", "prep_nudge"], ["maria@example.com", "sam@example.com", "361234567", "TRUE"],
                         [], ["", "zoë@example.com", "1.5", "FALSE"]]
    raw = values.get(spreadsheetId=roster, range="Pairs!A1:D4", valueRenderOption="UNFORMATTED_VALUE").execute()["values"]
    assert raw[1] == ["maria@example.com", "sam@example.com", 361234567, True] and raw[3][2:] == [1.5, False]
    columns = values.get(spreadsheetId=roster, range="Pairs!A1:B4", majorDimension="COLUMNS").execute()
    assert columns["majorDimension"] == "COLUMNS"
    assert columns["values"] == [["manager", "maria@example.com"], ["report", "sam@example.com", "", "zoë@example.com"]]


@pytest.mark.parametrize("value_range, message", [
    ("Nope!A1", "Unable to parse range: Nope!A1"),
    ("Pairs!A1:3", "Unable to parse range: Pairs!A1:3"),
    ("Pairs!A", "Unable to parse range: Pairs!A"),
    ("Pairs!A1:AA", "Range (Pairs!A1:AA) exceeds grid limits. Max rows: 1000, max columns: 26"),
    ("Pairs!A1001", "Range (Pairs!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"),
])
def test_bad_ranges_are_refused_and_change_nothing(value_range, message, roster, emu_store, emu_app) -> None:  # noqa: ANN001
    before = (emu_store.data_dir / "drive.json").read_text()
    with pytest.raises(HttpError) as caught:
        sheets_for(emu_app, OWNER).spreadsheets().values().get(spreadsheetId=roster, range=value_range).execute()
    assert caught.value.resp.status == 400
    assert json.loads(caught.value.content) == {"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}}
    assert (emu_store.data_dir / "drive.json").read_text() == before


def test_what_is_not_modelled_answers_501(roster, emu_app) -> None:  # noqa: ANN001
    api = sheets_for(emu_app, OWNER).spreadsheets()
    for request in (api.get(spreadsheetId=roster), api.values().batchGet(spreadsheetId=roster, ranges=["A1"]),
                    api.values().get(spreadsheetId=roster, range="Pairs!R1C1:R2C2")):
        with pytest.raises(HttpError) as caught:
            request.execute()
        assert caught.value.resp.status == 501
        assert "does not model" in json.loads(caught.value.content)["error"]["message"]


def test_a_spreadsheet_made_through_drive_has_one_empty_default_sheet(emu_app) -> None:  # noqa: ANN001
    drive = build("drive", "v3", http=EmulatorHttp(emu_app, identity=OWNER), static_discovery=True, cache_discovery=False)
    made = drive.files().create(body={"name": "New", "mimeType": SPREADSHEET}).execute()
    got = sheets_for(emu_app, OWNER).spreadsheets().values().get(spreadsheetId=made["id"], range="Sheet1").execute()
    assert got == {"range": "Sheet1!A1:Z1000", "majorDimension": "ROWS"}


def test_a_document_is_not_a_spreadsheet(emu_app) -> None:  # noqa: ANN001
    drive = build("drive", "v3", http=EmulatorHttp(emu_app, identity=OWNER), static_discovery=True, cache_discovery=False)
    doc = drive.files().create(body={"name": "Doc", "mimeType": "application/vnd.google-apps.document"}).execute()
    with pytest.raises(HttpError) as caught:
        sheets_for(emu_app, OWNER).spreadsheets().values().get(spreadsheetId=doc["id"], range="A1").execute()
    assert caught.value.resp.status == 400


def test_a_bad_enum_is_refused(roster, emu_app) -> None:  # noqa: ANN001
    request = sheets_for(emu_app, OWNER).spreadsheets().values().get(spreadsheetId=roster, range="A1")
    request.uri += "&majorDimension=DIAGONAL"
    with pytest.raises(HttpError) as caught:
        request.execute()
    assert caught.value.resp.status == 400


def test_readers_read_and_strangers_do_not(roster, emu_app) -> None:  # noqa: ANN001
    got = sheets_for(emu_app, "docket@x.iam.gserviceaccount.com").spreadsheets().values().get(spreadsheetId=roster, range="Pairs!A1").execute()
    assert got["values"] == [["manager"]]
    with pytest.raises(HttpError) as caught:
        sheets_for(emu_app, "docket@other.iam.gserviceaccount.com").spreadsheets().values().get(spreadsheetId=roster, range="A1").execute()
    assert caught.value.resp.status == 403
