"""The main job: every configured document brought up to this week, each document independently."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterator

from service.calendar import Week
from service.engine import Engine
from service.errors import DocketError
from service.meetings.one_on_one import KIND as ONE_ON_ONE, OneOnOnes, title_of
from service.meetings.outcome import Failure, Outcome

_log = logging.getLogger(__name__)

Job = tuple[str, str, int, Callable[[], "list[Outcome]"]]  # (kind, title, documents, work)


@dataclass(frozen=True)
class WeeklyReport:
    date: date
    outcomes: tuple[Outcome, ...]
    failures: tuple[Failure, ...]
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        """The body of POST /tasks/weekly (DESIGN §1.7)."""
        body: dict = {"date": self.date.isoformat(), "results": [o.to_dict() for o in self.outcomes]}
        if self.failures:
            body["failures"] = [f.to_dict() for f in self.failures]
        if self.warnings:
            body["warnings"] = list(self.warnings)
        return body


def folder_warnings(engine: Engine) -> tuple[str, ...]:
    """Warn when anyone but Docket can reach the folder or shared drive the documents live in.

    Every member of a shared drive can read every document in it, 1:1s and the confidential
    doc included, so Docket's own identity must be its only member (DESIGN §1.5).
    """
    folder = engine.settings.google.folder_id
    if not folder:
        return ()
    try:
        permissions = engine.registry.permissions(folder)
    except DocketError as exc:
        return (f"could not check who can reach folder {folder}: {exc.message}",)
    others = sorted({p.email or p.domain or p.type for p in permissions if p.email != engine.google.identity.lower()})
    if not others:
        return ()
    message = (f"folder {folder} is reachable by {', '.join(others)} besides Docket: every member of a shared drive "
               f"can read every document in it; make Docket's service account its only member")
    _log.warning(message, extra={"count": len(others)})
    return (message,)


def jobs(engine: Engine, week: Week) -> Iterator[Job]:
    """One unit of work per document group: each 1:1, then the leadership sync (agenda + confidential)."""
    one_on_ones = OneOnOnes(engine)
    for pair in engine.settings.one_on_ones:
        yield ONE_ON_ONE, title_of(pair), 1, (lambda pair=pair: [one_on_ones.ensure_week(pair, week)])
    if engine.settings.leadership is not None:
        from service.meetings.leadership import Leadership

        leadership = Leadership(engine)
        yield "leadership", engine.settings.leadership.title, 2, (lambda: leadership.ensure_week(week))


def run_weekly(engine: Engine, week: Week, *, on_outcome: Callable[[Outcome | Failure], None] | None = None) -> WeeklyReport:
    """Run every job; a failing document is reported and the others still run."""
    outcomes: list[Outcome] = []
    failures: list[Failure] = []
    for kind, title, _count, work in jobs(engine, week):
        try:
            done = work()
        except DocketError as exc:
            failure = Failure(kind, title, exc.message)
            failures.append(failure)
            if on_outcome:
                on_outcome(failure)
            continue
        for outcome in done:
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    document_warnings = tuple(w for outcome in outcomes for w in outcome.warnings)
    return WeeklyReport(week.today_in(engine.settings.organization.timezone), tuple(outcomes), tuple(failures),
                        folder_warnings(engine) + document_warnings)
