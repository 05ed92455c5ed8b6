"""Zendesk's search query language, the ticket subset: parse a query and test tickets against it.

Modelled (tickets only): `type:ticket`, `commenter:`, `assignee:`, `requester:` with a user id
(or `none` for assignee), `status` with `: < > <= >=` over new < open < pending < hold <
solved < closed, `created` / `updated` with the same operators over a date (YYYY-MM-DD) or a
UTC time (YYYY-MM-DDTHH:MM:SSZ), quoted values, and `-` negation. Terms are ANDed, as in Zendesk.

Choices where Zendesk is not explicit, written here as the docs ask: a bare date is a UTC day
(real Zendesk uses the account's time zone); `>` on a date means after that whole day, `<` before
it, `:` within it. Free text and any other keyword answer 501 naming them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from service.emulator.zendesk.errors import invalid_search, unmodelled
from service.emulator.zendesk.model import STATUSES, Ticket, ZendeskState

_TERM = re.compile(r'(?P<neg>-)?(?P<key>[a-z_]+)(?P<op>>=|<=|:|>|<)(?P<value>"[^"]*"|\S+)')
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$")
_USER_KEYS = {"commenter", "assignee", "requester"}
_ALIASES = {"updated_at": "updated", "created_at": "created"}

Predicate = Callable[[Ticket, ZendeskState], bool]


@dataclass(frozen=True)
class Query:
    """A parsed query: the object type asked for and the conditions a ticket must meet."""

    type: str | None
    predicates: tuple[Predicate, ...]

    def matches(self, ticket: Ticket, state: ZendeskState) -> bool:
        return all(p(ticket, state) for p in self.predicates)


def _tokens(query: str) -> list[str]:
    return re.findall(r'-?[a-z_]+(?:>=|<=|:|>|<)"[^"]*"|\S+', query)


def parse(query: str) -> Query:
    """Parse a search query; raises ZendeskError (422 invalid, 501 unmodelled)."""
    kind: str | None = None
    predicates: list[Predicate] = []
    for token in _tokens(query):
        match = _TERM.fullmatch(token)
        if match is None:
            raise unmodelled(f"free-text search terms (the term {token!r})")
        key = _ALIASES.get(match["key"], match["key"])
        op, value, negate = match["op"], match["value"].strip('"'), bool(match["neg"])
        if key == "type":
            if op != ":" or negate:
                raise invalid_search(f"type must be given as type:<object>, not {token!r}")
            if value != "ticket":
                raise unmodelled(f"searching for type:{value} (only tickets are modelled)")
            kind = value
            continue
        if key in _USER_KEYS:
            predicate = _user(key, op, value)
        elif key == "status":
            predicate = _status(op, value)
        elif key in ("created", "updated"):
            predicate = _time(key, op, value)
        else:
            raise unmodelled(f"the search keyword {key!r}")
        predicates.append((lambda p: lambda t, s: not p(t, s))(predicate) if negate else predicate)
    return Query(kind, tuple(predicates))


def _user(key: str, op: str, value: str) -> Predicate:
    if op != ":":
        raise invalid_search(f"{key} takes ':' , not {op!r}")
    if key == "assignee" and value == "none":
        return lambda t, s: t.assignee_id is None
    if not value.isdigit():
        raise unmodelled(f"{key}:{value} (users are matched by id only)")
    user_id = int(value)
    if key == "commenter":
        return lambda t, s: user_id in s.commenter_ids(t.id)
    if key == "assignee":
        return lambda t, s: t.assignee_id == user_id
    return lambda t, s: t.requester_id == user_id


def _status(op: str, value: str) -> Predicate:
    if value not in STATUSES:
        raise invalid_search(f"unknown status {value!r}")
    rank = STATUSES.index(value)
    compare = {":": rank.__eq__, ">": rank.__lt__, "<": rank.__gt__, ">=": rank.__le__, "<=": rank.__ge__}[op]
    return lambda t, s: compare(STATUSES.index(t.status))


def _time(key: str, op: str, value: str) -> Predicate:
    if _DATE.match(value):
        day = date.fromisoformat(value)
        start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        end = start + timedelta(days=1)
        low, high = {":": (start, end), ">": (end, None), ">=": (start, None), "<": (None, start), "<=": (None, end)}[op]
    elif _TIME.match(value):
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
        after = instant + timedelta(seconds=1)
        low, high = {":": (instant, after), ">": (after, None), ">=": (instant, None), "<": (None, instant),
                     "<=": (None, after)}[op]
    else:
        raise unmodelled(f"the {key} value {value!r} (dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ are modelled)")

    def check(ticket: Ticket, _state: ZendeskState) -> bool:
        when = ticket.updated_at if key == "updated" else ticket.created_at
        assert when is not None
        return (low is None or when >= low) and (high is None or when < high)

    return check
