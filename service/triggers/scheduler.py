"""Cloud Scheduler and Cloud Tasks triggers: POST /tasks/weekly, /tasks/daily and /tasks/section, behind a Google OIDC check.

Authentication is the ID token alone: its signature, lifetime, issuer and audience
(`auth.audience`, never unchecked) are verified with google-auth, then its verified `email`
must be one of `auth.scheduler_service_accounts` (the Scheduler job's and the Tasks queue's
OIDC identities). `X-CloudScheduler*` and `X-CloudTasks-*` headers are plain headers anyone
can send (google-apis.md §9): they are only logged, never trusted.
"""

from __future__ import annotations

import logging
import threading

from flask import Blueprint, current_app, jsonify, request

from service.calendar import Week
from service.errors import ConfigError
from service.identity import Caller, IdTokenVerifier, require_email_in
from service.dispatch import TaskDispatcher, run_inline
from service.meetings.outcome import Failure, Outcome
from service.meetings.weekly import job_named, run_job
from service.app_context import now, per_app, services
from service.triggers.payload import Field, date_field, document_id_field, read_json

log = logging.getLogger(__name__)

blueprint = Blueprint("scheduler", __name__)
# Where create_app keeps an injected Cloud Tasks client factory (tests); else CloudTasksClient with ADC.
TASKS_CLIENT_FACTORY = "docket.tasks_client_factory"

_WEEKLY_BODY = {"date": Field("date", required=False, max_length=10)}
_SECTION_BODY = {"documentId": document_id_field(), "date": Field("date", required=False, max_length=10)}
_JOB_BODY = {"job": Field("job", max_length=600), "date": Field("date", required=False, max_length=10)}


def _verifier() -> IdTokenVerifier:
    settings = services().settings
    if not settings.auth.audience:
        # Refuse rather than verify without an audience (google-auth would skip the check).
        raise ConfigError("is required to accept Cloud Scheduler / Cloud Tasks calls", key="auth.audience", file=settings.source)
    return IdTokenVerifier(audiences=[settings.auth.audience], certs_url=settings.auth.certs_url)


def authenticate() -> Caller:
    """The verified Scheduler/Tasks identity of this request: 401 without a valid token, 403 for another identity."""
    caller = per_app("scheduler_verifier", _verifier).verify(request.headers.get("Authorization"))
    require_email_in(caller, services().settings.auth.scheduler_service_accounts)
    return caller


def _weekly_lock() -> threading.Lock:
    # One weekly run at a time per instance: a retried delivery that arrives while the first is
    # still running (Cloud Run keeps going after Scheduler's deadline) waits, then finds every
    # section present and writes nothing.
    return per_app("weekly_lock", threading.Lock)


@blueprint.post("/tasks/weekly")
def weekly():  # noqa: ANN201 (a Flask view)
    caller = authenticate()
    values = read_json(request, _WEEKLY_BODY, optional_body=True)
    on = date_field(values)
    svc = services()
    week = Week.of(on, now())
    mode = svc.settings.dispatch.mode
    # Logged to correlate retries; the schedule time is constant across them (SCHED-DD).
    log.info("weekly run requested", extra={"caller": caller.email, "mode": mode,
                                           "schedule_time": request.headers.get("X-CloudScheduler-ScheduleTime", "")[:64] or None,
                                           "job": request.headers.get("X-CloudScheduler-JobName", "")[:200] or None})
    with _weekly_lock():
        if mode == "cloud-tasks":
            factory = current_app.extensions.get(TASKS_CLIENT_FACTORY)
            dispatcher = per_app("dispatcher", lambda: TaskDispatcher(svc, factory) if factory else TaskDispatcher(svc))
            report = dispatcher.run(week)
        else:
            report = run_inline(svc, week)
    body = report.to_dict()
    if not report.ok:
        # A non-2xx makes Scheduler retry (its retryCount); the run is idempotent, so a retry
        # only redoes what failed. The per-document reasons never hold item text.
        log.error("weekly run finished with failures: %s", report.summary, extra={"failures": len(report.failures), "mode": mode})
        body["error"] = {"code": "documents_failed", "message": f"{len(report.failures)} document(s) failed; see failures"}
        return jsonify(body), 500
    log.info("weekly run finished: %s", report.summary, extra={"count": len(body["results"]), "mode": mode})
    return jsonify(body)


