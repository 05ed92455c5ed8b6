"""Sheets v4 spreadsheets.values.get: a range's values as the real API shapes them (captured in gspread's cassettes)."""

from __future__ import annotations

from service.emulator.call import Call, Reply
from service.emulator.drive import index as dx
from service.emulator.drive import sharing
from service.emulator.sheets import a1, errors
from service.emulator.sheets.spreadsheet import SPREADSHEET_MIME, Cell, Spreadsheet, formatted, unformatted

DIMENSIONS = ("DIMENSION_UNSPECIFIED", "ROWS", "COLUMNS")
RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATE_TIME_OPTIONS = ("SERIAL_NUMBER", "FORMATTED_STRING")


def readable_spreadsheet(call: Call, spreadsheet_id: str) -> Spreadsheet:
    """The spreadsheet behind a Drive file the caller may read.

    Sheets needs no supportsAllDrives: a spreadsheet in a shared drive is read by id like any
    other. A trashed spreadsheet answers 404 (UNCONFIRMED: Sheets may still serve it).
    """
    index = call.state.drive
    record = index["files"].get(spreadsheet_id)
    if record is None or dx.is_trashed(index, record):
        raise errors.not_found()
    if sharing.role_on_file(index, record, call.identity) is None:
        raise errors.permission_denied()
    if record["mimeType"] != SPREADSHEET_MIME:
        raise errors.not_a_spreadsheet()
    content = call.state.document(spreadsheet_id)
    if not isinstance(content, Spreadsheet):
        raise errors.not_found()
    return content


def _choice(call: Call, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = call.text(name)
    if value is None:
        return default
    if value not in allowed:
        raise errors.invalid_enum(name, value)
    return value


def _render(value: Cell, option: str) -> Cell:
    # FORMULA answers a formula's text; with no formulas modelled it equals UNFORMATTED_VALUE.
    return formatted(value) if option == "FORMATTED_VALUE" else unformatted(value)


def _trim(line: list[Cell]) -> list[Cell]:
    """A row (or column) without its trailing empty cells: captured `["", "b2"]` for a row `["", "b2", "", ""]`."""
    end = len(line)
    while end and line[end - 1] in ("", None):
        end -= 1
    return line[:end]


def values_get(call: Call) -> Reply:
    spreadsheet = readable_spreadsheet(call, call.path["spreadsheetId"])
    dimension = _choice(call, "majorDimension", DIMENSIONS, "ROWS")
    option = _choice(call, "valueRenderOption", RENDER_OPTIONS, "FORMATTED_VALUE")
    # Dates are not modelled, so how they would render changes nothing; the value is still checked.
    _choice(call, "dateTimeRenderOption", DATE_TIME_OPTIONS, "SERIAL_NUMBER")
    grid = a1.parse(spreadsheet, call.path["range"])
    rows = range(grid.first_row - 1, grid.end_row)
    columns = range(grid.first_column - 1, grid.end_column)
    if dimension == "COLUMNS":
        lines = [[grid.sheet.value(r, c) for r in rows] for c in columns]
    else:
        lines = [[grid.sheet.value(r, c) for c in columns] for r in rows]
    # Empty cells inside a line are "" (captured: ["A1", "B1", "", "D1"]); a wholly empty line
    # before a filled one is [] (captured); trailing empty lines and cells are left out.
    trimmed = [_trim([_render(v, option) if v is not None else "" for v in line]) for line in lines]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    body: dict = {"range": grid.a1(), "majorDimension": "COLUMNS" if dimension == "COLUMNS" else "ROWS"}
    if trimmed:
        body["values"] = trimmed  # captured: a range with no values has no `values` key at all
    return Reply(body)
