"""The services every use case shares: settings, the Google clients, the Drive registry, the section writer, the templates and the document kinds."""

from __future__ import annotations

from dataclasses import dataclass

from service.google.clients import Google, google_for
from service.google.registry import Registry
from service.meetings.catalog import BUILTIN_KINDS
from service.meetings.kind import Catalog
from service.render.templates import TemplateLibrary
from service.sections import SectionWriter
from service.settings import Settings


@dataclass
class Services:
    settings: Settings
    google: Google
    registry: Registry
    writer: SectionWriter
    templates: TemplateLibrary
    kinds: Catalog

    @classmethod
    def build(cls, settings: Settings, google: Google | None = None, *, kinds: Catalog = BUILTIN_KINDS) -> Services:
        """Services over the configured backend (or `google`), knowing the document `kinds` (tests add their own)."""
        google = google or google_for(settings)
        return cls(settings, google, Registry(google, settings.google.folder_id, kinds.ids), SectionWriter(google),
                   TemplateLibrary(), kinds)
