"""Every Sheets v4 method the emulator models, as one route list: spreadsheets.values.get (anything else answers 501)."""

from __future__ import annotations

from service.emulator.call import Route
from service.emulator.sheets import values

ROUTES: list[Route] = [
    # `range` may hold "/" (a sheet title can), so it takes the rest of the path.
    Route("sheets", "GET", "/v4/spreadsheets/<fid:spreadsheetId>/values/<path:range>", "sheets.spreadsheets.values.get",
          values.values_get, params=frozenset({"majorDimension", "valueRenderOption", "dateTimeRenderOption"})),
]
