"""The 1:1 use case: find or create a pair's shared doc and ensure this week's section in it."""

from __future__ import annotations

from service.calendar import Meeting, Week, meeting_for
from service.engine import Engine
from service.errors import Forbidden, NotFound
from service.meetings.outcome import Outcome
from service.google.registry import DocFile
from service.sections import HEADER_KEY, SectionSpec, week_key
from service.settings import OneOnOneSettings
from service.workdata.section_data import SectionData

KIND = "one_on_one"


def title_of(pair: OneOnOneSettings) -> str:
    return f"1:1 {pair.report_name} / {pair.manager_name}"


def properties_of(pair: OneOnOneSettings) -> dict[str, str]:
    return {"docket_kind": KIND, "docket_manager": pair.manager, "docket_report": pair.report}


def _context(engine: Engine, pair: OneOnOneSettings, meeting: Meeting | None = None) -> dict[str, object]:
    context: dict[str, object] = {
        "org": engine.settings.organization,
        "pair": {"manager_name": pair.manager_name, "manager_email": pair.manager, "report_name": pair.report_name,
                 "report_email": pair.report, "zendesk_user_id": pair.zendesk_user_id},
    }
    if meeting is not None:
        context.update(meeting={"date": meeting.iso, "weekday": meeting.weekday_name, "timezone": meeting.timezone},
                       first_of_quarter=meeting.first_of_quarter, quarter=meeting.quarter)
    return context


class OneOnOnes:
    """Ensures 1:1 documents and their weekly sections."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def pair_of_document(self, properties: dict[str, str]) -> OneOnOneSettings:
        manager, report = properties.get("docket_manager", ""), properties.get("docket_report", "")
        for pair in self.engine.settings.one_on_ones:
            if pair.manager == manager and pair.report == report:
                return pair
        raise NotFound("this 1:1 document's pair is no longer in the roster")

    def ensure_week(self, pair: OneOnOneSettings, week: Week) -> Outcome:
        """Find or create the pair's doc (shared with exactly the two of them) and ensure the week."""
        engine = self.engine
        doc, created = engine.registry.find_or_create(title_of(pair), properties_of(pair))
        if created:
            engine.registry.share(doc.id, [pair.manager, pair.report], role="writer")
        return self._ensure_in(doc, pair, week, created)

    def ensure_document(self, doc: DocFile, week: Week, *, caller: str | None = None) -> Outcome:
        """This week's section in a 1:1 doc already looked up (the Docs menu, Cloud Tasks).

        A `caller` (a person, from the menu) must be the manager or the report of this doc.
        """
        if doc.kind != KIND:
            raise NotFound(f"document {doc.id} is not a 1:1 document")
        pair = self.pair_of_document(dict(doc.properties))
        if caller is not None and caller.strip().lower() not in (pair.manager, pair.report):
            raise Forbidden("only the manager and the report of this 1:1 may add its section")
        return self._ensure_in(doc, pair, week, created=False)

    def _ensure_in(self, doc: DocFile, pair: OneOnOneSettings, week: Week, created: bool) -> Outcome:
        engine = self.engine
        meeting = meeting_for(week, pair.weekday, pair.timezone)
        templates = engine.templates
        work = SectionData(engine.settings, pair, meeting)  # Zendesk/GitLab data, read only if the week is written
        specs = [
            SectionSpec(HEADER_KEY, lambda: templates.render("one_on_one/header.md", _context(engine, pair)), only_in_new_document=True),
            SectionSpec(week_key(meeting), lambda: templates.render("one_on_one/week.md",
                                                                    {**_context(engine, pair, meeting), "work": work.context()})),
        ]
        result = engine.writer.ensure(doc.id, specs)
        if not created and HEADER_KEY in result.written:
            # Found empty: an earlier run created it but failed (or lost the reply) before sharing.
            engine.registry.share(doc.id, [pair.manager, pair.report], role="writer")
        action = "created" if created else ("appended" if result.created else "present")
        return Outcome(doc.id, KIND, action, result.url, title_of(pair), warnings=work.warnings)
