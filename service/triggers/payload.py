"""Reads a request's JSON body against a fixed set of typed fields (the HTTP edge: raw dicts stop here).

Error messages name the field and the problem, never the value: a rejected body may be a
confidential agenda item. An unknown field is not named either: its name is content the caller
sent (a confidential item typed as a key, say); the message lists the fields that are accepted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Request
from werkzeug.exceptions import UnsupportedMediaType

from service.calendar import parse_date
from service.errors import BadRequest, ValidationError


# Drive file ids use the URL-safe base64 alphabet; anything else cannot be a document id and
# must not reach a request URL (a "/" would address another API method).
_DOCUMENT_ID = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass(frozen=True)
class Field:
    name: str
    required: bool = True
    max_length: int = 1024
    pattern: re.Pattern[str] | None = None
    shape: str = ""


def document_id_field(name: str = "documentId") -> Field:
    return Field(name, max_length=256, pattern=_DOCUMENT_ID, shape="a Google Docs document id")


def read_json(request: Request, fields: Mapping[str, Field], *, optional_body: bool = False) -> dict[str, str]:
    """The body's fields, all strings; 400 for bad JSON, wrong types, missing or unknown fields, 415 for non-JSON.

    An empty body counts as `{}` when `optional_body` (Cloud Scheduler may send none).
    """
    raw = request.get_data(cache=True)
    if not raw.strip():
        if optional_body:
            body: Any = {}
        else:
            raise BadRequest("a JSON object body is required")
    else:
        if request.mimetype != "application/json":
            # Also stops cross-site HTML forms, which cannot send application/json.
            raise UnsupportedMediaType("the body must be JSON (Content-Type: application/json)")
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: absurdly deep nesting is malformed input, not a server fault.
            raise BadRequest("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ValidationError("body", "must be a JSON object")
    unknown = sum(1 for name in body if name not in fields)
    if unknown:
        raise ValidationError("body", f"has {unknown} unknown field(s); the fields are {', '.join(fields)}")
    values: dict[str, str] = {}
    for name, field in fields.items():
        if name not in body or body[name] is None:
            if field.required:
                raise ValidationError(name, "is required")
            continue
        value = body[name]
        if not isinstance(value, str):
            raise ValidationError(name, "must be a string")
        if not value.strip():
            raise ValidationError(name, "must not be empty")
        if len(value) > field.max_length:
            raise ValidationError(name, f"must be at most {field.max_length} characters")
        if field.pattern is not None and not field.pattern.fullmatch(value):
            raise ValidationError(name, f"is not {field.shape}")
        values[name] = value
    return values


def date_field(values: Mapping[str, str], name: str = "date") -> date | None:
    """A YYYY-MM-DD field, or None when absent."""
    text = values.get(name)
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError:
        raise ValidationError(name, "must be a date in the form YYYY-MM-DD") from None
