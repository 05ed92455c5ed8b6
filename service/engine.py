"""The engine: settings plus the Google clients, registry, section writer and templates the use cases share."""

from __future__ import annotations

from dataclasses import dataclass

from service.google.clients import Google, google_for
from service.google.registry import Registry
from service.render.templates import TemplateLibrary
from service.sections import SectionWriter
from service.settings import Settings


@dataclass
class Engine:
    settings: Settings
    google: Google
    registry: Registry
    writer: SectionWriter
    templates: TemplateLibrary

    @classmethod
    def build(cls, settings: Settings, google: Google | None = None) -> Engine:
        google = google or google_for(settings)
        return cls(settings, google, Registry(google, settings.google.folder_id), SectionWriter(google), TemplateLibrary())
