"""The 1:1 document kind: one shared doc per manager–engineer pair, found or created, with this week's section."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from service.calendar import Meeting, Week, meeting_for
from service.errors import NotFound
from service.google.registry import DocFile
from service.google.outline import Outline
from service.meetings import check_in
from service.meetings.history import EMPTY_HISTORY, read_history, week_context
from service.meetings.kind import DocumentKind, Job
from service.meetings.outcome import Outcome
from service.meetings.sharing_audit import sharing_warnings
from service.sections import HEADER_KEY, SectionSpec, week_key
from service.settings import OneOnOneSettings
from service.workdata.section_data import SectionData

if TYPE_CHECKING:
    from service.services import Services
    from service.settings import Settings

KIND_ID = "one_on_one"


def title_of(pair: OneOnOneSettings) -> str:
    return f"1:1 {pair.report_name} / {pair.manager_name}"


def properties_of(pair: OneOnOneSettings) -> dict[str, str]:
    return KIND.properties(manager=pair.manager, report=pair.report)


def job_key(pair: OneOnOneSettings) -> str:
    return f"{KIND_ID}/{pair.manager}/{pair.report}"


def _pair_of(settings: Settings, properties: Mapping[str, str]) -> OneOnOneSettings | None:
    return settings.pair(properties.get("docket_manager", ""), properties.get("docket_report", ""))


def _context(services: Services, pair: OneOnOneSettings, meeting: Meeting | None = None,
             earlier: Outline | None = None) -> dict[str, object]:
    """The templates' context; for a week, what the earlier weeks of `earlier` (the doc as read) hold."""
    settings = services.settings
    workdata = getattr(settings, "workdata", None)
    zendesk_url = settings.organization.zendesk_url
    if workdata is not None:  # a pair in another Zendesk instance links to that instance
        zendesk_url = workdata.zendesk_url_for(pair.manager, pair.report, zendesk_url)
    context: dict[str, object] = {
        "org": settings.organization,
        "pair": {"manager_name": pair.manager_name, "manager_email": pair.manager, "report_name": pair.report_name,
                 "report_email": pair.report, "zendesk_user_id": pair.zendesk_user_id, "zendesk_url": zendesk_url},
    }
    if meeting is not None:
        history = read_history(earlier, meeting.date) if earlier is not None and earlier.tab.blocks else None
        context.update(meeting={"date": meeting.iso, "weekday": meeting.weekday_name, "timezone": meeting.timezone},
                       first_of_quarter=meeting.first_of_quarter, quarter=meeting.quarter,
                       check_in=check_in.template_context(),
                       history=week_context(history, meeting.date, meeting.first_of_quarter) if history else
                       week_context(EMPTY_HISTORY, meeting.date, meeting.first_of_quarter))
    return context


def _missing_dropdowns(outline: Outline) -> list[dict]:
    """The dropdown definitions the week's chips use, created once per document (in Docket's tab)."""
    return [d.request() for d in check_in.DROPDOWNS if d.id not in outline.tab.dropdowns]


