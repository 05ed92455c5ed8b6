"""A spreadsheet as the emulator keeps it: the content of a Drive file, one grid of typed cell values per sheet."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Union

from service.emulator.ids import IdSource

STATE_FORMAT = "sheets/1"
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
# A new spreadsheet's one sheet, as Drive's files.create makes it: "Sheet1", 1000 rows by 26
# columns (the real API echoes `Sheet1!A1:Z1000` for a whole new sheet; gspread's cassettes).
DEFAULT_SHEET = "Sheet1"
DEFAULT_ROWS, DEFAULT_COLUMNS = 1000, 26
MAX_COLUMNS = 18278  # ZZZ: the widest grid Sheets allows

# A cell's effective value: text, a number or a boolean; "" or None is an empty cell.
# Divergence: formulas, dates and number formats are not modelled; a number is shown with
# Sheets' automatic format as far as plain integers and decimals go (see `formatted`).
Cell = Union[str, int, float, bool, None]


def formatted(value: Cell) -> str:
    """FORMATTED_VALUE of a cell: booleans as TRUE/FALSE, numbers without a trailing ".0" (captured: 1.5 → "1.5")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    return value


def unformatted(value: Cell) -> Cell:
    """UNFORMATTED_VALUE: numbers as JSON numbers (integral ones as integers: captured `2`, not `2.0`)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return "" if value is None else value


def check_cell(value: object) -> Cell:
    if value is None or isinstance(value, (str, bool, int)):
        return value  # type: ignore[return-value]
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise ValueError(f"a cell holds text, a finite number or a boolean, not {value!r}")


@dataclass
class Sheet:
    sheet_id: int
    title: str
    row_count: int = DEFAULT_ROWS
    column_count: int = DEFAULT_COLUMNS
    cells: list[list[Cell]] = field(default_factory=list)  # rows of values from A1; ragged, trailing empties optional

    def value(self, row: int, column: int) -> Cell:
        """The cell at 0-based (row, column); None when empty or beyond the stored values."""
        if row < len(self.cells) and column < len(self.cells[row]):
            found = self.cells[row][column]
            return None if found == "" else found
        return None

    def to_state(self) -> dict:
        return {"sheetId": self.sheet_id, "title": self.title, "rowCount": self.row_count,
                "columnCount": self.column_count, "cells": copy.deepcopy(self.cells)}

    @classmethod
    def from_state(cls, state: dict) -> Sheet:
        return cls(state["sheetId"], state["title"], state["rowCount"], state["columnCount"], copy.deepcopy(state["cells"]))


class Spreadsheet:
    """The content behind a Drive file of mimeType `application/vnd.google-apps.spreadsheet`."""

    def __init__(self, spreadsheet_id: str, title: str, sheets: list[Sheet]) -> None:
        self.document_id = spreadsheet_id  # the store keeps every file's content under its Drive id
        self.title = title
        self.sheets = sheets

    @classmethod
    def create(cls, file_id: str, title: str, ids: IdSource) -> Spreadsheet:
        return cls(file_id, title, [Sheet(0, DEFAULT_SHEET)])

    @classmethod
    def from_state(cls, state: dict) -> Spreadsheet:
        return cls(state["spreadsheetId"], state["title"], [Sheet.from_state(s) for s in state["sheets"]])

    def to_state(self) -> dict:
        return {"format": STATE_FORMAT, "spreadsheetId": self.document_id, "title": self.title,
                "sheets": [s.to_state() for s in self.sheets]}

    def sheet(self, title: str) -> Sheet | None:
        """The sheet of this exact title (Sheets matches sheet names case-insensitively: UNCONFIRMED; exact here)."""
        return next((s for s in self.sheets if s.title == title), None)

    def replace_sheet(self, title: str, rows: list[list[object]], *, row_count: int | None = None,
                      column_count: int | None = None) -> Sheet:
        """Seeding: the sheet `title` (added if missing) holding exactly `rows`, its grid at least their size."""
        cells = [[check_cell(v) for v in row] for row in rows]
        width = max((len(r) for r in cells), default=0)
        existing = self.sheet(title)
        if existing is None:
            existing = Sheet(max((s.sheet_id for s in self.sheets), default=-1) + 1, title)
            self.sheets.append(existing)
        existing.cells = cells
        existing.row_count = max(row_count or existing.row_count, len(cells))
        existing.column_count = max(column_count or existing.column_count, width)
        if existing.column_count > MAX_COLUMNS:
            raise ValueError(f"a sheet has at most {MAX_COLUMNS} columns")
        return existing
