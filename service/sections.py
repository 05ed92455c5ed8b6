"""Ensures a dated section exists exactly once in a document: one read, at most one guarded batchUpdate.

This is the only place that appends a section to a document, for every kind. A section is
identified by a named range (invisible, and it survives edits to the heading text), so
idempotency needs no database. Writes carry `requiredRevisionId`: if anyone wrote in between,
Google refuses the batch, and we read again and re-plan (bounded). New text is always appended
after everything people typed, never inside or before it, and every inherited style is reset.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from service.calendar import Meeting
from service.errors import Conflict, GoogleApiError
from service.google.clients import Google
from service.google.failures import StaleRevision
from service.google.outline import Outline, read_outline
from service.render.requests import PARAGRAPH_RESET_FIELDS, Rendered

Planner = Callable[[Outline], "list[dict] | None"]
# Extra requests for a section being written: given where its text starts and what was rendered,
# e.g. the leadership list's named range and the item that comes with the new section.
Extras = Callable[[int, Rendered], "list[dict]"]

HEADER_KEY = "docket.header"  # a document's header, written once into an empty document


def week_key(meeting: Meeting) -> str:
    """The named range that identifies a week's section in any Docket document."""
    return f"docket.week.{meeting.iso}"


def doc_url(document_id: str, heading_id: str | None = None) -> str:
    url = f"https://docs.google.com/document/d/{document_id}/edit"
    return f"{url}#heading={heading_id}" if heading_id else url


@dataclass(frozen=True)
class SectionSpec:
    """A section to ensure: its named-range key, how to render it (only called when needed), and
    the extra requests that go with it in the same batch."""

    key: str
    render: Callable[[], Rendered]
    only_in_new_document: bool = False  # the doc header: written into an empty document only
    extras: Extras | None = None


@dataclass(frozen=True)
class SectionResult:
    """What `ensure` found or did, and the document's outline as last read."""

    document_id: str
    key: str
    wrote: bool  # this call wrote anything (the section, or the `when_present` change)
    section_created: bool  # this call wrote the target section
    heading_id: str | None
    outline: Outline
    written: tuple[str, ...] = ()  # the keys of every section this call wrote (e.g. the header too)

    @property
    def url(self) -> str:
        return doc_url(self.document_id, self.heading_id)


@dataclass(frozen=True)
class GuardedWrite:
    """What one optimistic read → plan → guarded write did: the outline it planned from, and whether it wrote."""

    outline: Outline
    wrote: bool


def append_requests(outline_end: int, last_paragraph_empty: bool, sections: Sequence[Rendered], names: Sequence[str],
                    extras: Sequence[Extras | None] = ()) -> list[dict]:
    """Requests appending `sections` at the end of the body, each covered by a named range.

    The append point is the last paragraph. If that paragraph holds text, a newline is inserted
    at its end first: the person's text stays where it is, and the new empty paragraph (which
    copied its style) is reset to plain text before anything is written into it.
    """
    requests: list[dict] = []
    end = outline_end
    if not last_paragraph_empty:
        trailing = {"startIndex": end, "endIndex": end + 1}
        requests.append({"insertText": {"location": {"index": end - 1}, "text": "\n"}})
        # Bullet first: deleting a bullet adds indentation to keep its look, which the reset removes.
        requests.append({"deleteParagraphBullets": {"range": trailing}})
        requests.append({"updateParagraphStyle": {"range": trailing, "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                                                  "fields": PARAGRAPH_RESET_FIELDS}})
        end += 1
    for i, (rendered, name) in enumerate(zip(sections, names)):
        start = end - 1  # before the final (empty) paragraph, which stays last
        requests.append({"insertText": {"location": {"index": start}, "text": rendered.text}})
        requests.extend(rendered.requests(start))
        requests.append({"createNamedRange": {"name": name, "range": {"startIndex": start, "endIndex": start + rendered.length}}})
        extra = extras[i] if i < len(extras) else None
        if extra is not None:
            requests.extend(extra(start, rendered))
        end += rendered.length
    return requests


class SectionWriter:
    """The optimistic read → plan → guarded write loop every document change goes through."""

    def __init__(self, google: Google, *, attempts: int = 8, sleep: Callable[[float], None] = time.sleep) -> None:
        self.google = google
        self.attempts = attempts
        self.sleep = sleep

    def transact(self, document_id: str, plan: Planner) -> GuardedWrite:
        """Read the outline, let `plan` return requests (or None: nothing to do), write them guarded.

        On a stale revision (someone typed, or another Docket call won) re-read and re-plan: the
        planner sees the new state, so work already done by the winner is not repeated.
        """
        fresh: Outline | None = None
        for attempt in range(1, self.attempts + 1):
            outline = fresh or read_outline(self.google, document_id)
            fresh = None
            requests = plan(outline)
            if not requests:
                return GuardedWrite(outline, False)
            body = {"requests": requests, "writeControl": {"requiredRevisionId": outline.revision_id}}
            self.google.pace_write()
            try:
                # Safe to retry: a repeat of an already-applied batch fails as a stale revision.
                self.google.call(self.google.documents.batchUpdate(documentId=document_id, body=body),
                                 f"documents.batchUpdate {document_id}", method="docs.batchUpdate")
            except StaleRevision:
                self.sleep(random.random() * min(2.0, 0.05 * 2**attempt))
                continue
            except GoogleApiError as error:
                # Google's wording for a stale revision is observed, not documented: a 400 on this
                # guarded write after the document moved on is treated as stale too. On an
                # unchanged document it is a real refusal of our requests.
                if error.google_status != 400:
                    raise
                fresh = read_outline(self.google, document_id)
                if fresh.revision_id == outline.revision_id:
                    raise
                continue
            return GuardedWrite(outline, True)
        raise Conflict(f"document {document_id} kept changing; gave up after {self.attempts} attempts")

    def ensure(self, document_id: str, specs: Sequence[SectionSpec], *, when_present: Planner | None = None) -> SectionResult:
        """Make sure every spec's section exists (in order); report on the last one.

        When the last (target) section is already there, `when_present` may plan a change inside
        it (an agenda item); otherwise nothing is written.
        """
        target = specs[-1]
        planned: list[str] = []

        def plan(outline: Outline) -> list[dict] | None:
            planned.clear()
            if outline.has(target.key):
                return when_present(outline) if when_present is not None else None
            missing = [s for s in specs if not outline.has(s.key) and (outline.is_empty or not s.only_in_new_document)]
            planned.extend(s.key for s in missing)
            rendered = [s.render() for s in missing]
            last = outline.last_paragraph
            return append_requests(outline.end_index, last.end - last.start <= 1, rendered, [s.key for s in missing],
                                   [s.extras for s in missing])

        written = self.transact(document_id, plan)
        section_created = written.wrote and bool(planned)
        # A new section's heading id is only known after the write (batchUpdate replies lack it).
        outline = read_outline(self.google, document_id) if section_created else written.outline
        span = outline.range_of(target.key)
        heading = outline.heading_at_or_after(span[0], span[1]) if span else None
        return SectionResult(document_id, target.key, written.wrote, section_created, heading, outline,
                             tuple(planned) if section_created else ())
