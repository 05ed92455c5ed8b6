"""Typed, validated settings from docket.toml and the environment (docs/configuration.md): one parser per section."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Mapping

from service.errors import ConfigError
from service.google import app_properties
from service.toml_table import DOMAIN, WEEKDAYS, Table
from service.workdata.config import PAIR_KEYS, SECTIONS as WORKDATA_SECTIONS, WorkDataConfig, parse_workdata

__all__ = ["WEEKDAYS", "CADENCES", "Settings", "load_settings", "parse_settings"]

CADENCES = ("weekly", "monthly", "quarterly")
DISPATCH_MODES = ("inline", "cloud-tasks")
LEADERSHIP_TITLE = "Senior Support Leadership Sync"
DEFAULT_PAIRINGS_URL = "https://gitlab-com.gitlab.io/support/support-pairing/"
# The shared drive of the embedded default when docket.toml names none (see parse_settings).
EMBEDDED_DRIVE_ID = "0ADocketLocalDrive"


@dataclass(frozen=True)
class Organization:
    name: str
    timezone: str
    domains: tuple[str, ...]
    zendesk_url: str
    handbook_url: str
    pairings_url: str


@dataclass(frozen=True)
class GoogleSettings:
    endpoint: str | None
    credentials: str | None
    delegated_subject: str | None
    folder_id: str | None


@dataclass(frozen=True)
class OneOnOneSettings:
    manager: str
    manager_name: str
    report: str
    report_name: str
    zendesk_user_id: str
    weekday: int  # 0 = Monday
    timezone: str
    # Reminders (service/meetings/reminders.py): this pair's manager's own Chat webhook, as a secret
    # reference ("env:NAME", never the URL), and whether they get a "1:1 today" nudge.
    chat_webhook: str | None = None
    prep_nudge: bool = False


@dataclass(frozen=True)
class StandingItem:
    title: str
    cadence: str
    confidential: bool


@dataclass(frozen=True)
class LeadershipSettings:
    title: str
    weekday: int
    timezone: str
    members: tuple[str, ...]
    member_names: Mapping[str, str]
    standing_items: tuple[StandingItem, ...]
    agenda_open_to_organization: bool

    def name_of(self, email: str) -> str:
        """A member's display name: configured, else the local part of the address."""
        return self.member_names.get(email, email.split("@", 1)[0])


@dataclass(frozen=True)
class ServiceSettings:
    base_url: str


@dataclass(frozen=True)
class DispatchSettings:
    mode: str
    queue: str | None
    service_account: str | None
    writes_per_minute: int


@dataclass(frozen=True)
class AuthSettings:
    audience: str | None
    scheduler_service_accounts: tuple[str, ...]
    addon_client_ids: tuple[str, ...]
    certs_url: str | None


@dataclass(frozen=True)
class RemindersSettings:
    """`[reminders]`: the daily job's PTO reminders and prep nudges (docs/configuration.md)."""

    enabled: bool = False  # the section is present
    chat_webhook: str | None = None  # secret reference ("env:NAME") of the default Chat webhook
    pto_calendar_id: str | None = None  # a shared team PTO calendar, besides each engineer's own
    demo_time_off: bool = False  # embedded default only: seed the demo team's time off (service/demo.py)


@dataclass(frozen=True)
class RosterSettings:
    """`[roster]`: the pairs from a Google Sheet instead of `[[one_on_one]]` tables."""

    sheet_id: str | None = None
    range: str = "Pairs!A1:K"  # 11 columns: every key a pair can have


@dataclass(frozen=True)
class Settings:
    source: str
    data_dir: Path
    organization: Organization
    google: GoogleSettings
    one_on_ones: tuple[OneOnOneSettings, ...]
    leadership: LeadershipSettings | None
    service: ServiceSettings
    dispatch: DispatchSettings
    auth: AuthSettings
    reminders: RemindersSettings = RemindersSettings()
    roster: RosterSettings = RosterSettings()
    workdata: WorkDataConfig | None = None  # [zendesk], [gitlab] and the pairs' keys (service.workdata.config)

    @property
    def backend(self) -> str:
        """Where documents live (README "Where documents live"): "endpoint", "google" or "embedded"."""
        if self.google.endpoint:
            return "endpoint"
        if self.google.credentials:
            return "google"
        return "embedded"

    def pairs_for_report(self, report: str) -> tuple[OneOnOneSettings, ...]:
        """Every 1:1 of this engineer (usually one; two while they change managers)."""
        report = report.strip().lower()
        return tuple(p for p in self.one_on_ones if p.report == report)

    def pair(self, manager: str, report: str) -> OneOnOneSettings | None:
        manager, report = manager.strip().lower(), report.strip().lower()
        return next((p for p in self.one_on_ones if p.manager == manager and p.report == report), None)


