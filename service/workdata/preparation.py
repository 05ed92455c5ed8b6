"""The one entry point: a pair's work data for a meeting, read from Zendesk and GitLab at once, never raising.

Data never blocks a section: a source that is down, slow, refuses the token, rate-limits past the
retries or does not know the engineer yields an `Unavailable` line instead of figures, and the
caller reports `WorkData.warnings(...)`. Both sources share one time budget (Limits.pair_seconds).

Zendesk's comments come from the weekly run's shared export when the run has one (`shared`, see
shared_export.py) and it covers the pair's windows, else from the pair's own search and comment lists.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, TypeVar

from service.workdata import gitlab as gitlab_seam
from service.workdata import zendesk as zendesk_seam
from service.workdata.config import PairSources, WorkDataConfig
from service.workdata.figures import GitLabFigures, Unavailable, WorkData, ZendeskActivity, ZendeskFigures, gitlab_figures, \
    zendesk_figures
from service.workdata.transport import Budget
from service.workdata.unavailable import SourceUnavailable, no_token
from service.workdata.window import covering, rollup_windows, week_window

if TYPE_CHECKING:
    from service.workdata.shared_export import SharedZendesk

_log = logging.getLogger(__name__)
T = TypeVar("T")


def prepare(config: WorkDataConfig, sources: PairSources, meeting_date: date, timezone_name: str, now: datetime, *,
            env: Mapping[str, str] | None = None, embedded: bool = False, shared: SharedZendesk | None = None) -> WorkData:
    """Zendesk and GitLab figures for the seven days before `meeting_date` (and roll-ups when due).

    `timezone_name` is the meeting's IANA zone; `now` an aware instant (figures of a week not yet
    over are marked "as of" it). Tokens come from `env` (default: the process environment).
    `embedded` reads the in-process demo emulators instead (the embedded default backend).
    `shared`: the weekly run's shared Zendesk export (None: this pair reads its own).
    """
    if now.tzinfo is None:
        raise ValueError("prepare() needs an aware `now`")
    env = os.environ if env is None else env
    week = week_window(meeting_date, timezone_name)
    rollups = rollup_windows(meeting_date, timezone_name)
    windows = (week, *rollups)
    start, end = covering(windows)
    # The pair's budget starts after the run's shared export is read (once, on the first pair that needs it).
    shared_activity: Callable[[Budget], ZendeskActivity | None] = lambda _budget: None  # noqa: E731
    if shared is not None and sources.zendesk is not None:
        shared.activity_ready(sources, now)
        shared_activity = lambda pair_budget: shared.activity(sources, start, end, pair_budget, now)  # noqa: E731
    budget = Budget(config.limits)
    apps = None
    if embedded:
        from service.workdata.embedded import DEMO_TOKEN, embedded_apps

        email = sources.zendesk.email if sources.zendesk else "docket-api@example.com"
        apps = embedded_apps(meeting_date, now, email)

    def zendesk_part() -> tuple[ZendeskFigures | None, ...]:
        instance = sources.zendesk
        assert instance is not None
        token = DEMO_TOKEN if apps else env.get(instance.token_env)
        if not token:
            raise no_token(instance.token_env)
        user_id = int(sources.zendesk_user_id)
        activity = shared_activity(budget)
        if activity is None:
            activity = zendesk_seam.read(instance, token, user_id, start, end, budget, apps.zendesk if apps else None,
                                         first=week.start)
        return tuple(zendesk_figures(w, activity, user_id, instance.url, instance.weekly_ticket_baseline)
                     if activity.covers(w) else None for w in windows)

    def gitlab_part() -> tuple[GitLabFigures, ...]:
        gitlab = config.gitlab
        assert gitlab is not None and sources.gitlab_username is not None
        token = DEMO_TOKEN if apps else env.get(gitlab.token_env)
        if not token:
            raise no_token(gitlab.token_env)
        records = gitlab_seam.read(gitlab, token, sources.gitlab_username, start, end, budget, apps.gitlab if apps else None)
        return tuple(gitlab_figures(w, records) for w in windows)

    use_zendesk = sources.zendesk is not None
    use_gitlab = config.gitlab is not None and sources.gitlab_username is not None
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="workdata") as pool:
        zendesk_future = pool.submit(_timed, "zendesk", zendesk_part, budget) if use_zendesk else None
        gitlab_future = pool.submit(_timed, "gitlab", gitlab_part, budget) if use_gitlab else None
        zendesk_result = zendesk_future.result() if zendesk_future else ()
        gitlab_result = gitlab_future.result() if gitlab_future else ()
    unavailable = tuple(Unavailable(name, result.message) for name, result in (("Zendesk", zendesk_result),
                                                                                 ("GitLab", gitlab_result))
                        if isinstance(result, SourceUnavailable))
    return WorkData(
        week=week, rollups=rollups,
        zendesk=zendesk_result if isinstance(zendesk_result, tuple) else (),
        gitlab=gitlab_result if isinstance(gitlab_result, tuple) else (),
        unavailable=unavailable, zendesk_configured=use_zendesk, gitlab_configured=use_gitlab,
        as_of=now.astimezone(timezone.utc) if now < week.end else None,
    )


def _timed(kind: str, work: Callable[[], T], budget: Budget) -> T | SourceUnavailable:
    """Run one source's part; a SourceUnavailable is returned, not raised, and one log line says how it went."""
    began = time.monotonic()
    try:
        result: T | SourceUnavailable = work()
        status = "ok"
    except SourceUnavailable as unavailable:
        result, status = unavailable, "unavailable"
    except Exception as error:  # a bug here must still not block the section
        # No exc_info: outside Cloud Run's JSON handler a traceback would print the message, which may quote data.
        _log.error("work data from %s failed unexpectedly", kind, extra={"kind": kind, "exc_type": type(error).__name__})
        result, status = SourceUnavailable(f"internal error ({type(error).__name__})"), "unavailable"
    # Counts and timing only: never a subject, a body, a token or the reason's server-side detail.
    # INFO either way: the run itself reports an unavailable source as a warning (WorkData.warnings).
    _log.info("work data read from %s: %s", kind, status,
             extra={"kind": kind, "status": status, "count": budget.calls.get(kind, 0),
                    "duration_ms": round((time.monotonic() - began) * 1000)})
    return result
