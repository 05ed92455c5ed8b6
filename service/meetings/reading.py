"""Reading a Docket document outside Google Docs (the CLI, the local views): one rule for text a kind withholds, one notice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.google.document_view import read_document
from service.google.registry import DocFile
from service.meetings.kind import DocumentKind

if TYPE_CHECKING:
    from service.services import Services


@dataclass(frozen=True)
class Reading:
    """A document as one viewer may read it: its text (the documents.get resource), or a notice instead."""

    doc: DocFile
    resource: Mapping[str, Any] | None  # None: withheld from this viewer
    notice: str | None


def withheld_notice(kind: DocumentKind) -> str:
    return (f"This is the {kind.label}: its text is shown only in Google Docs and, here, to {kind.participants_label} "
            f"(`docket docs show DOC_ID --as EMAIL`, or a signed link).")


def read_for(services: Services, document_id: str, viewer: str | None = None) -> Reading:
    """`document_id` as `viewer` (a verified or configured email; None: anybody) may read it.

    A kind whose text is withheld (the confidential doc) shows it only to its participants;
    everyone else gets the notice and nothing of the document is read.
    """
    doc = services.registry.get(document_id)  # NotFound for anything Docket did not make
    kind = services.kinds.get(doc.kind)
    if not kind.shows_text and (viewer is None or viewer.strip().lower() not in kind.participants(services, doc)):
        return Reading(doc, None, withheld_notice(kind))
    return Reading(doc, read_document(services.google, doc.id), None)
