"""Ensures a dated section exists exactly once in a document: small masked reads, at most one guarded batchUpdate.

This is the only place that appends a section to a document, for every kind. A section is
identified by a named range (invisible, and it survives edits to the heading text), so
idempotency needs no database. Writes carry `requiredRevisionId`: if anyone wrote in between,
Google refuses the batch, and we read again and re-plan (bounded). New text is always appended
after everything people typed, never inside or before it, and every inherited style is reset.
Every request names the tab Docket's sections live in.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from service.calendar import Meeting
from service.document_queue import DocumentQueue
from service.errors import Conflict, GoogleApiError
from service.google.clients import Google
from service.google.failures import StaleRevision
from service.google.outline import Depth, Outline, read_outline
from service.render.requests import PARAGRAPH_RESET_FIELDS, Rendered

Planner = Callable[[Outline], "list[dict] | None"]
# Extra requests for a section being written: given where its text starts and what was rendered,
# e.g. the leadership list's named range and the item that comes with the new section.
Extras = Callable[[int, Rendered], "list[dict]"]

HEADER_KEY = "docket.header"  # a document's header, written once into an empty document


def week_key(meeting: Meeting) -> str:
    """The named range that identifies a week's section in any Docket document."""
    return f"docket.week.{meeting.iso}"


def doc_url(document_id: str, heading_id: str | None = None, tab_id: str | None = None) -> str:
    """A link into Google Docs: the document, its tab when it has several, the heading.

    The `?tab=<tabId>` form is what Docs puts in its own address bar for a tab; that it combines
    with `#heading=` as written here is UNCONFIRMED (a link without the tab still opens the doc).
    """
    url = f"https://docs.google.com/document/d/{document_id}/edit"
    if tab_id:
        url += f"?tab={tab_id}"
    return f"{url}#heading={heading_id}" if heading_id else url


_LOCATED = ("location", "range", "endOfSegmentLocation")
_TAB_SCOPED = ("createDropdownDefinition",)  # requests that name their tab at the top level


def in_tab(requests: list[dict], tab_id: str) -> list[dict]:
    """The same requests, each location and range naming `tab_id` (Docs applies a request without a
    tabId to the first tab, which people may have changed)."""
    out = []
    for request in requests:
        ((kind, body),) = request.items()
        body = dict(body)
        for key in _LOCATED:
            if key in body:
                body[key] = {**body[key], "tabId": tab_id}
        if kind in _TAB_SCOPED:
            body["tabId"] = tab_id
        out.append({kind: body})
    return out


@dataclass(frozen=True)
class SectionSpec:
    """A section to ensure: its named-range key, how to render it (only called when needed, with the
    document as read), and the extra requests that go with it in the same batch."""

    key: str
    render: Callable[[Outline], Rendered]
    only_in_new_document: bool = False  # the doc header: written into an empty document only
    extras: Extras | None = None
    reads_text: bool = False  # render reads the earlier sections' text: the document is read at Depth.TEXT
    # Requests that must come first in the batch (e.g. the dropdown definitions its chips use), given the document.
    prelude: Callable[[Outline], list[dict]] | None = None


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
        """The section's heading in Google Docs (the document alone when no anchor was read)."""
        tab = self.outline.tab_id if len(self.outline.tabs) > 1 else None
        return doc_url(self.document_id, self.heading_id, tab)


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
        self.queue = DocumentQueue()  # this process's writes to one document go one at a time

    def transact(self, document_id: str, plan: Planner, *, depth: Depth = Depth.OUTLINE,
                 deepen: Callable[[Outline], Depth | None] | None = None) -> GuardedWrite:
        """Read the outline, let `plan` return requests (or None: nothing to do), write them guarded.

        The document is read at `depth`; `deepen` may ask for a deeper read of what was just read
        (a small first read that finds work to do). On a stale revision (someone typed, or another
        Docket call won) re-read and re-plan: the planner sees the new state, so work already done
        by the winner is not repeated.
        """
        with self.queue.hold(document_id):
            return self._transact(document_id, plan, depth, deepen)

    def _transact(self, document_id: str, plan: Planner, depth: Depth,
                  deepen: Callable[[Outline], Depth | None] | None) -> GuardedWrite:
        fresh: Outline | None = None
        for attempt in range(1, self.attempts + 1):
            outline = fresh or read_outline(self.google, document_id, depth)
            fresh = None
            deeper = deepen(outline) if deepen is not None else None
            if deeper is not None and deeper.value > outline.depth.value:
                outline = read_outline(self.google, document_id, deeper)
            requests = plan(outline)
            if not requests:
                return GuardedWrite(outline, False)
            requests = in_tab(requests, outline.tab_id)
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
                fresh = read_outline(self.google, document_id, outline.depth)
                if fresh.revision_id == outline.revision_id:
                    raise
                continue
            return GuardedWrite(outline, True)
        raise Conflict(f"document {document_id} kept changing; gave up after {self.attempts} attempts")

    def ensure(self, document_id: str, specs: Sequence[SectionSpec], *, when_present: Planner | None = None,
               anchor: bool = True) -> SectionResult:
        """Make sure every spec's section exists (in order); report on the last one.

        When the last (target) section is already there, `when_present` may plan a change inside
        it (an agenda item); otherwise nothing is written. `anchor`: the caller needs the section's
        heading id for its URL (the Docs menu, links); the weekly job does not, so when the week is
        present it costs one small read (named ranges only), and a new week is never read back.
        """
        target = specs[-1]
        planned: list[str] = []
        text = any(s.reads_text for s in specs)
        # The first read: as deep as a present week needs (none for the weekly job; heading ids for
        # an anchor or an item), or straight to the text when a person waits for a new week anyway.
        first = Depth.TEXT if text and anchor else Depth.OUTLINE if anchor or when_present else Depth.RANGES

        def deepen(outline: Outline) -> Depth | None:
            if outline.has(target.key):
                return Depth.OUTLINE if when_present is not None else None
            return Depth.TEXT if text else Depth.OUTLINE

        def plan(outline: Outline) -> list[dict] | None:
            planned.clear()
            if outline.has(target.key):
                return when_present(outline) if when_present is not None else None
            missing = [s for s in specs if not outline.has(s.key) and (outline.is_empty or not s.only_in_new_document)]
            planned.extend(s.key for s in missing)
            rendered = [s.render(outline) for s in missing]
            last = outline.last_paragraph
            prelude = [request for s in missing if s.prelude is not None for request in s.prelude(outline)]
            return prelude + append_requests(outline.end_index, last.end - last.start <= 1, rendered,
                                             [s.key for s in missing], [s.extras for s in missing])

        written = self.transact(document_id, plan, depth=first, deepen=deepen)
        section_created = written.wrote and bool(planned)
        outline = written.outline
        if anchor and (section_created or outline.depth is Depth.RANGES):
            # A new section's heading id is only known after the write (batchUpdate replies lack it).
            outline = read_outline(self.google, document_id, Depth.OUTLINE)
        heading = outline.heading_of(target.key)
        return SectionResult(document_id, target.key, written.wrote, section_created, heading, outline,
                             tuple(planned) if section_created else ())
