"""One weekly run's Zendesk comments for all its pairs at once: the ticket event export, read once per instance and shared.

Why: Zendesk has no endpoint listing one author's comments, so a pair on its own costs a search
plus one comments list per ticket (about 30 requests a week, 70 with a month's roll-up, 190 with
a quarter's). The incremental ticket event export lists every comment of the account in pages of
1,000; read once for every pair of a run, each pair then costs only `tickets/show_many.json` for
its tickets' subjects and current assignees (one request per 100 tickets).

Which plan runs (chosen per run, per Zendesk instance):
- The weekly job run in this process (`docket weekly`, `/tasks/weekly` with dispatch.mode =
  "inline"): `plan_week` makes one `SharedZendesk` for the run and every 1:1 job reads from it.
  Nothing is read until the first section that needs data is written; then the export is read
  for the union of every pair's windows (the week, and the previous month or quarter for pairs
  whose meeting is the first of one): the weeks first, then the older days, paced under the
  export's own limit (`export_requests_per_minute`, 10 by default) within `Limits.export_seconds`.
- Each pair on its own (service/workdata/zendesk.py's search and comment lists) everywhere else:
  a Cloud Tasks task runs one job alone, the Docs menu and manager links write one week.
- Per pair too, within the weekly run, when the export is refused (403: the API user is not an
  admin, as the export requires), fails, or did not cover a pair's windows in time; the run's
  warnings say so once per instance.

Nothing here is global: a SharedZendesk lives as long as one run's plan.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from service.workdata.config import PairSources, WorkDataConfig, ZendeskInstance
from service.workdata.figures import CommentRecord, ZendeskActivity
from service.workdata.unavailable import SourceUnavailable
from service.workdata.window import Window, covering

if TYPE_CHECKING:
    from service.workdata.transport import Budget

_log = logging.getLogger(__name__)
Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class PairDemand:
    """One pair of the run: its sources and the windows its week shows (the week first, then roll-ups)."""

    sources: PairSources
    meeting_date: date
    windows: tuple[Window, ...]


def spans(windows: Sequence[Window]) -> tuple[Span, ...]:
    """What to export, in reading order: from the earliest week's start to the latest end, then the older days.

    Reading the weeks first means a roll-up that does not fit the time budget never costs the
    week its data.
    """
    weeks = [w for w in windows if w.kind == "week"]
    start, end = covering(tuple(windows))
    recent_start = min(w.start for w in weeks) if weeks else start
    ordered = [(recent_start, end)]
    if start < recent_start:
        ordered.append((start, recent_start))
    return tuple(ordered)


@dataclass
class _Export:
    """The export of one instance in this run: read at most once; what it covers, or why it was not used."""

    instance: ZendeskInstance
    authors: frozenset[int]
    spans: tuple[Span, ...]
    lock: threading.Lock = field(default_factory=threading.Lock)
    read: bool = False
    covered: list[Span] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    failure: SourceUnavailable | None = None
    requests: int = 0  # sent to the export, retries included
    notice_given: bool = False

    def covers(self, start: datetime, end: datetime) -> bool:
        return any(s <= start and end <= e for s, e in _merged(self.covered))


def _merged(parts: Sequence[Span]) -> list[Span]:
    merged: list[Span] = []
    for s, e in sorted(parts):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


class SharedZendesk:
    """The run-scoped provider the 1:1 jobs of one weekly run read their Zendesk comments from."""

    def __init__(self, config: WorkDataConfig, demands: Sequence[PairDemand], *, embedded: bool = False,
                 env: Mapping[str, str] | None = None) -> None:
        self.config, self.embedded, self._env = config, embedded, env
        self._latest_meeting = max((d.meeting_date for d in demands), default=None)
        by_instance: dict[str, list[PairDemand]] = {}
        for demand in demands:
            if demand.sources.zendesk is not None and demand.sources.zendesk_user_id.isdigit():
                by_instance.setdefault(demand.sources.zendesk.name, []).append(demand)
        self._exports = {
            name: _Export(found[0].sources.zendesk, frozenset(int(d.sources.zendesk_user_id) for d in found),  # type: ignore[arg-type]
                          spans([w for d in found for w in d.windows]))
            for name, found in by_instance.items()
        }

    def activity(self, sources: PairSources, start: datetime, end: datetime, budget: Budget,
                 now: datetime) -> ZendeskActivity | None:
        """The pair's comments in [start, end) from the run's export, with their tickets; None: read per pair instead.

        The export is read on the first call for the pair's instance (its own time budget, not the
        pair's); the pair's `budget` pays only for its tickets (show_many) or the user check.
        Raises SourceUnavailable when those fail, like the per-pair path.
        """
        instance = sources.zendesk
        export = self._exports.get(instance.name) if instance is not None else None
        if export is None or not sources.zendesk_user_id.isdigit():
            return None
        self._ensure_read(export, now)
        if not export.covers(start, end):
            return None
        from service.workdata.zendesk import ZendeskReader

        user_id = int(sources.zendesk_user_id)
        mine = tuple(c for c in export.comments if c.author_id == user_id and start <= c.created_at < end)
        token, app = self._access(export.instance, now)
        reader = ZendeskReader(export.instance, token, budget, app)
        if not mine:
            reader.check_user(user_id)
            return ZendeskActivity({}, (), start)
        return ZendeskActivity(reader.tickets({c.ticket_id for c in mine}), mine, start)

    def activity_ready(self, sources: PairSources, now: datetime) -> None:
        """Read the export of the pair's instance now, if not yet (before the pair's own budget starts)."""
        export = self._exports.get(sources.zendesk.name) if sources.zendesk is not None else None
        if export is not None:
            self._ensure_read(export, now)

    def notices(self) -> tuple[str, ...]:
        """The run's warnings about the plan (an export refused or failed), each given once: the first caller gets it."""
        lines = []
        for export in self._exports.values():
            with export.lock:
                if not export.read or export.notice_given or (export.failure is None and
                                                              len(export.covered) == len(export.spans)):
                    continue
                export.notice_given = True
            lines.append(_notice(export))
        return tuple(lines)

    def requests(self) -> dict[str, int]:
        """Requests sent to the export per instance so far, retries included (for the benchmark)."""
        return {name: export.requests for name, export in self._exports.items()}

    def _access(self, instance: ZendeskInstance, now: datetime) -> tuple[str, object | None]:
        """The token and (embedded default) in-process app to read `instance` with; SourceUnavailable without a token."""
        if self.embedded:
            from service.workdata.embedded import DEMO_TOKEN, embedded_apps

            assert self._latest_meeting is not None
            return DEMO_TOKEN, embedded_apps(self._latest_meeting, now, instance.email).zendesk
        env = os.environ if self._env is None else self._env
        token = env.get(instance.token_env)
        if not token:
            from service.workdata.unavailable import no_token

            raise no_token(instance.token_env)
        return token, None

    def _ensure_read(self, export: _Export, now: datetime) -> None:
        with export.lock:
            if export.read:
                return
            export.read = True
            began = time.monotonic()
            try:
                self._read(export, now)
            except SourceUnavailable as error:
                export.failure = error
            except Exception as error:  # a bug here must not block a section: every pair falls back
                _log.error("the Zendesk ticket event export failed unexpectedly",
                           extra={"kind": "zendesk export", "exc_type": type(error).__name__})
                export.failure = SourceUnavailable(f"internal error ({type(error).__name__})")
            status = "refused" if export.failure and export.failure.http_status == 403 else (
                "failed" if export.failure else "ok")
            # Counts only: never a subject, a body or the reason's detail.
            _log.info("zendesk ticket event export: %s", status,
                      extra={"kind": "zendesk export", "status": status, "count": export.requests,
                             "mode": "export" if status == "ok" else "per-pair",
                             "duration_ms": round((time.monotonic() - began) * 1000)})

    def _read(self, export: _Export, now: datetime) -> None:
        from service.workdata.transport import Budget
        from service.workdata.zendesk import ZendeskReader

        token, app = self._access(export.instance, now)
        limits = self.config.limits
        budget = Budget(dataclasses.replace(limits, pair_seconds=limits.export_seconds))  # the export's own allowance
        reader = ZendeskReader(export.instance, token, budget, app, export=True)  # type: ignore[arg-type]
        try:
            for start, end in export.spans:
                read = reader.comment_events(export.authors, start, end)
                export.comments.extend(read.comments)
                export.covered.append((start, end))
        finally:
            export.requests = budget.calls.get("zendesk", 0)


def _notice(export: _Export) -> str:
    instance = export.instance
    failure = export.failure
    if failure is not None and failure.http_status == 403:
        why = (f"was refused (HTTP 403: it is for admins only, and the API user {instance.email} is not one; "
               "make it an admin for the cheaper plan)")
    elif failure is not None:
        why = f"could not be read ({failure.message})"
    else:
        why = "could not be read for every period in time"
    return f"Zendesk {instance.url}: the ticket event export {why}; each 1:1 read its own tickets instead (more requests)"


def for_run(config: WorkDataConfig | None, demands: Sequence[PairDemand], *, embedded: bool) -> SharedZendesk | None:
    """The run's provider, or None when no pair reads Zendesk (nothing to share)."""
    if config is None or not any(d.sources.zendesk is not None for d in demands):
        return None
    return SharedZendesk(config, demands, embedded=embedded)

