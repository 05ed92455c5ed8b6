"""A1 notation as Sheets reads and writes it: a range's sheet and bounds, and the range text Sheets answers with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.emulator.errors import unmodelled
from service.emulator.sheets import errors
from service.emulator.sheets.spreadsheet import Sheet, Spreadsheet

_CELL = re.compile(r"^(?P<col>[A-Za-z]{1,3})?(?P<row>[1-9][0-9]{0,6})?$")
_R1C1 = re.compile(r"^R(\[?-?[0-9]*\]?)C(\[?-?[0-9]*\]?)(:R(\[?-?[0-9]*\]?)C(\[?-?[0-9]*\]?))?$", re.I)
# A sheet name Sheets writes without quotes: letters, digits and underscores, not starting with a
# digit, and not itself readable as a cell (captured: "Sheet1!A1:D4" bare, but "'D3'!A1:D4" quoted).
_BARE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def column_number(letters: str) -> int:
    """1-based column of "A", "Z", "AA", …"""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quoted_name(title: str) -> str:
    """The sheet title as Sheets writes it in a range: bare when it can be, else in single quotes (' doubled)."""
    looks_like_cell = bool(re.fullmatch(r"[A-Za-z]{1,3}[0-9]+", title)) or bool(_R1C1.match(title))
    if _BARE_NAME.match(title) and not looks_like_cell:
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class GridRange:
    """A rectangle of one sheet, 1-based and inclusive; None is an open end (to the grid's edge)."""

    sheet: Sheet
    first_row: int
    first_column: int
    last_row: int | None
    last_column: int | None

    @property
    def end_row(self) -> int:
        return self.sheet.row_count if self.last_row is None else self.last_row

    @property
    def end_column(self) -> int:
        return self.sheet.column_count if self.last_column is None else self.last_column

    def a1(self) -> str:
        """The range as Sheets echoes it: open ends closed at the grid's edge (captured `A1:C` → `A1:C1000`)."""
        start = f"{column_letters(self.first_column)}{self.first_row}"
        end = f"{column_letters(self.end_column)}{self.end_row}"
        cells = start if start == end else f"{start}:{end}"
        return f"{quoted_name(self.sheet.title)}!{cells}"


def _split(text: str) -> tuple[str | None, str]:
    """(sheet name or None, the cells part) of a range text; the name unquoted."""
    if text.startswith("'"):
        i, name = 1, []
        while i < len(text):
            if text[i] == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    name.append("'")
                    i += 2
                    continue
                rest = text[i + 1:]
                if rest == "":
                    return "".join(name), ""
                if rest.startswith("!"):
                    return "".join(name), rest[1:]
                raise errors.unparsable_range(text)
            name.append(text[i])
            i += 1
        raise errors.unparsable_range(text)
    if "!" in text:
        name, _, cells = text.rpartition("!")
        return name, cells
    return None, text


def _corner(text: str, whole: str) -> tuple[int | None, int | None]:
    """(row, column) of one side of a range; either may be None ("A" is a column, "3" a row)."""
    match = _CELL.match(text)
    if not text or match is None:
        raise errors.unparsable_range(whole)
    row = int(match["row"]) if match["row"] else None
    col = column_number(match["col"]) if match["col"] else None
    return row, col


def parse(spreadsheet: Spreadsheet, text: str) -> GridRange:
    """The grid range `text` names in `spreadsheet`, as values.get reads it.

    Forms: `Sheet!A1:B2`, `'My sheet'!A1`, a sheet title alone (its whole grid, captured with a
    title holding spaces and an emoji), `A1:B2` (the first sheet), open ends `A1:C`, `A:C`, `1:3`,
    reversed corners (`B2:A1` reads as `A1:B2`). Named ranges and R1C1 notation are not modelled.
    """
    raw = text.strip()
    if not raw:
        raise errors.unparsable_range(text)
    whole_sheet = spreadsheet.sheet(raw) or (spreadsheet.sheet(raw[1:-1].replace("''", "'"))
                                             if len(raw) > 1 and raw[0] == raw[-1] == "'" else None)
    if whole_sheet is not None:
        return GridRange(whole_sheet, 1, 1, None, None)
    name, cells = _split(raw)
    if name is not None:
        sheet = spreadsheet.sheet(name)
        if sheet is None:
            raise errors.unparsable_range(text)
        if cells == "":
            return GridRange(sheet, 1, 1, None, None)
    else:
        sheet = spreadsheet.sheets[0]
    if _R1C1.match(cells):
        raise unmodelled("R1C1 notation in a Sheets range")
    left, sep, right = cells.partition(":")
    r1, c1 = _corner(left, text)
    r2, c2 = _corner(right, text) if sep else (r1, c1)
    rows: tuple[int, int | None]
    columns: tuple[int, int | None]
    if None not in (r1, c1, r2, c2):  # A1:B2, or one cell
        rows, columns = (min(r1, r2), max(r1, r2)), (min(c1, c2), max(c1, c2))  # type: ignore[type-var]
    elif sep and None not in (r1, c1, c2) and r2 is None:  # A2:C, to the last row
        rows, columns = (r1, None), (min(c1, c2), max(c1, c2))  # type: ignore[assignment,type-var]
    elif sep and None not in (c1, c2) and r1 is None and r2 is None:  # A:C, whole columns
        rows, columns = (1, None), (min(c1, c2), max(c1, c2))  # type: ignore[type-var]
    elif sep and None not in (r1, r2) and c1 is None and c2 is None:  # 1:3, whole rows
        rows, columns = (min(r1, r2), max(r1, r2)), (1, None)  # type: ignore[type-var]
    else:  # a lone "A" or "3", or a column range mixed with a row range ("A1:3")
        raise errors.unparsable_range(text)
    first_row, last_row = rows
    first_col, last_col = columns
    grid = GridRange(sheet, first_row, first_col, last_row, last_col)
    if grid.end_row > sheet.row_count or grid.end_column > sheet.column_count or first_row > sheet.row_count \
            or first_col > sheet.column_count:
        shown = f"{quoted_name(sheet.title)}!{cells}"
        raise errors.exceeds_grid(shown, sheet.row_count, sheet.column_count)
    return grid
