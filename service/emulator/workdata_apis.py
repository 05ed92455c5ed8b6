"""`docket emulator` serves the Zendesk and GitLab demo APIs beside Docs and Drive, on the same port, by path.

Google's paths (/v1/..., /drive/v3/..., /upload/...) and Zendesk's (/api/v2/...) and GitLab's
(/api/v4/...) do not overlap, so one URL serves all three: point [zendesk] url and [gitlab] url
at it (any token). The demo data covers the 17 weeks before the day the server starts, up to the
moment it starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from service.emulator.demo_team import API_USER_ID
from service.emulator.gitlab.api import create_gitlab_app
from service.emulator.gitlab.demo import demo_state as gitlab_demo
from service.emulator.zendesk.api import create_zendesk_app
from service.emulator.zendesk.demo import demo_state as zendesk_demo

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

ZENDESK_PREFIX = "/api/v2/"
GITLAB_PREFIX = "/api/v4/"


def with_work_data_apis(google: WSGIApplication, *, now: datetime | None = None) -> WSGIApplication:
    """`google` with the Zendesk and GitLab demo emulators mounted at their own API paths (not stripped)."""
    until = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    zendesk = create_zendesk_app(zendesk_demo(until.date(), until))
    gitlab = create_gitlab_app(gitlab_demo(until.date(), until), api_user_id=API_USER_ID)

    def route(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(ZENDESK_PREFIX):
            return zendesk(environ, start_response)
        if path.startswith(GITLAB_PREFIX):
            return gitlab(environ, start_response)
        return google(environ, start_response)

    return route
