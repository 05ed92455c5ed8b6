"""The APIs the emulator serves: one line per API subpackage. Add a sibling API's routes here and the WSGI app serves them."""

from __future__ import annotations

from service.emulator.calendar.routes import ROUTES as CALENDAR_ROUTES
from service.emulator.call import Route
from service.emulator.docs.hooks import ROUTES as DOCS_TEST_HOOKS
from service.emulator.docs.routes import ROUTES as DOCS_ROUTES
from service.emulator.drive.routes import ROUTES as DRIVE_ROUTES
from service.emulator.sheets.routes import ROUTES as SHEETS_ROUTES

ROUTES: list[Route] = [
    *DOCS_ROUTES,
    *DRIVE_ROUTES,
    *CALENDAR_ROUTES,
    *SHEETS_ROUTES,
    *DOCS_TEST_HOOKS,  # PUT/GET /_emulator/documents/<id>: load a captured document, read one whole
]
