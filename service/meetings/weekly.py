"""The main job: every configured document brought up to this week, each document independently."""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Callable

from service.calendar import Week
from service.errors import DocketError, NotFound
from service.google.registry import DocFile
from service.meetings.kind import Job
from service.meetings.outcome import ACTIONS, Failure, Outcome

if TYPE_CHECKING:
    from service.services import Services

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeeklyReport:
    date: date
    outcomes: tuple[Outcome, ...]
    failures: tuple[Failure, ...]
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def summary(self) -> str:
        """One line for people and logs: how many documents were created, appended, present, failed."""
        return tally(self.outcomes, self.failures)

    def to_dict(self) -> dict:
        """The body of POST /tasks/weekly (docs/http-api.md)."""
        body: dict = {"date": self.date.isoformat(), "results": [o.to_dict() for o in self.outcomes]}
        if self.failures:
            body["failures"] = [f.to_dict() for f in self.failures]
        if self.warnings:
            body["warnings"] = list(self.warnings)
        return body


def tally(outcomes: Sequence[Outcome], failures: Sequence[Failure]) -> str:
    """"2 created, 0 appended, 3 present, 0 failed"; "nothing changed — 5 present, 0 failed" when nothing
    was written or failed (that line names no action that did not happen, so a rerun reads as a rerun)."""
    actions = Counter(o.action for o in outcomes)
    failed = sum(f.documents for f in failures)
    if actions["present"] == len(outcomes) and not failed:
        return f"nothing changed — {actions['present']} present, 0 failed"
    return ", ".join(f"{actions[a]} {a}" for a in ACTIONS) + f", {failed} failed"


def folder_warnings(services: Services) -> tuple[str, ...]:
    """Warn when anyone but Docket can reach the folder or shared drive the documents live in.

    Every member of a shared drive can read every document in it, 1:1s and the confidential
    doc included, so Docket's own identity must be its only member.
    """
    folder = services.settings.google.folder_id
    if not folder:
        return ()
    try:
        permissions = services.registry.permissions(folder)
        docket = services.google.identity  # may ask Drive (about.get) the first time
    except DocketError as exc:
        return (f"could not check who can reach folder {folder}: {exc.message}",)
    others = sorted({p.email or p.domain or p.type for p in permissions if p.email != docket})
    if not others:
        return ()
    message = (f"folder {folder} is reachable by {', '.join(others)} besides Docket: every member of a shared drive "
               f"can read every document in it; make Docket's service account its only member")
    _log.warning(message, extra={"count": len(others)})
    return (message,)


def plan_week(services: Services, week: Week) -> list[Job]:
    """The week's work: one listing of Docket's documents, then every kind's jobs (both dispatch modes run this list).

    If the listing fails (Drive down past its retries), every job looks its documents up itself,
    so each one fails, or recovers, on its own and reports why.

    The jobs share this run's Zendesk export (service/workdata/shared_export.py): one object per
    plan, read only when a job that runs here first needs it, so the inline modes share it and the
    Cloud Tasks fan-out, whose jobs run elsewhere one by one (`job_named`), never reads it.
    """
    try:
        existing: list[DocFile] | None = services.registry.all_documents()
    except DocketError as exc:
        _log.warning("listing Docket's documents failed; each job looks its documents up", extra={"code": exc.code})
        existing = None
    from service.workdata.section_data import shared_for_week

    run = dataclasses.replace(services, zendesk_export=shared_for_week(services.settings, week))
    return services.kinds.jobs(run, week, existing)


def job_named(services: Services, week: Week, key: str) -> Job:
    """The week's job with this key, planned without listing Docket's documents (a Cloud Tasks task runs one job)."""
    for job in services.kinds.jobs(services, week, None):
        if job.key == key:
            return job
    raise NotFound("no such job this week: the roster changed since it was dispatched")


def run_job(job: Job) -> list[Outcome] | Failure:
    """Run one job; any error becomes that job's failure, so the other jobs still run.

    A DocketError's message is Docket's own (ids and names, never item text). Any other exception
    is a bug: its message may quote a document's text, so only its type is reported and logged.
    """
    try:
        return job.run()
    except DocketError as exc:
        return Failure(job.kind, job.title, exc.message, job.document_id, job.documents)
    except Exception as exc:  # noqa: BLE001 - one broken document must not stop the week
        _log.error("job failed unexpectedly", exc_info=exc, extra={"job": job.key, "kind": job.kind,
                                                                   "document_id": job.document_id})
        return Failure(job.kind, job.title, f"internal error ({type(exc).__name__}); see the service logs",
                       job.document_id, job.documents)


def run_weekly(services: Services, week: Week, *, on_outcome: Callable[[Outcome | Failure], None] | None = None,
               jobs: list[Job] | None = None) -> WeeklyReport:
    """Run every job (`jobs`, else the planned week); a failing document is reported and the others still run."""
    outcomes: list[Outcome] = []
    failures: list[Failure] = []
    for job in plan_week(services, week) if jobs is None else jobs:
        done = run_job(job)
        results: list[Outcome | Failure] = [done] if isinstance(done, Failure) else list(done)
        for result in results:
            (failures if isinstance(result, Failure) else outcomes).append(result)  # type: ignore[arg-type]
            if on_outcome:
                on_outcome(result)
    warnings = folder_warnings(services) + tuple(w for outcome in outcomes for w in outcome.warnings)
    return WeeklyReport(week.today_in(services.settings.organization.timezone), tuple(outcomes), tuple(failures), warnings)
