"""Configuration of the work data sources: the [zendesk] and [gitlab] tables and the per-pair keys, validated.

```toml
[zendesk]                                  # the default instance
url = "https://example.zendesk.com"
email = "docket-api@example.com"           # the API user (email/token auth)
weekly_ticket_baseline = 15                # optional
requests_per_minute = 200                  # optional: Docket's pace, under the account's API limit
export_requests_per_minute = 10            # optional: the ticket event export's limit (30 with High Volume API)

[zendesk.us_federal]                       # optional further instances, by name
url = "https://example-federal.zendesk.com"
email = "docket-api@example.com"

[gitlab]
url = "https://gitlab.com"                 # optional, this is the default
requests_per_minute = 300                  # optional

[[one_on_one]]
zendesk_instance = "us_federal"            # optional: the engineer works in that instance
gitlab_username = "sam-lee"                # optional: no GitLab block without it
```

Tokens never come from docket.toml: the default instance reads DOCKET_ZENDESK_TOKEN, a named
one DOCKET_ZENDESK_TOKEN_<NAME> (upper case), GitLab DOCKET_GITLAB_TOKEN. Problems are
ConfigErrors naming the key, like the rest of docket.toml.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from service.errors import ConfigError
from service.toml_table import Table

SECTIONS = ("zendesk", "gitlab")
PAIR_KEYS = ("zendesk_instance", "gitlab_username")
DEFAULT_INSTANCE = "default"
ZENDESK_TOKEN_ENV = "DOCKET_ZENDESK_TOKEN"
NAMED_ZENDESK_TOKEN_ENV = "DOCKET_ZENDESK_TOKEN_"  # + the instance name in upper case
GITLAB_TOKEN_ENV = "DOCKET_GITLAB_TOKEN"
DEFAULT_GITLAB_URL = "https://gitlab.com"
_INSTANCE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
# GitLab usernames: letters, digits, '_', '-', '.'; not starting with '-' or ending with '.' (GitLab's path rules).
_GITLAB_USERNAME = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]{0,253}[A-Za-z0-9_-]|[A-Za-z0-9_]")


@dataclass(frozen=True)
class ZendeskInstance:
    """One Zendesk account (GitLab Support runs Global and US Federal); `token_env` names its token's variable."""

    name: str
    url: str
    email: str
    weekly_ticket_baseline: int | None
    token_env: str
    requests_per_minute: int = 200
    export_requests_per_minute: int = 10  # Zendesk's limit on the incremental exports (30 with the High Volume add-on)


@dataclass(frozen=True)
class GitLabConfig:
    url: str
    token_env: str = GITLAB_TOKEN_ENV
    requests_per_minute: int = 300


@dataclass(frozen=True)
class Limits:
    """How much one pair may cost: wall time, per-request timeout, retries, parallel requests.

    `clock` and `sleep` are the process's (tests replace them to check Retry-After without waiting).
    """

    pair_seconds: float = 30.0
    request_seconds: float = 10.0
    retries: int = 3
    workers: int = 4
    export_seconds: float = 600.0  # one weekly run's shared ticket event export, per Zendesk instance
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class PairSources:
    """Where one pair's engineer works: their Zendesk user in an instance, and their GitLab username."""

    zendesk_user_id: str
    zendesk: ZendeskInstance | None
    gitlab_username: str | None


@dataclass(frozen=True)
class WorkDataConfig:
    zendesk: Mapping[str, ZendeskInstance] = field(default_factory=dict)
    gitlab: GitLabConfig | None = None
    pairs: Mapping[tuple[str, str], PairSources] = field(default_factory=dict)
    limits: Limits = Limits()

    @property
    def enabled(self) -> bool:
        return bool(self.zendesk) or self.gitlab is not None

    def zendesk_url_for(self, manager: str, report: str, default: str) -> str:
        """The Zendesk the pair's engineer works in: their named instance's URL, else `default` ([organization] zendesk_url)."""
        sources = self.pairs.get((manager, report))
        instance = sources.zendesk if sources is not None else None
        return instance.url.rstrip("/") if instance is not None and instance.name != DEFAULT_INSTANCE else default

    def sources_for(self, manager: str, report: str) -> PairSources | None:
        """The pair's sources, or None when neither Zendesk nor GitLab applies to it (no data block)."""
        sources = self.pairs.get((manager, report))
        if sources is None or (sources.zendesk is None and sources.gitlab_username is None):
            return None
        return sources


def _zendesk_url(reader: Table, name: str) -> str:
    url = reader.url(name)
    parts = urlsplit(url)
    if parts.path not in ("", "/") or parts.query:
        raise reader.error(name, f"'{url}' must be the account's base URL, e.g. https://example.zendesk.com")
    if "." not in (parts.hostname or ""):
        # zenpy builds its URLs as <subdomain>.<domain>: a host without a dot cannot be expressed.
        raise reader.error(name, f"'{url}' needs a host name with a dot (use 127.0.0.1 rather than localhost)")
    return url


def _rate(reader: Table, default: int, key: str = "requests_per_minute") -> int:
    rate = reader.get(key, int, default)
    if not 1 <= rate <= 100_000:
        raise reader.error(key, "must be between 1 and 100000")
    return rate


