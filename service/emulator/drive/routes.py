"""Every Drive v3 method the emulator models, as one route list (handlers live in files, listing, shared_drives, permissions)."""

from __future__ import annotations

from service.emulator.call import Route
from service.emulator.drive import files, listing, permissions, shared_drives

ROUTES: list[Route] = [*files.ROUTES, *listing.ROUTES, *shared_drives.ROUTES, *permissions.ROUTES]
