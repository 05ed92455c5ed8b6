"""Ensures this week's section in one document, whatever its kind — the use case behind the menu, links and task fan-out."""

from __future__ import annotations

from service.calendar import Week
from service.engine import Engine
from service.errors import NotFound
from service.meetings.one_on_one import KIND as ONE_ON_ONE, OneOnOnes
from service.meetings.outcome import Outcome


def ensure_section(engine: Engine, document_id: str, week: Week, *, caller: str | None = None) -> Outcome:
    """This week's section in `document_id`.

    `caller` is the verified email of a person (Docs menu): they must be a participant of the
    document. None means a trusted trigger (Cloud Scheduler / Cloud Tasks) already authenticated.
    """
    doc = engine.registry.get(document_id)
    if doc.kind == ONE_ON_ONE:
        return OneOnOnes(engine).ensure_document(doc, week, caller=caller)
    if doc.kind in ("leadership_agenda", "leadership_confidential"):
        from service.meetings.leadership import Leadership

        return Leadership(engine).ensure_document(doc, week, caller=caller)
    raise NotFound(f"document {document_id} is not a Docket document")
