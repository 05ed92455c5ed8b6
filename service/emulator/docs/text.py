"""UTF-16 code-unit text: conversion, sanitising and grapheme-cluster boundaries, as the Docs API counts them."""

from __future__ import annotations

import re
import unicodedata

# The document model stores text as "unit strings": Python strings holding one
# character per UTF-16 code unit (a non-BMP character becomes its two surrogate
# characters). Then Python slicing and len() ARE Docs API index arithmetic, and
# no per-operation index translation is needed.

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# Stripped from inserted text (DOCS-DD InsertTextRequest.text: U+0000-U+0008,
# U+000C-U+001F and U+E000-U+F8FF; U+000B per a third-party observation, see
# google-apis.md §2.2). Tab (U+0009) and newline (U+000A) are kept. Lone
# surrogates are also stripped: they cannot travel in valid UTF-8 JSON, so a
# real client cannot send them; what Google would do with them is unknown.
_STRIPPED = re.compile("[\x00-\x08\x0b-\x1f\ue000-\uf8ff\ud800-\udfff]")

_ZWJ = 0x200D


def _split_astral(match: re.Match[str]) -> str:
    cp = ord(match.group()) - 0x10000
    return chr(0xD800 + (cp >> 10)) + chr(0xDC00 + (cp & 0x3FF))


def to_units(text: str) -> str:
    """A real string -> a unit string (one character per UTF-16 code unit)."""
    return _ASTRAL.sub(_split_astral, text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def from_units(units: str) -> str:
    """A unit string -> a real string (surrogate pairs recombined)."""
    if _SURROGATE.search(units) is None:
        return units
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def utf16_len(text: str) -> int:
    """Length of a real string in UTF-16 code units (an emoji counts 2)."""
    return len(text) + len(_ASTRAL.findall(text))


def sanitise(text: str) -> str:
    """Drop the characters Google silently strips from inserted text (before lengths are computed)."""
    return _STRIPPED.sub("", text)


def is_high(ch: str) -> bool:
    return "\ud800" <= ch <= "\udbff"


def is_low(ch: str) -> bool:
    return "\udc00" <= ch <= "\udfff"


def splits_pair(units: str, offset: int) -> bool:
    """True when `offset` falls between the two halves of a surrogate pair in `units`."""
    return 0 < offset < len(units) and is_low(units[offset]) and is_high(units[offset - 1])


def _code_point_at(units: str, offset: int) -> int:
    ch = units[offset]
    if is_high(ch) and offset + 1 < len(units) and is_low(units[offset + 1]):
        return 0x10000 + ((ord(ch) - 0xD800) << 10) + (ord(units[offset + 1]) - 0xDC00)
    return ord(ch)


def _code_point_before(units: str, offset: int) -> tuple[int, int]:
    """(code point ending at offset, its start offset)."""
    if offset >= 2 and is_low(units[offset - 1]) and is_high(units[offset - 2]):
        return _code_point_at(units, offset - 2), offset - 2
    return ord(units[offset - 1]), offset - 1


def _extends(cp: int) -> bool:
    """Characters that attach to the preceding one (Grapheme_Extend / SpacingMark / emoji extenders)."""
    if cp == _ZWJ or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True  # zero-width joiner, variation selectors
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:
        return True  # emoji skin-tone modifiers, emoji tag sequences (subdivision flags)
    return unicodedata.category(chr(cp)) in ("Mn", "Me", "Mc")


def _regional(cp: int) -> bool:
    return 0x1F1E6 <= cp <= 0x1F1FF


def is_cluster_boundary(units: str, offset: int) -> bool:
    """An approximation of UAX #29 extended grapheme cluster boundaries.

    Modelled: surrogate pairs, combining marks, ZWJ emoji sequences, skin-tone
    modifiers, variation selectors, tag sequences and regional-indicator flag
    pairs. Not modelled (a knowing divergence): Hangul syllable sequences,
    prepend characters and the exact GB11 pictographic condition (any
    character after a ZWJ is treated as joined).
    """
    if offset <= 0 or offset >= len(units):
        return True
    if splits_pair(units, offset):
        return False
    after = _code_point_at(units, offset)
    before, before_start = _code_point_before(units, offset)
    if after == 0x0A or before == 0x0A:
        return True  # a paragraph end is always a boundary
    if _extends(after) or before == _ZWJ:
        return False
    if _regional(after) and _regional(before):
        # A flag is a PAIR of regional indicators: count the run before us.
        count, pos = 0, offset
        while pos > 0:
            cp, start = _code_point_before(units, pos)
            if not _regional(cp):
                break
            count, pos = count + 1, start
        return count % 2 == 0
    return True


def cluster_end(units: str, offset: int) -> int:
    """Move `offset` forward to the next cluster boundary (Google inserts after the cluster, RULES)."""
    while not is_cluster_boundary(units, offset):
        offset += 1
    return offset
