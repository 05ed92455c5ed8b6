"""Reads a range of a Google Sheet through Sheets v4 spreadsheets.values.get, as Docket."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.google.clients import Google



@dataclass(frozen=True)
class SheetRange:
    """The values of a range, rows as Sheets gives them (trailing empty cells and rows left out)."""

    range: str  # as Sheets echoes it, e.g. "Pairs!A1:I1000"
    first_row: int  # the row number Sheets shows for rows[0]
    rows: tuple[tuple[object, ...], ...]


def first_row_of(echoed: str) -> int:
    """The first row number of an echoed A1 range ("'My sheet'!B3:I1000" → 3; "Pairs!A:I" → 1)."""
    cells = echoed.rpartition("!")[2]
    match = re.match(r"[A-Za-z]*([0-9]+)", cells)
    return int(match.group(1)) if match else 1


def read_range(google: Google, spreadsheet_id: str, value_range: str) -> SheetRange:
    """The range's cells as typed values: UNFORMATTED_VALUE, so a checkbox is a boolean and a number a
    number, just as the same value is typed in docket.toml."""
    request = google.sheet_values().get(spreadsheetId=spreadsheet_id, range=value_range, majorDimension="ROWS",
                                        valueRenderOption="UNFORMATTED_VALUE")
    body = google.call(request, f"spreadsheets.values.get {spreadsheet_id}", method="sheets.spreadsheets.values.get")
    echoed = str(body.get("range", value_range))
    return SheetRange(echoed, first_row_of(echoed), tuple(tuple(row) for row in body.get("values", [])))
