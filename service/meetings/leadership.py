"""The weekly Senior Support Leadership Sync: the agenda doc, the confidential doc, their weekly sections and agenda items.

Write order for a confidential item: the permission check, then the full
entry in the confidential doc, then the placeholder in the agenda. So a placeholder never exists
without its entry. A failure between the two writes leaves an entry without its placeholder:
confidential text is safe, and the next `ensure_week` (the weekly job, the Docs menu) or a retry
of the same item_id restores the placeholder from the entry's author range, without its text.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Sequence
from zoneinfo import ZoneInfo

from service.calendar import Meeting, Week, meeting_for
from service.confidentiality import refuse_exposures, require_members_only
from service.errors import ConfigError, DocketError, Forbidden, NotFound
from service.google.outline import Outline
from service.google.registry import DocFile, Permission
from service.meetings import agenda_items as items
from service.meetings.agenda_items import ITEM_KINDS, MAX_ITEM_LENGTH, ItemLine, ItemOutcome
from service.meetings.kind import DocumentKind, Job
from service.meetings.outcome import Outcome
from service.render.blocks import utf16_len
from service.render.requests import Rendered
from service.sections import HEADER_KEY, SectionResult, SectionSpec, week_key
from service.settings import LEADERSHIP_TITLE, LeadershipSettings

if TYPE_CHECKING:
    from service.services import Services
    from service.settings import Settings

__all__ = ["AGENDA", "CONFIDENTIAL", "ITEM_KINDS", "ItemOutcome", "Leadership", "MAX_ITEM_LENGTH"]

AGENDA = "leadership_agenda"
CONFIDENTIAL = "leadership_confidential"
AGENDA_LIST_TITLE = "Agenda"
CONFIDENTIAL_LIST_TITLE = "Confidential items"

_log = logging.getLogger(__name__)
JOB_KEY = "leadership"


def list_key(meeting: Meeting) -> str:
    """The week's item list (the agenda list, or the confidential items list), in either doc."""
    return f"docket.items.{meeting.iso}"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Leadership:
    """The leadership sync's use cases; no Flask, no HTTP: the CLI and the add-on call these."""

    def __init__(self, services: Services, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self.services = services
        self.clock = clock

    # --- configuration and documents ----------------------------------------------------------

    @property
    def settings(self) -> LeadershipSettings:
        if self.services.settings.leadership is None:
            raise NotFound("no leadership sync is configured ([leadership] in docket.toml)")
        return self.services.settings.leadership

    def titles(self) -> tuple[str, str]:
        settings = self.services.settings
        return AGENDA_KIND.title(settings, {}), CONFIDENTIAL_KIND.title(settings, {})

    def documents(self) -> tuple[DocFile, DocFile]:
        """The agenda and confidential docs, created (and shared with the members) when missing."""
        (agenda, agenda_new), (confidential, confidential_new) = self._find_or_create()
        if agenda_new or confidential_new:
            self._share(agenda, confidential)
        return agenda, confidential

    def _find_or_create(self, existing: Sequence[DocFile] | None = None) -> tuple[tuple[DocFile, bool], tuple[DocFile, bool]]:
        """Both docs: from the run's listing of Docket's documents when given, else one listing of the two
        kinds (the oldest copy of each), created when missing."""
        agenda_title, confidential_title = self.titles()
        registry = self.services.registry
        listed = existing if existing is not None else registry.of_kinds((AGENDA, CONFIDENTIAL))
        found: list[tuple[DocFile, bool]] = []
        for kind, title in ((AGENDA_KIND, agenda_title), (CONFIDENTIAL_KIND, confidential_title)):
            doc = next((d for d in listed if d.kind == kind.id), None)
            found.append((doc, False) if doc is not None else registry.find_or_create(title, kind.properties()))
        return found[0], found[1]

    def _share(self, agenda: DocFile, confidential: DocFile) -> list[Permission]:
        """Members are writers of both docs; the agenda may also be readable by the organisation.

        Reconciled on every run, so a member added to docket.toml gets access the next week.
        Nothing is ever removed: a person left on the confidential doc is refused by the
        permission check instead, which tells an admin to act. Returns the confidential doc's
        permissions as listed (the members added here are never exposures), so the caller can
        run the confidentiality check without listing them again.
        """
        registry, members = self.services.registry, self.settings.members
        listed: list[Permission] = []
        for doc, open_to_org in ((agenda, self.settings.agenda_open_to_organization), (confidential, False)):
            present = listed = registry.permissions(doc.id)
            users = {p.email for p in present if p.type == "user" and p.email}
            missing = [m for m in members if m not in users]
            if missing:
                registry.share(doc.id, missing, role="writer")
            if open_to_org:
                domains = {p.domain for p in present if p.type == "domain"}
                for domain in self.services.settings.organization.domains:
                    if domain not in domains:
                        registry.share_with_domain(doc.id, domain, role="reader")
        return listed

    def require_member(self, email: str, what: str) -> str:
        """The member's address, normalised; Forbidden for anyone else (`what`: what they tried to do)."""
        email = email.strip().lower()
        if email not in self.settings.members:
            raise Forbidden(f"only the leadership members may {what}; {email} is not one of them")
        return email

    # --- rendering ---------------------------------------------------------------------------

    def _context(self, meeting: Meeting | None, agenda: DocFile, confidential: DocFile, list_title: str,
                 confidential_items: bool) -> dict[str, object]:
        context: dict[str, object] = {
            "title": self.settings.title, "org": self.services.settings.organization, "list_title": list_title,
            "agenda_url": agenda.url, "confidential_url": confidential.url,
            "open_to_organization": self.settings.agenda_open_to_organization,
        }
        if meeting is not None:
            due = [s for s in self.settings.standing_items if meeting.is_due(s.cadence)]
            # The agenda names every standing item due (their titles are public in the handbook; only
            # the discussion of a confidential one is not); the confidential doc lists its own.
            shown = [s for s in due if s.confidential or not confidential_items]
            context.update(
                meeting={"date": meeting.iso, "weekday": meeting.weekday_name, "timezone": meeting.timezone},
                standing=[{"title": s.title, "cadence": s.cadence, "confidential": s.confidential} for s in shown],
                month=meeting.date.strftime("%B %Y"), quarter=meeting.quarter,
                first_of_month=meeting.first_of_month, first_of_quarter=meeting.first_of_quarter)
        return context

    def _render(self, kind: str, part: str, meeting: Meeting | None, agenda: DocFile, confidential: DocFile) -> Rendered:
        prefix = "agenda" if kind == AGENDA else "confidential"
        list_title = AGENDA_LIST_TITLE if kind == AGENDA else CONFIDENTIAL_LIST_TITLE
        context = self._context(meeting, agenda, confidential, list_title, kind == CONFIDENTIAL)
        return self.services.templates.render(f"{AGENDA_KIND.templates}/{prefix}_{part}.md", context)

    # --- sections ----------------------------------------------------------------------------

    def _ensure_section(self, doc: DocFile, kind: str, meeting: Meeting, agenda: DocFile, confidential: DocFile,
                        lines: Sequence[ItemLine] = (), *, anchor: bool = True) -> tuple[SectionResult, dict[str, bool]]:
        """This week's section in one doc (and `lines` in its list), through the one section writer.

        One read and at most one write: when the section is missing it is written together with
        the week's list range and the items, the first filling the template's blank list item; when
        it exists only the items are planned. Either way a concurrent caller that wrote first makes
        this plan again. Returns the result and, for each item written, whether it filled a blank.
        """
        this_week, items_key = week_key(meeting), list_key(meeting)
        list_title = AGENDA_LIST_TITLE if kind == AGENDA else CONFIDENTIAL_LIST_TITLE
        written: dict[str, bool] = {}

        def list_and_items(start: int, week: Rendered) -> list[dict]:
            span = _list_span(week, list_title)
            if span is None:
                raise ConfigError(f"the leadership {kind} template has no '{list_title}' list", file="doc_templates/leadership")
            list_start, list_end, last_start = (start + offset for offset in span)
            requests = [{"createNamedRange": {"name": items_key, "range": {"startIndex": list_start, "endIndex": list_end}}}]
            if lines:
                planned = items.items_requests(last_start=last_start, last_end=list_end, list_start=list_start, items=lines)
                written.update(planned.filled)
                requests += planned.requests
            return requests

        def items_into_present_week(outline: Outline) -> list[dict] | None:
            written.clear()
            planned = items.plan_items(outline, list_key=items_key, section_key=this_week, items=lines)
            if planned is None:
                if any(not outline.has(line.key) for line in lines):
                    # Only when people emptied the week's section while the items were being added.
                    raise NotFound(f"this week's section of document {doc.id} lost its item list; try again")
                return None
            written.update(planned.filled)
            return planned.requests

        specs = [
            SectionSpec(HEADER_KEY, lambda _outline: self._render(kind, "header", None, agenda, confidential),
                        only_in_new_document=True),
            SectionSpec(this_week, lambda _outline: self._render(kind, "week", meeting, agenda, confidential),
                        extras=list_and_items),
        ]
        result = self.services.writer.ensure(doc.id, specs, when_present=items_into_present_week if lines else None,
                                             anchor=anchor)
        return result, (written if result.wrote else {})

    def ensure_week(self, week: Week, existing: Sequence[DocFile] | None = None, *, anchor: bool = True) -> list[Outcome]:
        """Both docs found or created and shared, this week's section in each; stray entries reconciled.

        `existing` is the run's one listing of Docket's documents, when the weekly job has it. The
        confidential doc's permissions are checked before its section is written: if it is
        exposed, the agenda is still brought up to date and the job reports the exposure.
        """
        meeting = meeting_for(week, self.settings.weekday, self.settings.timezone)
        (agenda, agenda_new), (confidential, confidential_new) = self._find_or_create(existing)
        confidential_permissions = self._share(agenda, confidential)
        agenda_title, confidential_title = self.titles()
        agenda_result, _ = self._ensure_section(agenda, AGENDA, meeting, agenda, confidential, anchor=anchor)
        outcomes = [Outcome(agenda.id, AGENDA, _action(agenda_new, agenda_result.wrote), agenda_result.url, agenda_title)]
        # The agenda is written first and stays written: the refusal must say so, not "wrote nothing".
        refuse_exposures(confidential_permissions, confidential.id, self.settings.members, self.services.google.identity,
                         outcome=_exposed_week(outcomes[0].action, confidential_new))
        entries, _ = self._ensure_section(confidential, CONFIDENTIAL, meeting, agenda, confidential, anchor=anchor)
        outcomes.append(Outcome(confidential.id, CONFIDENTIAL, _action(confidential_new, entries.wrote), entries.url,
                                confidential_title))
        self._reconcile(meeting, agenda, confidential, entries.outline, agenda_result.outline)
        return outcomes

    def ensure_document(self, doc: DocFile, week: Week, *, anchor: bool = True) -> Outcome:
        """This week's section in one leadership doc (the Docs menu, Cloud Tasks fan-out)."""
        if doc.kind not in (AGENDA, CONFIDENTIAL):
            raise NotFound(f"document {doc.id} is not a leadership document")
        meeting = meeting_for(week, self.settings.weekday, self.settings.timezone)
        agenda, confidential = self.documents()
        # The doc asked for may be an older duplicate; it still gets its section, with links to the canonical pair.
        if doc.kind == AGENDA:
            agenda = doc
        else:
            confidential = doc
            require_members_only(self.services.registry, doc.id, self.settings.members, self.services.google.identity,
                                 outcome="Docket wrote nothing in it.")
        result, _ = self._ensure_section(doc, doc.kind, meeting, agenda, confidential, anchor=anchor)
        title = self.titles()[0 if doc.kind == AGENDA else 1]
        return Outcome(doc.id, doc.kind, "appended" if result.wrote else "present", result.url, title)

    # --- items -------------------------------------------------------------------------------

    def add_item(self, *, author: str, text: str, kind: str, week: Week, item_id: str | None = None) -> ItemOutcome:
        """Add one item to the week's agenda (and, for a confidential item, its entry to the confidential doc).

        Everything is checked before anything is written: the request, membership, and for a
        confidential item the confidential doc's permissions. Exactly once per item_id, however
        often or concurrently it is called: concurrent items for one document go out in one batch.
        A confidential item is all or nothing for its caller: if its agenda placeholder cannot be
        written, the entry just written is taken out again before the error is raised, so a
        failure leaves no trace and a retry with the same item_id adds it once. No message raised
        from here contains the text.
        """
        request = items.validate(author=author, text=text, kind=kind, item_id=item_id)
        self.require_member(request.author, "add agenda items")
        meeting = meeting_for(week, self.settings.weekday, self.settings.timezone)
        agenda, confidential = self.documents()
        if request.kind == "confidential":
            require_members_only(self.services.registry, confidential.id, self.settings.members, self.services.google.identity,
                                 outcome="The item was not added: Docket wrote none of it, to either document.")
        # Sharing is reconciled by ensure_week (the weekly job), not on every item: an item costs
        # only the reads and writes of the documents it touches.
        name = self.settings.name_of(request.author)
        key = items.item_key(request.item_id)
        if request.kind != "confidential":
            wrote, url = self._add_line(agenda, AGENDA, meeting, agenda, confidential,
                                        ItemLine(key, items.agenda_line(request.kind, request.text, name)))
            _log.info("leadership item added", extra={"item_id": request.item_id, "kind": request.kind, "week": meeting.iso,
                                                      "actor": request.author, "document_id": agenda.id})
            return ItemOutcome(request.item_id, request.kind, url, wrote is not None)
        entry = ItemLine(key, items.confidential_line(request.text, name, self._stamp(meeting)),
                         items.author_keys(request.item_id, request.author))
        try:
            filled, _ = self._add_line(confidential, CONFIDENTIAL, meeting, agenda, confidential, entry)
        except DocketError as error:
            raise _redacted(error, confidential.id) from None
        try:
            wrote, url = self._add_line(agenda, AGENDA, meeting, agenda, confidential, ItemLine(key, items.placeholder_line(name)))
        except DocketError:
            if filled is not None:
                self._withdraw(confidential, entry, filled)
            raise
        # The document holding the item's text: the confidential doc (its agenda placeholder names only the author).
        _log.info("leadership item added", extra={"item_id": request.item_id, "kind": request.kind, "week": meeting.iso,
                                                  "actor": request.author, "document_id": confidential.id})
        return ItemOutcome(request.item_id, request.kind, url, filled is not None or wrote is not None)

    def _add_line(self, doc: DocFile, kind: str, meeting: Meeting, agenda: DocFile, confidential: DocFile,
                  line: ItemLine) -> tuple[bool | None, str]:
        """Write one item into this week's section of `doc` (created with it if missing), batched with
        the items other requests of this process are adding to it: (None if it was there already, else
        whether it filled a blank paragraph; the section URL)."""

        def run(batch: Sequence[ItemLine]) -> list[tuple[bool | None, str]]:
            unique = list({line.key: line for line in batch}.values())  # the same item_id twice: once
            result, filled = self._ensure_section(doc, kind, meeting, agenda, confidential, unique)
            return [(filled.get(line.key), result.url) for line in batch]

        return self.services.writer.queue.submit(f"{doc.id}/{meeting.iso}", line, run)

    def _withdraw(self, doc: DocFile, line: ItemLine, filled: bool) -> None:
        """Take an item this call just wrote out of `doc` again (its placeholder could not be written)."""
        try:
            self.services.writer.transact(doc.id, lambda outline: items.withdraw_requests(outline, line, filled))
        except DocketError as error:
            # The entry stays: the weekly run restores its placeholder, and a retry with the same
            # item_id finds it and writes only the placeholder.
            _log.error("could not withdraw a confidential entry after its placeholder failed",
                       extra={"document_id": doc.id, "code": error.code})

    def _stamp(self, meeting: Meeting) -> str:
        local = self.clock().astimezone(ZoneInfo(meeting.timezone))
        return f"added {local:%Y-%m-%d %H:%M} {local.tzname()}"

    def _reconcile(self, meeting: Meeting, agenda: DocFile, confidential: DocFile, entries: Outline,
                   agenda_outline: Outline) -> None:
        """Placeholders for confidential entries of this week that lack one (a failure between the two writes).

        Works from the outlines the run has just read: a placeholder added since is caught by
        the write's own check of its named range, so it is never added twice.
        """
        authors = dict(filter(None, (items.parse_author_key(n) for n in entries.named_ranges)))
        for item_id in items.items_within(entries, week_key(meeting)):
            if agenda_outline.has(items.item_key(item_id)):
                continue
            name = self.settings.name_of(authors[item_id]) if item_id in authors else "a leadership member"
            self._add_line(agenda, AGENDA, meeting, agenda, confidential, ItemLine(items.item_key(item_id), items.placeholder_line(name)))
            _log.warning("restored a missing agenda placeholder", extra={"item_id": item_id, "week": meeting.iso})


def _list_span(rendered: Rendered, list_title: str) -> tuple[int, int, int] | None:
    """Offsets of the item list in a rendered week, from its heading to the next heading, and of its last paragraph."""
    offset, start, last = 0, None, 0
    for block in rendered.blocks:
        if start is not None and block.kind == "heading":
            return start, offset, last
        if start is None and block.kind == "heading" and block.plain == list_title:
            start = offset
        last = offset
        offset += utf16_len(block.plain) + 1
    return (start, offset, last) if start is not None else None


def _exposed_week(agenda_action: str, confidential_new: bool) -> str:
    """What the weekly run wrote when it finds the confidential doc exposed: the agenda's week, never confidential text."""
    agenda = {"created": "Docket created the agenda with this week's section",
              "appended": "Docket wrote this week's section of the agenda",
              "present": "The agenda already had this week's section"}[agenda_action]
    confidential = ("Docket created the confidential doc, shared it with the members and wrote nothing in it"
                    if confidential_new else "Docket wrote nothing in the confidential doc")
    return f"{agenda}; {confidential}."


def _action(created_doc: bool, wrote: bool) -> str:
    return "created" if created_doc else ("appended" if wrote else "present")


def _redacted(error: DocketError, document_id: str) -> DocketError:
    """The same error with a message that cannot carry the item's text.

    Google's messages may echo input, escaped or normalised so that no substring check could be
    trusted; on the confidential path the message is always replaced by the error's code.
    """
    error.message = f"writing a confidential item to document {document_id} failed ({error.code}); details withheld"
    error.args = (error.message,)
    return error


# --- the two document kinds ------------------------------------------------------------------


def _jobs(services: Services, week: Week, existing: Sequence[DocFile] | None) -> Iterator[Job]:
    """One job for the sync: both docs together (sharing, the confidentiality check and placeholder
    reconciliation span the pair)."""
    settings = services.settings.leadership
    if settings is None:
        return
    meeting = meeting_for(week, settings.weekday, settings.timezone).date
    leadership = Leadership(services)
    yield Job(JOB_KEY, "leadership", settings.title, 2, meeting, lambda: leadership.ensure_week(week, existing, anchor=False),
              timezone=settings.timezone)


def _members(services: Services, _doc: DocFile) -> frozenset[str]:
    settings = services.settings.leadership
    return frozenset(settings.members) if settings is not None else frozenset()


def _title(which: int) -> Callable[[Settings, Mapping[str, str]], str]:
    def title(settings: Settings, _properties: Mapping[str, str]) -> str:
        name = settings.leadership.title if settings.leadership is not None else LEADERSHIP_TITLE
        return f"{name} — {('agenda', 'confidential')[which]}"
    return title


AGENDA_KIND = DocumentKind(
    id=AGENDA, label="leadership agenda", templates="leadership", identifying_properties=(), shows_text=True,
    participants=_members, participants_label="the leadership members", title=_title(0),
    ensure=lambda services, doc, week, anchor: Leadership(services).ensure_document(doc, week, anchor=anchor), jobs=_jobs)

CONFIDENTIAL_KIND = DocumentKind(
    id=CONFIDENTIAL, label="leadership confidential doc", templates="leadership", identifying_properties=(),
    shows_text=False, participants=_members, participants_label="the leadership members", title=_title(1),
    ensure=lambda services, doc, week, anchor: Leadership(services).ensure_document(doc, week, anchor=anchor))
