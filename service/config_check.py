"""`docket check`: a configuration checked as far as it can be offline, and the week's plan — no call to Google, nothing written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from service.calendar import Week
from service.google.clients import Google
from service.secret_key import ENV_VAR
from service.services import Services
from service.settings import WEEKDAYS, Settings

_OFFLINE_IDENTITY = "docket-check@offline.invalid"


@dataclass(frozen=True)
class PlannedJob:
    """One unit of the week's work as `docket weekly` would run it, described for people."""

    title: str
    documents: int
    weekday: str  # "Tuesday"
    timezone: str
    meeting: date


@dataclass(frozen=True)
class CheckReport:
    """What `docket check` found: problems (a command would refuse to run: exit 2), warnings, and the plan."""

    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    plan: tuple[PlannedJob, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


class _NoCalls:
    """The transport of the planning Services: `docket check` calls nothing, so any request is a bug in it."""

    def request(self, *_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("docket check must not call Google")


def plan(settings: Settings, week: Week) -> tuple[PlannedJob, ...]:
    """The week's jobs, planned by the same code as `docket weekly` (every kind's `jobs`) without listing anything.

    Without the listing each job would look its documents up when run; here nothing is run.
    """
    google = Google(_NoCalls, backend=settings.backend, identity=_OFFLINE_IDENTITY)
    services = Services.build(settings, google)
    zone = settings.organization.timezone
    return tuple(PlannedJob(job.title, job.documents, WEEKDAYS[job.meeting.weekday()].capitalize(), job.timezone or zone,
                            job.meeting) for job in services.kinds.jobs(services, week, None))


def check(settings: Settings, env: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(problems, warnings) beyond what loading the configuration already refused, all found offline."""
    problems: list[str] = []
    warnings: list[str] = []
    source = settings.source
    if settings.dispatch.mode == "cloud-tasks":
        for key, value in (("dispatch.service_account", settings.dispatch.service_account), ("auth.audience", settings.auth.audience)):
            if not value:
                problems.append(f"{key} is required when dispatch.mode = \"cloud-tasks\" (in {source})")
    if settings.backend == "google":
        credentials = settings.google.credentials
        if credentials and credentials != "adc" and not Path(credentials).is_file():
            problems.append(f"google.credentials: the service-account key '{credentials}' does not exist (in {source})")
        if not settings.google.folder_id and not settings.google.delegated_subject:
            warnings.append(f"google.folder_id is not set: a service account cannot own files, so its documents need a "
                            f"shared drive (in {source})")
        if ENV_VAR not in env:
            warnings.append(f"{ENV_VAR} is not set: `docket link` and the service refuse to sign links on the Google backend")
        for key, value in (("auth.audience", settings.auth.audience),
                           ("auth.scheduler_service_accounts", settings.auth.scheduler_service_accounts),
                           ("auth.addon_client_ids", settings.auth.addon_client_ids)):
            if not value:
                warnings.append(f"{key} is not set: the service refuses the calls that need it (docs/configuration.md)")
    if settings.backend == "endpoint" and not settings.google.folder_id:
        warnings.append(f"google.folder_id is not set: the endpoint must act as an account that can own files (a person's: "
                        f"`docket emulator --identity EMAIL`), not a service account (in {source})")
    warnings += _people_outside_the_domains(settings)
    if not settings.one_on_ones and settings.leadership is None:
        warnings.append(f"no [[one_on_one]] and no [leadership] in {source}: `docket weekly` has nothing to do")
    return tuple(problems), tuple(warnings)


def _people_outside_the_domains(settings: Settings) -> list[str]:
    domains = settings.organization.domains
    if not domains:
        return ["organization.domains is empty: the Docs menu refuses everyone, and the agenda cannot be opened to "
                "the organisation"]
    people = {p.manager for p in settings.one_on_ones} | {p.report for p in settings.one_on_ones}
    people |= set(settings.leadership.members if settings.leadership else ())
    outside = sorted(p for p in people if p.rpartition("@")[2] not in domains)
    if not outside:
        return []
    return [f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} outside organization.domains "
            f"({', '.join(domains)}): the Docs menu refuses them"]


def check_configuration(settings: Settings, week: Week, env: Mapping[str, str]) -> CheckReport:
    problems, warnings = check(settings, env)
    return CheckReport(problems, warnings, plan(settings, week))