def _instance(reader: Table, name: str, token_env: str) -> ZendeskInstance:
    baseline = reader.get("weekly_ticket_baseline", int, None)
    if baseline is not None and not 1 <= baseline <= 10_000:
        raise reader.error("weekly_ticket_baseline", "must be between 1 and 10000")
    # 200 a minute: Zendesk's smallest plan's account limit; the account's other integrations share it.
    return ZendeskInstance(name=name, url=_zendesk_url(reader, "url"),
                           email=reader.email("email", reader.get("email", str, required=True)),
                           weekly_ticket_baseline=baseline, token_env=token_env,
                           requests_per_minute=_rate(reader, ZendeskInstance.requests_per_minute),
                           export_requests_per_minute=_rate(reader, ZendeskInstance.export_requests_per_minute,
                                                            "export_requests_per_minute"))


def parse_zendesk(table: Any, file: str) -> dict[str, ZendeskInstance]:
    """The [zendesk] table: a default instance from its own keys, and named instances from its sub-tables."""
    if table is None:
        return {}
    reader = Table(table, "zendesk", file)
    instances: dict[str, ZendeskInstance] = {}
    named = {key: value for key, value in table.items() if isinstance(value, dict)}
    if set(table) - set(named):
        instances[DEFAULT_INSTANCE] = _instance(reader, DEFAULT_INSTANCE, ZENDESK_TOKEN_ENV)
    for name, sub in named.items():
        reader.seen.add(name)
        if name == DEFAULT_INSTANCE or not _INSTANCE_NAME.fullmatch(name):
            raise reader.error(name, "is not a Zendesk instance name (lower-case letters, digits and '_', "
                                     f"starting with a letter; '{DEFAULT_INSTANCE}' is reserved)")
        sub_reader = Table(sub, f"zendesk.{name}", file)
        instances[name] = _instance(sub_reader, name, NAMED_ZENDESK_TOKEN_ENV + name.upper())
        sub_reader.finish()
    reader.finish()
    if not instances:
        raise ConfigError("needs url and email (or named instances such as [zendesk.global])", key="zendesk", file=file)
    return instances


def parse_gitlab(table: Any, file: str) -> GitLabConfig | None:
    if table is None:
        return None
    reader = Table(table, "gitlab", file)
    config = GitLabConfig(url=reader.url("url", DEFAULT_GITLAB_URL),
                          requests_per_minute=_rate(reader, GitLabConfig.requests_per_minute))
    reader.finish()
    return config


def parse_pair(entry: Any, index: int, file: str, zendesk: Mapping[str, ZendeskInstance],
               gitlab: GitLabConfig | None) -> PairSources:
    """The work data keys of one [[one_on_one]] entry (the others are settings.py's)."""
    return parse_pair_table(Table(entry, f"one_on_one[{index}]", file), entry, zendesk, gitlab)


def parse_pair_table(reader: Table, entry: Mapping[str, Any], zendesk: Mapping[str, ZendeskInstance],
                     gitlab: GitLabConfig | None) -> PairSources:
    """The work data keys of one pair read through `reader` (a docket.toml table, or a roster sheet's row)."""
    user_id = str(entry.get("zendesk_user_id", ""))
    name = reader.get("zendesk_instance", str, None)
    instance: ZendeskInstance | None = None
    if name is not None:
        if not zendesk:
            raise reader.error("zendesk_instance", "is set but docket.toml has no [zendesk] table")
        if name not in zendesk:
            raise reader.error("zendesk_instance", f"'{name}' is not one of the configured instances "
                                                   f"({', '.join(sorted(zendesk))})")
        instance = zendesk[name]
    elif zendesk:
        if DEFAULT_INSTANCE not in zendesk:
            raise reader.error("zendesk_instance", "is required: [zendesk] only has named instances "
                                                   f"({', '.join(sorted(zendesk))})")
        instance = zendesk[DEFAULT_INSTANCE]
    username = reader.get("gitlab_username", str, None)
    if username is not None:
        username = username.strip()
        if gitlab is None:
            raise reader.error("gitlab_username", "is set but docket.toml has no [gitlab] table")
        if not _GITLAB_USERNAME.fullmatch(username):
            raise reader.error("gitlab_username", f"'{username}' is not a GitLab username (no '@', spaces or slashes)")
    return PairSources(zendesk_user_id=user_id, zendesk=instance, gitlab_username=username)


def parse_workdata(raw: Mapping[str, Any], file: str, pairs: Sequence[tuple[str, str]]) -> WorkDataConfig:
    """[zendesk], [gitlab] and the per-pair keys of a parsed docket.toml.

    `pairs` are the (manager, report) emails of raw["one_on_one"], in order, as settings.py
    validated them.
    """
    zendesk = parse_zendesk(raw.get("zendesk"), file)
    gitlab = parse_gitlab(raw.get("gitlab"), file)
    entries = raw.get("one_on_one", [])
    sources = {pair: parse_pair(entry, i, file, zendesk, gitlab) for i, (entry, pair) in enumerate(zip(entries, pairs))}
    return WorkDataConfig(zendesk=zendesk, gitlab=gitlab, pairs=sources)