# ---------------------------------------------------------------------------------------------
# Loading


def locate_config(explicit: str | None, env: Mapping[str, str], cwd: Path | None = None) -> tuple[str, str]:
    """Return (label, toml text): --config, else DOCKET_CONFIG, else ./docket.toml, else the bundled example."""
    for candidate in (explicit, env.get("DOCKET_CONFIG")):
        if candidate:
            return str(candidate), _read(Path(candidate))
    local = (cwd or Path.cwd()) / "docket.toml"
    if local.is_file():
        return str(local), _read(local)
    bundled = resources.files("service") / "example" / "docket.toml"
    return "the bundled example (service/example/docket.toml)", bundled.read_text(encoding="utf-8")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start}); docket.toml must be UTF-8 TOML", file=str(path)) from None


def load_settings(config: str | None = None, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Settings:
    """Load and validate the configuration; every problem is a ConfigError naming the key and file."""
    import os

    env = os.environ if env is None else env
    label, text = locate_config(config, env, cwd)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=label) from None
    return parse_settings(raw, label, env, cwd or Path.cwd())


_SECTIONS = ("organization", "google", "one_on_one", "leadership", "service", "dispatch", "auth", "reminders", "roster")


def parse_settings(raw: dict, file: str, env: Mapping[str, str], cwd: Path) -> Settings:
    top = Table(raw, "", file)
    # A misspelt section is reported as such, not as the real one being missing.
    top.seen.update(_SECTIONS + WORKDATA_SECTIONS)
    top.finish()
    top.seen.clear()
    org_table = top.sub("organization", optional=False)
    assert org_table is not None
    organization = parse_organization(org_table)
    one_on_ones = parse_one_on_ones(top.get("one_on_one", list, []), file, organization.timezone)
    settings = Settings(
        source=file,
        data_dir=Path(env.get("DOCKET_DATA_DIR") or cwd / ".docket"),
        organization=organization,
        google=parse_google(top.section("google"), env),
        one_on_ones=one_on_ones,
        leadership=parse_leadership(top.sub("leadership"), organization.timezone),
        service=parse_service(top.section("service")),
        dispatch=parse_dispatch(top.section("dispatch")),
        auth=parse_auth(top.section("auth"), env),
        reminders=parse_reminders(top.sub("reminders")),
        roster=parse_roster(top.sub("roster")),
        # Work data (Zendesk, GitLab) parses its own tables and the pairs' keys of them.
        workdata=parse_workdata(raw, file, [(p.manager, p.report) for p in one_on_ones]),
    )
    top.seen.update(WORKDATA_SECTIONS)
    if settings.roster.sheet_id and settings.one_on_ones:
        raise ConfigError("cannot be used together with [[one_on_one]] tables: the sheet replaces them (keep one of the two)",
                          key="roster.sheet_id", file=file)
    top.finish()
    if settings.backend == "embedded" and not settings.google.folder_id:
        # The built-in emulator acts as a service account, which owns no files (as Docket does in
        # production), so its documents need a shared drive: it makes its own, and a docket.toml
        # written from scratch works at once.
        settings = replace(settings, google=replace(settings.google, folder_id=EMBEDDED_DRIVE_ID))
    if settings.dispatch.writes_per_minute == 0 and settings.backend == "google":
        raise ConfigError("0 (unpaced) is only for the embedded default and emulator endpoints: Google refuses "
                          "writes past its quota; use 1–600", key="dispatch.writes_per_minute", file=file)
    return settings


def parse_organization(t: Table) -> Organization:
    timezone = t.timezone("timezone", t.get("timezone", str, required=True))
    domains = tuple(d.lower() for d in t.strings("domains", ()))
    for d in domains:
        if not DOMAIN.match(d):
            raise t.error("domains", f"'{d}' is not a domain name")
    organization = Organization(
        name=t.get("name", str, required=True),
        timezone=timezone,
        domains=domains,
        zendesk_url=t.url("zendesk_url", "https://example.zendesk.com"),
        handbook_url=t.url("handbook_url", "https://handbook.gitlab.com"),
        pairings_url=t.url("pairings_url", DEFAULT_PAIRINGS_URL),
    )
    t.finish()
    return organization


