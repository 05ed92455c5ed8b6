"""Runs the weekly job: inline (paced) or fanned out as one Cloud Tasks HTTP task per job.

Both modes run the one list of the week's jobs (`weekly.plan_week`). Fan-out (`[dispatch] mode =
"cloud-tasks"`) runs nothing in the Scheduler's request — 1,000 new pairs at the Docs quota would
outlast Cloud Run's request timeout. A job whose document exists gets a task that POSTs
`{"documentId", "date"}` to `{service.base_url}/tasks/section`; every other job (a new pair's
document, the leadership sync with its sharing and placeholder reconciliation) gets a task that
POSTs `{"job", "date"}` to `/tasks/job`. Each carries an OIDC token (the `dispatch.service_account`,
audience `auth.audience`), so the queue's rate, not this process, keeps Docket under the Docs quota
(size the queue at ≤ 0.9 dispatches/s per writing identity; deploy/ does). Task names are
deterministic — `docket-<documentId>-<Monday of the week>`, `docket-job-<hash of the job>-<Monday>`
— so a re-run or a retried Scheduler delivery in the same week is refused by Cloud Tasks with
ALREADY_EXISTS, which counts as done. Cloud Tasks keeps a name reserved for a while after its task
ran (about an hour, longer for some queues); a later re-run makes new tasks, which find every
section present and write nothing.

Each task's `date` is its job's own meeting date, computed here in the meeting's time zone exactly
as the inline mode does, so both modes pick the same week at any hour.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from service.calendar import Week
from service.errors import ConfigError, DocketError, GoogleApiError
from service.meetings.outcome import Failure, Outcome
from service.meetings.weekly import WeeklyReport, folder_warnings, plan_week, run_weekly
from service.services import Services

log = logging.getLogger(__name__)

SECTION_PATH = "/tasks/section"
JOB_PATH = "/tasks/job"
_NAME_SAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class TaskSpec:
    """Everything a Cloud Tasks HTTP task for one document's week carries (pure data, testable)."""

    name: str  # full resource name: <queue>/tasks/<id>
    url: str
    body: bytes
    service_account: str
    audience: str

    def to_task(self) -> dict[str, Any]:
        """The `task` argument of CloudTasksClient.create_task (proto-plus accepts this dict)."""
        return {
            "name": self.name,
            "http_request": {
                "http_method": "POST",
                "url": self.url,
                # Cloud Tasks sets no Content-Type of its own (google-apis.md §9).
                "headers": {"Content-Type": "application/json"},
                "body": self.body,
                "oidc_token": {"service_account_email": self.service_account, "audience": self.audience},
            },
        }


@dataclass(frozen=True)
class Dispatched:
    document_id: str | None  # None for a job whose document does not exist yet
    kind: str
    task: str  # the task id (last part of its name)
    status: str  # enqueued | already_enqueued
    job: str

    def to_dict(self) -> dict[str, str | None]:
        return {"document_id": self.document_id, "kind": self.kind, "task": self.task, "status": self.status,
                "job": self.job}


