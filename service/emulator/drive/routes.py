"""Every Drive v3 method the emulator models, as one route list (handlers live in about, files, copies, listing, shared_drives, permissions)."""

from __future__ import annotations

from service.emulator.call import Route
from service.emulator.drive import about, copies, files, listing, permissions, shared_drives

ROUTES: list[Route] = [*about.ROUTES, *files.ROUTES, *copies.ROUTES, *listing.ROUTES, *shared_drives.ROUTES,
                       *permissions.ROUTES]
