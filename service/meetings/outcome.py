"""What happened to one document: created, appended, present — or why it failed."""

from __future__ import annotations

from dataclasses import dataclass

ACTIONS = ("created", "appended", "present")


@dataclass(frozen=True)
class Outcome:
    document_id: str
    kind: str
    action: str  # created | appended | present
    url: str
    title: str
    warnings: tuple[str, ...] = ()  # for an admin (the weekly sharing check); never document text

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
