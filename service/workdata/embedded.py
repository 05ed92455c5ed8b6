"""The embedded default's sources: the Zendesk and GitLab emulators in process, over the example team's demo data.

The demo data is anchored at the meeting's week and holds nothing later than the hour `now`
falls in, so `docket weekly` on any date reads what a real account would have shown. One demo
world per (ISO week, hour) is kept, so a weekly run builds it once for all its pairs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from service.emulator.demo_team import API_USER_ID
from service.emulator.gitlab.api import create_gitlab_app
from service.emulator.gitlab.demo import demo_state as gitlab_demo
from service.emulator.rest_faults import RestFaults
from service.emulator.zendesk.api import ApiUser, create_zendesk_app
from service.emulator.zendesk.export import ExportLimit
from service.emulator.zendesk.demo import demo_state as zendesk_demo

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

DEMO_TOKEN = "embedded-demo"  # the in-process emulators accept any token; none is needed


@dataclass(frozen=True)
class EmbeddedApps:
    zendesk: WSGIApplication
    gitlab: WSGIApplication


@functools.lru_cache(maxsize=4)
def _apps(monday: date, until: datetime, api_email: str) -> EmbeddedApps:
    # No rate limit in process: a large roster's demo run must not read as a rate-limited account. The export's
    # "now" is an hour after the world's last instant, so all of it is old enough to export, as of any real time.
    as_of = (until + timedelta(hours=1)).timestamp()
    zendesk = create_zendesk_app(functools.cache(lambda: zendesk_demo(monday, until, api_email=api_email)),
                                 api_users=[ApiUser(api_email)], faults=RestFaults(),
                                 export_limit=ExportLimit(per_minute=None), clock=lambda: as_of)
    gitlab = create_gitlab_app(functools.cache(lambda: gitlab_demo(monday, until)), api_user_id=API_USER_ID,
                               faults=RestFaults())
    return EmbeddedApps(zendesk, gitlab)


def embedded_apps(meeting_date: date, now: datetime, api_email: str) -> EmbeddedApps:
    """The in-process emulators for a meeting on `meeting_date`, as of `now`; `api_email` is the configured API user."""
    monday = meeting_date - timedelta(days=meeting_date.weekday())
    hour = now.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    return _apps(monday, hour, api_email.lower())
