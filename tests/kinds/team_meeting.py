"""A document kind defined only in the tests — a weekly team meeting per manager — proving a new kind
needs one module, its templates and its settings, and nothing else in Docket.

docs/adding-a-document-kind.md walks through the same steps for a real kind; here the kind's
"settings section" is the `TeamSettings` passed to `team_meeting_kind`, since the tests cannot add
a section to docket.toml's parser.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from service.calendar import Week, meeting_for
from service.errors import NotFound
from service.google.registry import DocFile
from service.meetings.kind import DocumentKind, Job
from service.meetings.outcome import Outcome
from service.render.templates import TemplateLibrary
from service.sections import HEADER_KEY, SectionSpec, week_key
from service.services import Services
from service.settings import Settings

KIND_ID = "team_meeting"
TEMPLATES = TemplateLibrary(Path(__file__).parent / "templates")


@dataclass(frozen=True)
class TeamSettings:
    """What a `[[team_meeting]]` section would hold."""

    manager: str
    weekday: int
    timezone: str


def team_meeting_kind(teams: Sequence[TeamSettings], *, shows_text: bool = True) -> DocumentKind:
    """The kind, over its configured teams (its settings section)."""

    def team_of(properties: Mapping[str, str]) -> TeamSettings:
        team = next((t for t in teams if t.manager == properties.get("docket_manager")), None)
        if team is None:
            raise NotFound("this team meeting's manager is no longer configured")
        return team

    def members(settings: Settings, team: TeamSettings) -> list[str]:
        return [p.report_name for p in settings.one_on_ones if p.manager == team.manager]

    def participants(services: Services, doc: DocFile) -> frozenset[str]:
        team = team_of(doc.properties)
        return frozenset({team.manager, *(p.report for p in services.settings.one_on_ones if p.manager == team.manager)})

    def title(settings: Settings, properties: Mapping[str, str]) -> str:
        manager = properties.get("docket_manager", "")
        name = next((p.manager_name for p in settings.one_on_ones if p.manager == manager), manager)
        return f"Team meeting — {name}"

    def ensure_in(services: Services, doc: DocFile, team: TeamSettings, week: Week, created: bool, anchor: bool) -> Outcome:
        meeting = meeting_for(week, team.weekday, team.timezone)
        name = title(services.settings, doc.properties).removeprefix("Team meeting — ")
        context = {"team": {"manager_name": name, "members": members(services.settings, team)}}
        specs = [
            SectionSpec(HEADER_KEY, lambda _outline: TEMPLATES.render(f"{KIND_ID}/header.md", context),
                        only_in_new_document=True),
            SectionSpec(week_key(meeting), lambda _outline: TEMPLATES.render(f"{KIND_ID}/week.md",
                                                                             {**context, "meeting": {"date": meeting.iso}})),
        ]
        result = services.writer.ensure(doc.id, specs, anchor=anchor)
        action = "created" if created else ("appended" if result.section_created else "present")
        return Outcome(doc.id, KIND_ID, action, result.url, doc.name)

    def ensure(services: Services, doc: DocFile, week: Week, anchor: bool) -> Outcome:
        return ensure_in(services, doc, team_of(doc.properties), week, False, anchor)

    def jobs(services: Services, week: Week, existing: Sequence[DocFile] | None) -> Iterator[Job]:
        for team in teams:
            properties = kind.properties(manager=team.manager)
            doc = next((d for d in existing or () if d.kind == KIND_ID and d.properties.get("docket_manager") == team.manager), None)
            meeting = meeting_for(week, team.weekday, team.timezone).date

            def run(team: TeamSettings = team, doc: DocFile | None = doc, properties: dict[str, str] = properties) -> list[Outcome]:
                created = False
                if doc is None:
                    doc, created = services.registry.find_or_create(title(services.settings, properties), properties)
                    if created:
                        services.registry.share(doc.id, sorted(participants(services, doc)), role="writer")
                return [ensure_in(services, doc, team, week, created, False)]

            yield Job(f"{KIND_ID}/{team.manager}", KIND_ID, title(services.settings, properties), 1, meeting, run,
                      doc.id if doc else None)

    kind = DocumentKind(
        id=KIND_ID, label="team meeting doc", templates=KIND_ID, identifying_properties=("docket_manager",),
        shows_text=shows_text, participants=participants, participants_label="the manager and their team",
        title=title, ensure=ensure, jobs=jobs)
    return kind
