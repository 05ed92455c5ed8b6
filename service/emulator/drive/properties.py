"""A file's custom properties (appProperties, properties): patch semantics and Drive's documented limits."""

from __future__ import annotations

from service.emulator.call import invalid_value
from service.emulator.errors import ApiError

# Drive's limits (the Property resource of Drive v2 and the v3 properties guide): at most 124 bytes
# per property, key and value together in UTF-8; 30 public properties; 30 private ones per app; 100
# in all. The emulator serves one app, so appProperties (private to the requesting app) are that
# app's and the 100-in-all limit cannot be reached (30 + 30).
MAX_PROPERTY_BYTES = 124
MAX_PER_KIND = 30
_KINDS = ("appProperties", "properties")


def too_long() -> ApiError:
    # Code, reason and message as Google sends them (RichardX366/Obsidian-Google-Drive issue #34;
    # tests/emulator/captures/drive/property_too_long.json).
    return ApiError(403, "Properties and app properties are limited to 124 bytes in UTF-8 encoding, "
                    "counting both the key and the value.", reason="propertyLengthLimitExceeded")


def too_many(kind: str) -> ApiError:
    # 403 with reason propertyCountLimitExceeded is reported by public clients that crossed the
    # count limit; the message is not, so this wording is the emulator's (UNCONFIRMED).
    what = "app properties per app" if kind == "appProperties" else "properties"
    return ApiError(403, f"A file can have at most {MAX_PER_KIND} {what}.", reason="propertyCountLimitExceeded")


def byte_size(key: str, value: str) -> int:
    """What Drive counts against the 124-byte limit."""
    return len(key.encode("utf-8")) + len(value.encode("utf-8"))


def merged(current: dict, body: dict) -> dict[str, dict[str, str]]:
    """Both maps after applying `body`'s appProperties/properties to `current` (a file record, or a
    copy's source), with patch semantics: a null value deletes that key.

    Every limit is checked on the result before anything is written, so a refusal changes nothing.
    Choice: a value whose key is being deleted is not measured. The schema check upstream has already
    refused non-string values (the maps are string to string in DRIVE-DD).
    """
    result: dict[str, dict[str, str]] = {}
    for kind in _KINDS:
        target = dict(current.get(kind) or {})
        patch = body.get(kind)
        if patch is not None:
            if not isinstance(patch, dict):
                raise invalid_value(kind)
            for name, value in patch.items():
                if value is None:
                    target.pop(name, None)
                    continue
                if byte_size(name, str(value)) > MAX_PROPERTY_BYTES:
                    raise too_long()
                target[name] = str(value)
        if len(target) > MAX_PER_KIND:
            raise too_many(kind)
        result[kind] = target
    return result

