"""Reads one table of docket.toml: typed values, the house validators (emails, zones, weekdays, URLs), and unknown keys reported by name."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from service.errors import ConfigError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")


class Table:
    """One table, remembering which keys were read so unknown ones can be reported."""

    def __init__(self, table: Any, path: str, file: str) -> None:
        if not isinstance(table, dict):
            raise ConfigError("must be a table", key=path or "(top level)", file=file)
        self.table, self.path, self.file = table, path, file
        self.seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str, message: str) -> ConfigError:
        return ConfigError(message, key=self.key(name), file=self.file)

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ..., *, required: bool = False) -> Any:
        self.seen.add(name)
        if name not in self.table:
            if required or default is ...:
                raise self.error(name, "is required")
            return default
        value = self.table[name]
        if kind is str and isinstance(value, str) and not value.strip():
            raise self.error(name, "must not be empty")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.error(name, f"must be a {expected}, not {type(value).__name__}")
        return value

    def strings(self, name: str, default: Any = ...) -> tuple[str, ...]:
        values = self.get(name, list, default)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise self.error(name, "must be a list of non-empty strings")
        return tuple(values)

    def sub(self, name: str, *, optional: bool = True) -> Table | None:
        self.seen.add(name)
        if name not in self.table:
            if optional:
                return None
            raise self.error(name, "is required")
        return Table(self.table[name], self.key(name), self.file)

    def section(self, name: str) -> Table:
        """An optional sub-table, empty when absent (its keys' defaults then apply)."""
        return self.sub(name) or Table({}, self.key(name), self.file)

    def finish(self) -> None:
        unknown = sorted(set(self.table) - self.seen)
        if unknown:
            raise self.error(unknown[0], "unknown key")

    # --- the house validators ------------------------------------------------------------------

    def email(self, name: str, value: str) -> str:
        if not _EMAIL.match(value):
            raise self.error(name, f"'{value}' is not an email address")
        return value.lower()

    def timezone(self, name: str, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.error(name, f"'{value}' is not an IANA time zone (e.g. 'Europe/Berlin')") from None
        return value

    def weekday(self, name: str) -> int:
        value = self.get(name, str, required=True).strip().lower()
        if value not in WEEKDAYS:
            raise self.error(name, f"'{value}' is not a weekday (monday … sunday)")
        return WEEKDAYS.index(value)

    def url(self, name: str, default: Any = ...) -> Any:
        value = self.get(name, str, default)
        if isinstance(value, str) and not re.match(r"^https?://[^\s/]+", value):
            raise self.error(name, f"'{value}' is not an http(s) URL")
        return value.rstrip("/") if isinstance(value, str) else value


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value))