def _daily_lock() -> threading.Lock:
    # One daily run at a time per instance, for the same reason as the weekly one; across instances
    # a message's requestId keeps a concurrent resend from making a second Chat message.
    return per_app("daily_lock", threading.Lock)


@blueprint.post("/tasks/daily")
def daily():  # noqa: ANN201 (a Flask view)
    """The daily job (reminders, prep nudges): the same check as /tasks/weekly, body optional `{"date": "YYYY-MM-DD"}`."""
    from service.demo import seed_demo_time_off
    from service.meetings.reminders import Reminders

    caller = authenticate()
    values = read_json(request, _WEEKLY_BODY, optional_body=True)
    on = date_field(values)
    svc = services()
    week = Week.of(on, now())
    log.info("daily run requested", extra={"caller": caller.email,
                                          "schedule_time": request.headers.get("X-CloudScheduler-ScheduleTime", "")[:64] or None,
                                          "job": request.headers.get("X-CloudScheduler-JobName", "")[:200] or None})
    with _daily_lock():
        # Without a webhook (local backends only) the messages are not posted: they come back in the body.
        reminders = Reminders(svc, printer=lambda _heading, _text: None)
        reminders.targets()  # every webhook checked before anything, demo seeding included, changes
        seed_demo_time_off(svc.google, svc.settings, week.today_in(svc.settings.organization.timezone))
        report = reminders.run(week)
    body = report.to_dict()
    if not report.ok:
        log.error("daily run finished with failures", extra={"failures": len(report.failures)})
        body["error"] = {"code": "reminders_failed", "message": f"{len(report.failures)} reminder(s) failed; see failures"}
        return jsonify(body), 500
    log.info("daily run finished", extra={"count": len(body["results"])})
    return jsonify(body)


@blueprint.post("/tasks/section")
def section():  # noqa: ANN201
    authenticate()
    values = read_json(request, _SECTION_BODY)
    on = date_field(values)
    svc = services()
    # A task of the weekly fan-out: the document's sharing is checked as in the inline run.
    outcome = svc.kinds.ensure_section(svc, values["documentId"], Week.of(on, now()), anchor=False, audit=True)
    task = request.headers.get("X-CloudTasks-TaskName", "")[:500] or None
    log.info("section %s", outcome.action, extra={"document_id": outcome.document_id, "kind": outcome.kind,
                                                   "action": outcome.action, "task": task})
    _log_warnings((outcome,), task)
    body = outcome.to_dict()
    if outcome.warnings:
        body["warnings"] = list(outcome.warnings)
    return jsonify(body)


def _log_warnings(outcomes: tuple[Outcome, ...], task: str | None) -> None:
    """One log line per document with warnings: how many, never their text (it names people and sources)."""
    for outcome in outcomes:
        if outcome.warnings:
            log.warning("section written with warnings", extra={"document_id": outcome.document_id, "kind": outcome.kind,
                                                                 "count": len(outcome.warnings), "task": task})


@blueprint.post("/tasks/job")
def job():  # noqa: ANN201
    """One job of the week whose document did not exist when the week was fanned out (a new pair's
    doc), or that spans documents (the leadership sync): a Cloud Tasks task. A failure answers 500,
    so Cloud Tasks retries it; the job is idempotent."""
    authenticate()
    values = read_json(request, _JOB_BODY)
    svc = services()
    done = run_job(job_named(svc, Week.of(date_field(values), now()), values["job"]))
    task = request.headers.get("X-CloudTasks-TaskName", "")[:500] or None
    if isinstance(done, Failure):
        log.error("job failed", extra={"kind": done.kind, "document_id": done.document_id, "task": task})
        return jsonify({"error": {"code": "documents_failed", "message": done.reason}, "failures": [done.to_dict()]}), 500
    for outcome in done:
        log.info("section %s", outcome.action, extra={"document_id": outcome.document_id, "kind": outcome.kind,
                                                       "action": outcome.action, "task": task})
    _log_warnings(tuple(done), task)
    body: dict = {"results": [o.to_dict() for o in done]}
    warnings = [w for o in done for w in o.warnings]
    if warnings:
        body["warnings"] = warnings
    return jsonify(body)
