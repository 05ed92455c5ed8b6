"""A 1:1 week section's work data as the 1:1 use case needs it: prepared lazily, at most once, with its warnings.

The section writer renders a section only when it is missing, and may re-plan (and so re-render)
after a concurrent edit: the data is read the first time the section is rendered and reused after,
so a section is written with one reading of the sources, and a section already present costs no
API call at all.

`shared_for_week` makes the weekly run's shared Zendesk export (shared_export.py) for every
configured pair's meeting of the week; a SectionData given it reads its comments from there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from service.workdata.rendering import template_context

if TYPE_CHECKING:
    from service.calendar import Meeting, Week
    from service.settings import OneOnOneSettings, Settings
    from service.workdata.figures import WorkData
    from service.workdata.shared_export import SharedZendesk


def shared_for_week(settings: Settings, week: Week) -> SharedZendesk | None:
    """The weekly run's shared Zendesk export over every configured pair's windows (None: no pair reads Zendesk)."""
    from service.calendar import meeting_for
    from service.workdata.shared_export import PairDemand, for_run
    from service.workdata.window import rollup_windows, week_window

    config = getattr(settings, "workdata", None)
    if config is None:
        return None
    demands = []
    for pair in settings.one_on_ones:
        sources = config.sources_for(pair.manager, pair.report)
        if sources is None:
            continue
        meeting = meeting_for(week, pair.weekday, pair.timezone)
        windows = (week_window(meeting.date, meeting.timezone), *rollup_windows(meeting.date, meeting.timezone))
        demands.append(PairDemand(sources, meeting.date, windows))
    return for_run(config, demands, embedded=settings.backend == "embedded")


class SectionData:
    """The `work` template variable of one pair's week section (None when the pair has no sources)."""

    def __init__(self, settings: Settings, pair: OneOnOneSettings, meeting: Meeting, *,
                 now: Callable[[], datetime] | None = None, env: Mapping[str, str] | None = None,
                 shared: SharedZendesk | None = None) -> None:
        config = getattr(settings, "workdata", None)
        self._sources = config.sources_for(pair.manager, pair.report) if config is not None else None
        self._config, self._pair, self._meeting = config, pair, meeting
        self._embedded = settings.backend == "embedded"
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._env = env
        self._shared = shared
        self._notices: tuple[str, ...] = ()
        self._lock = threading.Lock()
        self._work: WorkData | None = None
        self._done = False

    def context(self) -> dict[str, object] | None:
        """Read the sources on the first call; the same context afterwards."""
        with self._lock:
            if not self._done:
                if self._config is not None and self._sources is not None:
                    from service.workdata.preparation import prepare  # zenpy and python-gitlab load only when needed

                    self._work = prepare(self._config, self._sources, self._meeting.date, self._meeting.timezone,
                                         self._now(), env=self._env, embedded=self._embedded, shared=self._shared)
                    self._notices = self._shared.notices() if self._shared is not None else ()
                self._done = True
            return template_context(self._work)

    @property
    def warnings(self) -> tuple[str, ...]:
        """The run's warnings for this section: one per source that could not be read (empty if never read).

        The first section that learns the run's shared export was refused or failed also carries
        that, once for the whole run.
        """
        if self._work is None:
            return self._notices
        return self._notices + self._work.warnings(f"the 1:1 of {self._pair.report_name} and {self._pair.manager_name}")
