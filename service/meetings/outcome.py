"""What happened to one document: created, appended, present — or why it failed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.settings import Settings

ACTIONS = ("created", "appended", "present")


@dataclass(frozen=True)
class Outcome:
    document_id: str
    kind: str
    action: str  # created | appended | present
    url: str
    title: str
    warnings: tuple[str, ...] = ()  # for an admin (sharing found by the weekly check, a source's data unavailable); never document text

    def to_dict(self) -> dict[str, str]:
        """The per-document result of POST /tasks/weekly (docs/http-api.md)."""
        return {"document_id": self.document_id, "kind": self.kind, "action": self.action, "url": self.url}


@dataclass(frozen=True)
class Failure:
    """A document the job could not bring up to date; `reason` never holds confidential text."""

    kind: str
    title: str
    reason: str
    document_id: str | None = None
    documents: int = 1  # how many documents failed with it (the leadership sync's two fail together)

    def to_dict(self) -> dict[str, str | None]:
        return {"document_id": self.document_id, "kind": self.kind, "title": self.title, "error": self.reason}


def local_section_url(document_id: str, section_url: str) -> str:
    """The local view of a section: `/local/docs/<id>#<headingId>` from a Docs `...#heading=<id>` URL."""
    heading = section_url.partition("#heading=")[2]
    return f"/local/docs/{document_id}" + (f"#{heading}" if heading else "")


def where_to_read(settings: Settings, document_id: str, section_url: str) -> str:
    """Where a person reads a section: Google Docs, or on the embedded/emulator backends the local view
    under `service.base_url` (the CLI's output, the reminders' Chat messages)."""
    if settings.backend == "google":
        return section_url
    return settings.service.base_url + local_section_url(document_id, section_url)