def parse_google(t: Table, env: Mapping[str, str]) -> GoogleSettings:
    endpoint = env.get("DOCKET_GOOGLE_ENDPOINT") or t.url("endpoint", None)
    google = GoogleSettings(
        endpoint=endpoint.rstrip("/") if endpoint else None,
        credentials=t.get("credentials", str, None),
        delegated_subject=t.get("delegated_subject", str, None),
        folder_id=t.get("folder_id", str, None),
    )
    if google.delegated_subject:
        t.email("delegated_subject", google.delegated_subject)
    t.finish()
    return google


def parse_pair(t: Table, default_timezone: str) -> OneOnOneSettings:
    """One manager–report pair (a `[[one_on_one]]` table), every value checked."""
    pair = OneOnOneSettings(
        manager=t.email("manager", t.get("manager", str, required=True)),
        manager_name=t.get("manager_name", str, required=True).strip(),
        report=t.email("report", t.get("report", str, required=True)),
        report_name=t.get("report_name", str, required=True).strip(),
        zendesk_user_id=str(t.get("zendesk_user_id", (str, int), required=True)),
        weekday=t.weekday("weekday"),
        timezone=t.timezone("timezone", t.get("timezone", str, default_timezone)),
    )
    if not re.fullmatch(r"[0-9]{1,20}", pair.zendesk_user_id):
        raise t.error("zendesk_user_id", f"'{pair.zendesk_user_id}' is not a Zendesk user id (digits)")
    if pair.manager == pair.report:
        raise t.error("report", "a manager cannot be their own report")
    for field in ("manager", "report"):
        # The pair's doc is found by these addresses, stored as its Drive appProperties: one Drive would
        # refuse makes the doc impossible, so the configuration is refused now instead.
        key, address = app_properties.name(field), getattr(pair, field)
        if app_properties.size(key, address) > app_properties.MAX_BYTES:
            raise t.error(field, f"'{address}' is too long for Google Drive: the 1:1 doc stores it as the appProperty "
                                 f"{key}, and Drive allows {app_properties.MAX_BYTES} bytes for a property's key and "
                                 f"value together in UTF-8 (this one takes {app_properties.size(key, address)})")
    t.seen.update(PAIR_KEYS)  # the pair's Zendesk/GitLab keys: read by service.workdata.config
    webhook = t.get("chat_webhook", str, None)
    pair = dataclasses.replace(pair, chat_webhook=webhook_reference(t, "chat_webhook", webhook),
                               prep_nudge=t.get("prep_nudge", bool, False))
    t.finish()
    return pair


def parse_one_on_ones(entries: list, file: str, default_timezone: str) -> tuple[OneOnOneSettings, ...]:
    pairs: list[OneOnOneSettings] = []
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(entries):
        t = Table(entry, f"one_on_one[{i}]", file)
        pair = parse_pair(t, default_timezone)
        if (pair.manager, pair.report) in seen:
            raise t.error("report", f"the pair {pair.manager} / {pair.report} is listed twice")
        seen.add((pair.manager, pair.report))
        pairs.append(pair)
    return tuple(pairs)


def parse_leadership(t: Table | None, default_timezone: str) -> LeadershipSettings | None:
    if t is None:
        return None
    members = tuple(t.email("members", m) for m in t.strings("members", ()))
    if not members:
        raise t.error("members", "is required: the leadership members' email addresses")
    names_table = t.sub("member_names")
    names: dict[str, str] = {}
    if names_table is not None:
        for email in list(names_table.table):
            names[names_table.email(email, email)] = names_table.get(email, str, required=True).strip()
        unknown = sorted(set(names) - set(members))
        if unknown:
            raise names_table.error(unknown[0], "is not one of leadership.members")
    items: list[StandingItem] = []
    for i, entry in enumerate(t.get("standing_item", list, [])):
        it = Table(entry, f"leadership.standing_item[{i}]", t.file)
        cadence = it.get("cadence", str, "weekly")
        if cadence not in CADENCES:
            raise it.error("cadence", f"'{cadence}' is not one of {', '.join(CADENCES)}")
        items.append(StandingItem(it.get("title", str, required=True).strip(), cadence, it.get("confidential", bool, False)))
        it.finish()
    settings = LeadershipSettings(
        title=t.get("title", str, LEADERSHIP_TITLE),
        weekday=t.weekday("weekday"),
        timezone=t.timezone("timezone", t.get("timezone", str, default_timezone)),
        members=members,
        member_names=names,
        standing_items=tuple(items),
        # The handbook: the agenda "is available to all GitLab Team Members"; false keeps it to the members.
        agenda_open_to_organization=t.get("agenda_open_to_organization", bool, True),
    )
    t.finish()
    return settings


