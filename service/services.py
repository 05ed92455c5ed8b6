"""The services every use case shares: settings, the Google clients, the Drive registry, the section writer, the templates and the document kinds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.google.clients import Google, google_for
from service.google.registry import Registry
from service.meetings.catalog import BUILTIN_KINDS
from service.meetings.kind import Catalog
from service.render.templates import TemplateLibrary
from service.sections import SectionWriter
from service.settings import Settings

if TYPE_CHECKING:
    from service.workdata.shared_export import SharedZendesk


@dataclass
class Services:
    settings: Settings
    google: Google
    registry: Registry
    writer: SectionWriter
    templates: TemplateLibrary
    kinds: Catalog
    # One weekly run's shared Zendesk export (service/workdata/shared_export.py): set only on the copy
    # of the Services that `plan_week` gives that run's jobs; None everywhere else (each pair reads its own).
    zendesk_export: SharedZendesk | None = None

    @classmethod
    def build(cls, settings: Settings, google: Google | None = None, *, kinds: Catalog = BUILTIN_KINDS) -> Services:
        """Services over the configured backend (or `google`), knowing the document `kinds` (tests add their own)."""
        google = google or google_for(settings)
        return cls(settings, google, Registry(google, settings.google.folder_id, kinds.ids), SectionWriter(google),
                   TemplateLibrary(), kinds)
