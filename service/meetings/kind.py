"""What Docket knows about each kind of document it makes, the unit of the weekly job, and the catalog of kinds.

A kind is described once, here, and read by everything else: the Drive registry (which kinds
to list), the weekly job and its Cloud Tasks fan-out (`jobs`), the Docs menu and task triggers
(`ensure`, `participants`), and the CLI and local views (`shows_text`). Adding a kind of
document means one module in `service/meetings/` that defines its `DocumentKind`, its templates
in `doc_templates/<templates>/`, its settings section, and its entry in `catalog.py`
(docs/adding-a-document-kind.md walks through it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from service.calendar import Week
from service.errors import Forbidden, NotFound
from service.google import app_properties
from service.google.registry import DocFile
from service.meetings.outcome import Outcome

if TYPE_CHECKING:
    from service.services import Services
    from service.settings import Settings


@dataclass(frozen=True)
class Job:
    """One unit of the weekly work: the documents of one meeting brought up to the week, independently of the others."""

    key: str  # stable across runs and processes, e.g. "one_on_one/maria@example.com/sam@example.com"
    kind: str  # the kind of its (first) document
    title: str  # for people: progress lines and failures
    documents: int  # how many documents it brings up to date (1, or 2 for the leadership sync)
    meeting: date  # its meeting's date, in the meeting's own time zone
    run: Callable[[], list[Outcome]]
    document_id: str | None = None  # its one document, when it exists already (fanned out to Cloud Tasks by id)
    timezone: str | None = None  # its meeting's zone (None: the organisation's), for people (`docket check`)


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document Docket makes: everything the rest of Docket needs to know about it."""

    id: str  # the Drive appProperty `docket_kind`
    label: str  # for people: "1:1", "leadership agenda"
    templates: str  # its folder in doc_templates/
    # The appProperties (beyond docket_kind) that tell two documents of this kind apart.
    identifying_properties: tuple[str, ...]
    # False: its text is shown only in Google Docs, and locally only to its participants (the confidential doc).
    shows_text: bool
    # Whose document it is: who may use its Docs menu, and see its text locally when `shows_text` is False.
    participants: Callable[[Services, DocFile], frozenset[str]]
    participants_label: str  # "the manager and the report of this 1:1"
    title: Callable[[Settings, Mapping[str, str]], str]  # its Drive name, from the settings and its properties
    # This week's section in one document of this kind; `anchor`: the caller needs the heading's URL.
    ensure: Callable[[Services, DocFile, Week, bool], Outcome]
    # The weekly work this kind owns, given every Docket document listed once (None: the listing
    # failed, each job looks its documents up itself); None when another kind's job covers it (the
    # confidential doc goes with the agenda).
    jobs: Callable[[Services, Week, Sequence[DocFile] | None], Iterable[Job]] | None = None
    # The weekly run's sharing check of one existing document: warnings for an admin, nothing
    # changed (the 1:1: readable by anyone beyond its pair). None: the kind is not checked.
    audit: Callable[[Services, DocFile], tuple[str, ...]] | None = None

    def audited(self, services: Services, doc: DocFile, outcome: Outcome) -> Outcome:
        """The outcome of this week's section in `doc`, with the sharing check's warnings added."""
        warnings = self.audit(services, doc) if self.audit is not None else ()
        return dataclasses.replace(outcome, warnings=(*outcome.warnings, *warnings)) if warnings else outcome

    def properties(self, **identifying: str) -> dict[str, str]:
        """The appProperties of a document of this kind."""
        if set(identifying) != {name.removeprefix(app_properties.PREFIX) for name in self.identifying_properties}:
            raise ValueError(f"a {self.id} document is identified by {', '.join(self.identifying_properties) or 'its kind alone'}")
        return {app_properties.name("kind"): self.id, **{app_properties.name(k): v for k, v in identifying.items()}}


@dataclass(frozen=True)
class Catalog:
    """The kinds Docket knows, in the order their weekly jobs run."""

    kinds: tuple[DocumentKind, ...]

    def __post_init__(self) -> None:
        ids = [k.id for k in self.kinds]
        if len(set(ids)) != len(ids):
            raise ValueError(f"document kinds must have distinct ids: {ids}")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self.kinds)

    def get(self, kind_id: str) -> DocumentKind:
        for kind in self.kinds:
            if kind.id == kind_id:
                return kind
        raise NotFound(f"'{kind_id}' is not a kind of document Docket makes")

    def jobs(self, services: Services, week: Week, existing: Sequence[DocFile] | None) -> list[Job]:
        """The whole week's work, from one listing of Docket's documents: every mode runs exactly this list."""
        return [job for kind in self.kinds if kind.jobs is not None for job in kind.jobs(services, week, existing)]

    def ensure_section(self, services: Services, document_id: str, week: Week, *, caller: str | None = None,
                       anchor: bool = True, audit: bool = False) -> Outcome:
        """This week's section in one existing document, whatever its kind (the Docs menu, Cloud Tasks).

        `caller` is the verified email of a person (the Docs menu): they must be one of the
        document's participants. None means a trusted trigger (Cloud Scheduler / Tasks) already
        authenticated. `anchor`: the outcome's URL points at the section's heading (a person opens it).
        `audit`: this is the weekly run (a Cloud Tasks task), which also checks the kind's sharing.
        """
        doc = services.registry.get(document_id)
        kind = self.get(doc.kind)
        if caller is not None and caller.strip().lower() not in kind.participants(services, doc):
            raise Forbidden(f"only {kind.participants_label} may add its sections; {caller.strip().lower()} is not one of them")
        outcome = kind.ensure(services, doc, week, anchor)
        return kind.audited(services, doc, outcome) if audit else outcome