def parse_service(t: Table) -> ServiceSettings:
    service = ServiceSettings(base_url=t.url("base_url", "http://127.0.0.1:8080"))
    t.finish()
    return service


def parse_dispatch(t: Table) -> DispatchSettings:
    mode = t.get("mode", str, "inline")
    if mode not in DISPATCH_MODES:
        raise t.error("mode", f"'{mode}' is not one of {', '.join(DISPATCH_MODES)}")
    queue = t.get("queue", str, None)
    if mode == "cloud-tasks" and not queue:
        raise t.error("queue", "is required when mode = \"cloud-tasks\"")
    if queue and not re.fullmatch(r"projects/[^/]+/locations/[^/]+/queues/[A-Za-z0-9-]+", queue):
        raise t.error("queue", f"'{queue}' is not projects/P/locations/L/queues/Q")
    # 58 of Google's 60 Docs writes per minute per identity: the benchmark (benchmarks/bench.py) measures
    # 0.967 of the quota with no 429s at 58 (55 gave 0.917, below the 0.95 target); the two spare slots
    # absorb a write from another process sharing the identity (the queue's own rate covers fan-out).
    # 0: unpaced, for the embedded default and emulator endpoints only (checked in parse_settings,
    # which knows the backend): they have no quota to wait for.
    writes = t.get("writes_per_minute", int, 58)
    if not 0 <= writes <= 600:
        raise t.error("writes_per_minute", "must be between 0 (unpaced, emulators only) and 600")
    dispatch = DispatchSettings(mode=mode, queue=queue, service_account=t.get("service_account", str, None), writes_per_minute=writes)
    if dispatch.service_account:
        t.email("service_account", dispatch.service_account)
    t.finish()
    return dispatch


def parse_auth(t: Table, env: Mapping[str, str]) -> AuthSettings:
    auth = AuthSettings(
        audience=t.get("audience", str, None),
        scheduler_service_accounts=tuple(t.email("scheduler_service_accounts", e) for e in t.strings("scheduler_service_accounts", ())),
        addon_client_ids=t.strings("addon_client_ids", ()),
        certs_url=env.get("DOCKET_AUTH_CERTS_URL") or t.url("certs_url", None),
    )
    t.finish()
    return auth


# A reference to a secret held outside docket.toml: the name of an environment variable (on Cloud
# Run filled from Secret Manager, deploy/README.md). A Chat webhook URL carries its own key and
# token, so it is a credential and never belongs in the configuration file.
_SECRET_REFERENCE = re.compile(r"env:[A-Z_][A-Z0-9_]*")


def webhook_reference(t: Table, key: str, value: str | None) -> str | None:
    """`env:NAME`, checked; the message never repeats a value that is not a reference (it may be the URL itself)."""
    if value is None:
        return None
    value = value.strip()
    if not _SECRET_REFERENCE.fullmatch(value):
        raise t.error(key, 'must name the environment variable that holds the webhook URL, e.g. "env:DOCKET_CHAT_WEBHOOK" '
                           "(the URL is a secret: keep it out of the configuration)")
    return value


def parse_reminders(t: Table | None) -> RemindersSettings:
    if t is None:
        return RemindersSettings()
    reminders = RemindersSettings(
        enabled=True,
        chat_webhook=webhook_reference(t, "chat_webhook", t.get("chat_webhook", str, None)),
        pto_calendar_id=t.get("pto_calendar_id", str, None),
        demo_time_off=t.get("demo_time_off", bool, False),
    )
    if reminders.pto_calendar_id and not re.fullmatch(r"[^\s/?#]+@[^\s/?#]+", reminders.pto_calendar_id):
        raise t.error("pto_calendar_id", f"'{reminders.pto_calendar_id}' is not a calendar id (an address like "
                                         "c_abc123@group.calendar.google.com)")
    t.finish()
    return reminders


def parse_roster(t: Table | None) -> RosterSettings:
    if t is None:
        return RosterSettings()
    roster = RosterSettings(sheet_id=t.get("sheet_id", str, required=True).strip(),
                            range=t.get("range", str, RosterSettings.range).strip())
    if not re.fullmatch(r"[A-Za-z0-9_-]{10,200}", roster.sheet_id or ""):
        raise t.error("sheet_id", f"'{roster.sheet_id}' is not a spreadsheet id (the part of the sheet's URL after /d/)")
    t.finish()
    return roster
