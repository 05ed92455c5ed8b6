"""The roster from a Google Sheet: one pair per row, validated exactly like a `[[one_on_one]]` table of docket.toml.

`[roster] sheet_id` (and `range`, default `Pairs!A1:K`) replaces the `[[one_on_one]]` tables. The
first row of the range names the columns — the keys of a `[[one_on_one]]` table: `manager`,
`manager_name`, `report`, `report_name`, `zendesk_user_id`, `weekday`, and the optional `timezone`,
`chat_webhook`, `prep_nudge`, `gitlab_username`, `zendesk_instance` — in any order. Each later row goes through `settings.parse_pair`,
the one parser of a pair, read with UNFORMATTED_VALUE so cells have the types TOML values have
(a checkbox is a boolean, a number a number); an empty cell is an absent key. The work data keys
(`gitlab_username`, `zendesk_instance`) go through the one parser docket.toml's pairs use
(service.workdata.config.parse_pair_table), so a sheet's pairs get their Zendesk and GitLab data.

Where the roster is resolved, and why: once per CLI run and once per HTTP request, into a copy of
the Services whose settings hold the sheet's pairs (`with_roster`). Everything that reads
`settings.one_on_ones` — the weekly job, manager links, the Docs menu, the daily job — then sees
one consistent roster for the whole run or request, and a change in the sheet takes effect at
the next run or request with no redeploy and no cache to go stale. The cost is one
spreadsheets.values.get per run or request.

A bad row is reported with its row number as Sheets shows it and skipped; the other pairs still
run. A sheet that cannot be read, or whose header lacks a column, fails the run before anything
is written. A pair that disappears from the sheet keeps its doc untouched: nothing lists it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.errors import ConfigError, DocketError, GoogleApiError
from service.google.sheet_values import read_range
from service.settings import OneOnOneSettings, Settings, parse_pair
from service.toml_table import Table
from service.workdata.config import PairSources, parse_pair_table

if TYPE_CHECKING:
    from service.google.clients import Google
    from service.services import Services

REQUIRED_COLUMNS = ("manager", "manager_name", "report", "report_name", "zendesk_user_id", "weekday")
OPTIONAL_COLUMNS = ("timezone", "chat_webhook", "prep_nudge", "gitlab_username", "zendesk_instance")


class RosterUnavailable(GoogleApiError):
    """The roster sheet cannot be read or its header is unusable: the run stops before writing anything."""

    code = "roster_unavailable"


@dataclass(frozen=True)
class RowProblem:
    row: int  # as Sheets shows it
    reason: str

    def __str__(self) -> str:
        return f"roster sheet row {self.row}: {self.reason}; the row is skipped"


@dataclass(frozen=True)
class Roster:
    pairs: tuple[OneOnOneSettings, ...]
    problems: tuple[RowProblem, ...]
    sources: dict[tuple[str, str], PairSources] = dataclasses.field(default_factory=dict)  # work data, per pair


def _header(cells: tuple[object, ...], where: str, row: int) -> list[str]:
    names = [str(c).strip().lower() if c is not None else "" for c in cells]
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    unknown = sorted({n for n in names if n and n not in known})
    if unknown:
        raise RosterUnavailable(f"{where}: header row {row} names unknown column(s) {', '.join(unknown)} "
                                f"(the columns are {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)})")
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if twice:
        raise RosterUnavailable(f"{where}: header row {row} names column(s) {', '.join(twice)} more than once")
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise RosterUnavailable(f"{where}: header row {row} lacks the column(s) {', '.join(missing)}")
    return names


def read_roster(google: Google, settings: Settings) -> Roster:
    """The pairs of the configured sheet; RosterUnavailable when the sheet cannot be used at all."""
    sheet_id, value_range = settings.roster.sheet_id, settings.roster.range
    assert sheet_id is not None
    where = f"the roster sheet {sheet_id} ({value_range})"
    try:
        values = read_range(google, sheet_id, value_range)
    except DocketError as exc:
        raise RosterUnavailable(f"{where} cannot be read: {exc.message}") from None
    if not values.rows:
        raise RosterUnavailable(f"{where} is empty: its first row must name the columns")
    names = _header(values.rows[0], where, values.first_row)
    pairs: list[OneOnOneSettings] = []
    problems: list[RowProblem] = []
    sources: dict[tuple[str, str], PairSources] = {}
    first_seen: dict[tuple[str, str], int] = {}
    for offset, cells in enumerate(values.rows[1:], start=1):
        number = values.first_row + offset
        table = {names[i]: value for i, value in enumerate(cells)
                 if i < len(names) and names[i] and not (isinstance(value, str) and not value.strip())}
        if not table:
            continue  # a blank row
        workdata = settings.workdata
        try:
            pair = parse_pair(Table(table, "", ""), settings.organization.timezone)
            pair_sources = parse_pair_table(Table(table, "", ""), table, workdata.zendesk, workdata.gitlab) \
                if workdata is not None else None
        except ConfigError as exc:
            problems.append(RowProblem(number, exc.message))
            continue
        key = (pair.manager, pair.report)
        if key in first_seen:
            problems.append(RowProblem(number, f"the pair {pair.manager} / {pair.report} is listed twice "
                                               f"(first on row {first_seen[key]})"))
            continue
        first_seen[key] = number
        pairs.append(pair)
        if pair_sources is not None:
            sources[key] = pair_sources
    return Roster(tuple(pairs), tuple(problems), sources)


def with_roster(services: Services) -> tuple[Services, Roster | None]:
    """`services` whose settings hold the sheet's pairs (the same object when no sheet is configured)."""
    settings = services.settings
    if not settings.roster.sheet_id:
        return services, None
    from service.demo import seed_demo_roster

    seed_demo_roster(services.google, settings.roster.sheet_id)
    roster = read_roster(services.google, settings)
    resolved = dataclasses.replace(settings, one_on_ones=roster.pairs)
    if settings.workdata is not None:
        resolved = dataclasses.replace(resolved, workdata=dataclasses.replace(settings.workdata, pairs=roster.sources))
    return dataclasses.replace(services, settings=resolved), roster