class OneOnOnes:
    """Ensures 1:1 documents and their weekly sections."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def pair_of_document(self, doc: DocFile) -> OneOnOneSettings:
        pair = _pair_of(self.services.settings, doc.properties)
        if pair is None:
            raise NotFound("this 1:1 document's pair is no longer in the roster")
        return pair

    def ensure_week(self, pair: OneOnOneSettings, week: Week, *, anchor: bool = True) -> Outcome:
        """Find or create the pair's doc (shared with exactly the two of them) and ensure the week."""
        registry = self.services.registry
        doc, created = registry.find_or_create(title_of(pair), properties_of(pair))
        if created:
            registry.share(doc.id, [pair.manager, pair.report], role="writer")
        return self.ensure_in(doc, pair, week, created, anchor=anchor)

    def ensure_document(self, doc: DocFile, week: Week, *, anchor: bool = True) -> Outcome:
        """This week's section in a 1:1 doc already looked up (the weekly listing, the Docs menu, Cloud Tasks)."""
        return self.ensure_in(doc, self.pair_of_document(doc), week, created=False, anchor=anchor)

    def ensure_in(self, doc: DocFile, pair: OneOnOneSettings, week: Week, created: bool, *, anchor: bool = True) -> Outcome:
        services = self.services
        meeting = meeting_for(week, pair.weekday, pair.timezone)
        templates = services.templates
        folder = KIND.templates
        # Zendesk/GitLab data, read only if the week is written; from the weekly run's shared export when it has one.
        work = SectionData(services.settings, pair, meeting, shared=services.zendesk_export)
        specs = [
            SectionSpec(HEADER_KEY, lambda _outline: templates.render(f"{folder}/header.md", _context(services, pair)),
                        only_in_new_document=True),
            SectionSpec(week_key(meeting),
                        lambda outline: templates.render(f"{folder}/week.md", {**_context(services, pair, meeting, outline),
                                                                               "work": work.context()}),
                        reads_text=True, prelude=_missing_dropdowns),
        ]
        result = services.writer.ensure(doc.id, specs, anchor=anchor)
        if not created and HEADER_KEY in result.written:
            # Found empty: an earlier run created it but failed (or lost the reply) before sharing.
            services.registry.share(doc.id, [pair.manager, pair.report], role="writer")
        action = "created" if created else ("appended" if result.section_created else "present")
        return Outcome(doc.id, KIND_ID, action, result.url, title_of(pair), warnings=work.warnings)


def _jobs(services: Services, week: Week, existing: Sequence[DocFile] | None) -> Iterator[Job]:
    """One job per configured pair: its existing doc (from the listing), or a find-or-create."""
    one_on_ones = OneOnOnes(services)
    found = {(d.properties.get("docket_manager"), d.properties.get("docket_report")): d
             for d in reversed(existing or ()) if d.kind == KIND_ID}  # reversed: the oldest (canonical) copy wins
    for pair in services.settings.one_on_ones:
        doc = found.get((pair.manager, pair.report))
        meeting = meeting_for(week, pair.weekday, pair.timezone).date
        if doc is None:
            yield Job(job_key(pair), KIND_ID, title_of(pair), 1, meeting,
                      lambda pair=pair: [one_on_ones.ensure_week(pair, week, anchor=False)], timezone=pair.timezone)
        else:
            def run(doc: DocFile = doc, pair: OneOnOneSettings = pair) -> list[Outcome]:
                # The weekly run also checks who can read the doc: warnings, nothing changed.
                return [KIND.audited(services, doc, one_on_ones.ensure_in(doc, pair, week, created=False, anchor=False))]

            yield Job(job_key(pair), KIND_ID, title_of(pair), 1, meeting, run, doc.id, timezone=pair.timezone)


def _participants(services: Services, doc: DocFile) -> frozenset[str]:
    pair = OneOnOnes(services).pair_of_document(doc)
    return frozenset({pair.manager, pair.report})


def _title(settings: Settings, properties: Mapping[str, str]) -> str:
    pair = _pair_of(settings, properties)
    if pair is not None:
        return title_of(pair)
    return f"1:1 {properties.get('docket_report', '?')} / {properties.get('docket_manager', '?')}"


KIND = DocumentKind(
    id=KIND_ID,
    label="1:1",
    templates="one_on_one",
    identifying_properties=("docket_manager", "docket_report"),
    shows_text=True,
    participants=_participants,
    participants_label="the manager and the report of this 1:1",
    title=_title,
    ensure=lambda services, doc, week, anchor: OneOnOnes(services).ensure_document(doc, week, anchor=anchor),
    jobs=_jobs,
    # Shared with exactly the two of them at creation; each weekly run reports any grant beyond them.
    audit=lambda services, doc: sharing_warnings(services, doc, KIND, not_one_of="the manager or the report"),
)
