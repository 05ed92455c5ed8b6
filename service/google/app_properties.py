"""Docket's Drive appProperties: how they are named, and Drive's limit on each (124 bytes, key and value in UTF-8)."""

from __future__ import annotations

PREFIX = "docket_"
# Drive: "Maximum of 124 bytes size limit on (key + value) string in UTF-8 encoding for a single
# property"; beyond it files.create and files.update answer 403 propertyLengthLimitExceeded.
MAX_BYTES = 124


def name(field: str) -> str:
    """The appProperty a document carries for one of its identifying fields ("manager" → "docket_manager")."""
    return PREFIX + field


def size(key: str, value: str) -> int:
    """What Drive counts against MAX_BYTES."""
    return len(key.encode("utf-8")) + len(value.encode("utf-8"))