@dataclass(frozen=True)
class FanOutReport:
    """The /tasks/weekly body in cloud-tasks mode: what ran inline, what was enqueued, what failed."""

    date: date
    outcomes: tuple[Outcome, ...]
    dispatched: tuple[Dispatched, ...]
    failures: tuple[Failure, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def summary(self) -> str:
        """One line for the log: nothing is written in this request, so it counts tasks, not documents."""
        enqueued = sum(1 for d in self.dispatched if d.status == "enqueued")
        failed = sum(f.documents for f in self.failures)
        return (f"{enqueued} task(s) enqueued, {len(self.dispatched) - enqueued} already enqueued, {failed} failed"
                + (" — nothing new to dispatch" if not enqueued and not failed else ""))

    def to_dict(self) -> dict:
        body: dict = {"date": self.date.isoformat(), "results": [o.to_dict() for o in self.outcomes],
                      "dispatched": [d.to_dict() for d in self.dispatched]}
        if self.failures:
            body["failures"] = [f.to_dict() for f in self.failures]
        if self.warnings:
            body["warnings"] = list(self.warnings)
        return body


def week_start(day: date) -> date:
    """The Monday of the ISO week of `day`: the week part of a task name."""
    return day - timedelta(days=day.weekday())


def task_id(document_id: str, day: date) -> str:
    """`docket-<documentId>-<YYYY-MM-DD of that week's Monday>`, in Cloud Tasks' alphabet [A-Za-z0-9_-].

    Drive ids are already in that alphabet; anything else is replaced and a short hash of the
    real id appended, so two different ids can never share a name.
    """
    safe = _NAME_SAFE.sub("_", document_id)
    if safe != document_id:
        safe = f"{safe[:400]}_{hashlib.sha256(document_id.encode()).hexdigest()[:12]}"
    return f"docket-{safe}-{week_start(day).isoformat()}"


def job_task_id(job_key: str, day: date) -> str:
    """`docket-job-<hash of the job's key>-<Monday of the week>`: keys hold emails, which task names cannot."""
    return f"docket-job-{hashlib.sha256(job_key.encode()).hexdigest()[:24]}-{week_start(day).isoformat()}"


def build_task(*, queue: str, base_url: str, day: date, service_account: str, audience: str,
               document_id: str | None = None, job: str | None = None) -> TaskSpec:
    """The task for one document's week (`document_id`), or for one job whose document does not exist yet."""
    if (document_id is None) == (job is None):
        raise ValueError("a task is for a document or for a job")
    if document_id is not None:
        payload, name, path = {"documentId": document_id}, task_id(document_id, day), SECTION_PATH
    else:
        assert job is not None
        payload, name, path = {"job": job}, job_task_id(job, day), JOB_PATH
    body = json.dumps({**payload, "date": day.isoformat()}, separators=(",", ":")).encode()
    return TaskSpec(
        name=f"{queue}/tasks/{name}",
        url=base_url.rstrip("/") + path,
        body=body,
        service_account=service_account,
        audience=audience,
    )


def default_tasks_client() -> Any:
    """CloudTasksClient with Application Default Credentials (the Cloud Run service account)."""
    from google.cloud import tasks_v2

    return tasks_v2.CloudTasksClient()


class TaskDispatcher:
    """Fans a week out to Cloud Tasks; runs documents that do not exist yet inline."""

    def __init__(self, services: Services, client_factory: Callable[[], Any] = default_tasks_client) -> None:
        settings = services.settings
        if not settings.dispatch.queue:
            raise ConfigError("is required when mode = \"cloud-tasks\"", key="dispatch.queue", file=settings.source)
        if not settings.dispatch.service_account:
            raise ConfigError("is required when mode = \"cloud-tasks\" (the identity of the tasks' OIDC tokens)",
                              key="dispatch.service_account", file=settings.source)
        if not settings.auth.audience:
            raise ConfigError("is required when mode = \"cloud-tasks\"", key="auth.audience", file=settings.source)
        self.services = services
        self.queue = settings.dispatch.queue
        self.service_account = settings.dispatch.service_account
        self.audience = settings.auth.audience
        self._client_factory = client_factory
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def enqueue(self, spec: TaskSpec) -> str:
        """Create the task; "enqueued", or "already_enqueued" when Cloud Tasks has that name (dedup)."""
        from google.api_core import exceptions as core

        try:
            self.client.create_task(parent=self.queue, task=spec.to_task(), timeout=30.0)
        except core.GoogleAPICallError as exc:
            if _already_exists(exc):
                return "already_enqueued"
            # The message is Google's about the request (ids, not item text); keep the status.
            raise GoogleApiError(f"Cloud Tasks refused a task: {exc.__class__.__name__} {getattr(exc, 'code', '')}".rstrip(),
                                 google_status=getattr(exc, "code", None)) from None
        except Exception as exc:  # transport failures (DNS, TLS, deadline) from grpc or requests
            raise GoogleApiError(f"could not reach Cloud Tasks ({exc.__class__.__name__})") from None
        return "enqueued"

    def run(self, week: Week) -> FanOutReport:
        """One task per job of the week; nothing runs in this request."""
        services = self.services
        settings = services.settings
        failures: list[Failure] = []
        dispatched: list[Dispatched] = []
        for job in plan_week(services, week):
            spec = build_task(queue=self.queue, base_url=settings.service.base_url, day=job.meeting,
                              service_account=self.service_account, audience=self.audience,
                              document_id=job.document_id, job=None if job.document_id else job.key)
            try:
                status = self.enqueue(spec)
            except DocketError as exc:
                failures.append(Failure(job.kind, job.title, exc.message, job.document_id, job.documents))
                continue
            task = spec.name.rsplit("/", 1)[1]
            dispatched.append(Dispatched(job.document_id, job.kind, task, status, job.key))
            log.info("task %s", status, extra={"document_id": job.document_id, "kind": job.kind, "task": task, "status": status})
        day = week.today_in(settings.organization.timezone)
        return FanOutReport(day, (), tuple(dispatched), tuple(failures), folder_warnings(services))


def _already_exists(exc: Exception) -> bool:
    """ALREADY_EXISTS: gRPC raises AlreadyExists; the REST transport raises a bare 409 Conflict
    (which ABORTED shares), so there the status in Google's error body decides."""
    from google.api_core import exceptions as core

    if isinstance(exc, core.AlreadyExists):
        return True
    if not isinstance(exc, core.Conflict):
        return False
    try:
        return exc.response.json()["error"]["status"] == "ALREADY_EXISTS"  # type: ignore[union-attr]
    except (AttributeError, ValueError, KeyError, TypeError):
        return False


def run_inline(services: Services, week: Week) -> WeeklyReport:
    """The default mode: every document in this request, each write paced by the Google pacer."""

    def logged(result: Outcome | Failure) -> None:
        if isinstance(result, Outcome):
            log.info("section %s", result.action, extra={"document_id": result.document_id, "kind": result.kind, "action": result.action})
        else:
            log.warning("document failed: %s", result.reason, extra={"document_id": result.document_id, "kind": result.kind})

    return run_weekly(services, week, on_outcome=logged)
