"""The GitLab seam: issues an engineer opened and merge requests of theirs merged, through python-gitlab.

Call plan: two list requests per pair (plus pages of 100), across every project the token can see:
1. GET /issues?scope=all&author_username=<u>&created_after=<start>&created_before=<end>;
2. GET /merge_requests?scope=all&state=merged&author_username=<u>&updated_after=<start>, kept when
   merged_at falls in the period (the REST API has no merged_after filter; a merge updates the
   merge request, so updated_after is a superset);
3. only when both are empty: GET /users?username=<u>, to tell "no activity" from "no such user"
   (an unknown author_username makes GitLab return an empty list, not an error).
python-gitlab's own retries are switched off per call (obey_rate_limit, retry_transient_errors):
transport.py is the one retry policy.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import gitlab
import requests
from gitlab.exceptions import GitlabError, GitlabHttpError

from service.workdata.config import GitLabConfig
from service.workdata.figures import ISSUE, MERGE_REQUEST, GitLabRecord
from service.workdata.transport import Budget, session_for
from service.workdata.unavailable import SourceUnavailable, from_status, from_transport, unexpected

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

# Issue and merge request titles are not logged by python-gitlab above DEBUG; keep it that way.
logging.getLogger("gitlab").setLevel(logging.WARNING)
_NO_LIBRARY_RETRIES = {"obey_rate_limit": False, "retry_transient_errors": False}


def _iso(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def _record(kind: str, item: Any, at: datetime) -> GitLabRecord:
    data = item.attributes
    references = data.get("references") or {}
    return GitLabRecord(kind, str(data.get("title", "")), str(data.get("web_url", "")), str(references.get("full", "")),
                        tuple(str(label) for label in data.get("labels") or ()), at)


def read(config: GitLabConfig, token: str, username: str, start: datetime, end: datetime, budget: Budget,
         app: WSGIApplication | None = None) -> tuple[GitLabRecord, ...]:
    """The engineer's GitLab activity for [start, end); raises SourceUnavailable with a short reason."""
    limits = budget.limits
    try:
        session = session_for(config.url, budget, "gitlab", app, config.requests_per_minute)
        client = gitlab.Gitlab(config.url, private_token=token, session=session, timeout=limits.request_seconds,
                               keep_base_url=True)
        records: list[GitLabRecord] = []
        for issue in client.issues.list(scope="all", author_username=username, created_after=_iso(start),
                                        created_before=_iso(end), order_by="created_at", sort="asc", per_page=100,
                                        iterator=True, **_NO_LIBRARY_RETRIES):
            created = _instant(issue.attributes["created_at"])
            if start <= created < end:  # created_before is inclusive
                records.append(_record(ISSUE, issue, created))
        merged_seen = False
        for mr in client.mergerequests.list(scope="all", state="merged", author_username=username,
                                            updated_after=_iso(start), order_by="updated_at", sort="asc", per_page=100,
                                            iterator=True, **_NO_LIBRARY_RETRIES):
            merged_seen = True
            merged_at = mr.attributes.get("merged_at")
            if merged_at and start <= _instant(merged_at) < end:
                records.append(_record(MERGE_REQUEST, mr, _instant(merged_at)))
        if not records and not merged_seen and not client.users.list(username=username, get_all=False, per_page=1,
                                                                     **_NO_LIBRARY_RETRIES):
            raise SourceUnavailable(f"no user '{username}' in {config.url}")
        return tuple(records)
    except SourceUnavailable:
        raise
    except GitlabHttpError as error:
        raise from_status(error.response_code or 0, limits.retries, config.token_env) from None
    except GitlabError as error:
        if error.response_code:
            raise from_status(error.response_code, limits.retries, config.token_env) from None
        raise unexpected(error) from None
    except requests.exceptions.RequestException as error:
        raise from_transport(error, limits.pair_seconds, limits.request_seconds) from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise unexpected(error) from None
