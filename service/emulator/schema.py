"""Request bodies checked against the discovery documents' schemas, as Google's JSON front end does before any handler."""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib.resources import files
from typing import Any

from service.emulator.errors import ApiError

_VERSIONS = {"docs": "docs.v1.json", "drive": "drive.v3.json", "calendar": "calendar.v3.json", "sheets": "sheets.v4.json"}
_INTEGER = re.compile(r"-?\d+")


@lru_cache(maxsize=None)
def discovery(api: str) -> dict:
    """The discovery document the client library itself ships (the same revision Docket is built against)."""
    path = files("googleapiclient") / "discovery_cache" / "documents" / _VERSIONS[api]
    return json.loads(path.read_text(encoding="utf-8"))


def method(route_name: str) -> dict | None:
    """The discovery entry of a route named "api.resource[.sub-resource…].method" (e.g. "drive.files.create",
    "sheets.spreadsheets.values.get")."""
    api, *resources, name = route_name.split(".")
    if api not in _VERSIONS:
        return None  # not a Google API (the emulator's own test hooks): nothing to check against
    node: dict = discovery(api)
    for resource in resources:
        node = node.get("resources", {}).get(resource, {})
    return node.get("methods", {}).get(name)


def parameter_type(route_name: str, parameter: str) -> str | None:
    entry = method(route_name) or {}
    found = entry.get("parameters", {}).get(parameter)
    return None if found is None else found.get("type")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


class _Invalid(Exception):
    def __init__(self, path: list[str], kind: str, value: Any) -> None:
        super().__init__(kind)
        self.path, self.kind, self.value = path, kind, value


_PACKAGES = {"docs": "google.apps.docs.v1."}


def _kind(schema: dict, api: str = "docs") -> str:
    """Google's name for the expected type in "Invalid value at '…' (<kind>), <value>"."""
    if "$ref" in schema:
        return f"type.googleapis.com/{_PACKAGES.get(api, '')}{schema['$ref']}"
    if "enum" in schema:
        return "TYPE_ENUM"  # Google names the proto enum type here; discovery does not carry it
    return {"string": "TYPE_STRING", "boolean": "TYPE_BOOL", "integer": "TYPE_INT32",
            "number": "TYPE_DOUBLE"}.get(schema.get("type", ""), "TYPE_MESSAGE")


class _Unknown(Exception):
    def __init__(self, path: list[str], name: str) -> None:
        super().__init__(name)
        self.path, self.name = path, name


class _Checker:
    def __init__(self, api: str) -> None:
        self.schemas = discovery(api)["schemas"]
        # Drive's front end binds the body to its proto and refuses names the schema does not have
        # (a v2 `title` on a v3 File); Docs leaves unknown names to each handler's own words.
        self.strict = api == "drive"

    def value(self, schema: dict, value: Any, path: list[str]) -> Any:
        """`value` checked against `schema`, normalised as proto3 JSON parsing would (e.g. "7" → 7 for an int32)."""
        if value is None:
            return None  # proto3 JSON: null is the default value (Drive maps also read it as "delete the key")
        if "$ref" in schema:
            return self.message(schema["$ref"], value, path, schema)
        kind = schema.get("type")
        if kind == "string":
            if not isinstance(value, str):
                raise _Invalid(path, _kind(schema), value)
            if "enum" in schema and value not in schema["enum"]:
                # Choice: proto3 JSON would also accept an enum's number; the emulator asks for the name.
                raise _Invalid(path, _kind(schema), value)
            return value
        if kind == "boolean":
            if not isinstance(value, bool):
                raise _Invalid(path, _kind(schema), value)
            return value
        if kind == "integer":
            return self._integer(schema, value, path)
        if kind == "number":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return value
            if isinstance(value, str):
                # proto3 JSON accepts a number as a string. Divergence: NaN and the infinities (also
                # accepted by Google) are refused, as the store's JSON could not hold them.
                try:
                    number = float(value)
                except ValueError:
                    number = math.nan
                if math.isfinite(number):
                    return number
            raise _Invalid(path, _kind(schema), value)
        if kind == "array":
            if not isinstance(value, list):
                raise _Invalid(path, _kind(schema.get("items", {})), value)
            items = schema.get("items", {})
            return [self.value(items, item, path[:-1] + [f"{path[-1]}[{n}]"]) for n, item in enumerate(value)]
        if kind == "object":
            if not isinstance(value, dict):
                raise _Invalid(path, "TYPE_MESSAGE", value)
            if "additionalProperties" in schema:  # a map: every value has the same schema
                return {k: self.value(schema["additionalProperties"], v, path + [k]) for k, v in value.items()}
            return value
        return value  # "any" and untyped: nothing to check

    def _integer(self, schema: dict, value: Any, path: list[str]) -> Any:
        if isinstance(value, bool):
            raise _Invalid(path, _kind(schema), value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # proto3 JSON parsers accept 1.0 for an integer
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            # int64 stays a string as JSON carries it; int32 is read as the number it names.
            return value if schema.get("format") in ("int64", "uint64") else int(value)
        if not isinstance(value, int):
            raise _Invalid(path, _kind(schema), value)
        return value

    def message(self, name: str, value: Any, path: list[str], schema: dict | None = None) -> Any:
        if not isinstance(value, dict):
            raise _Invalid(path, _kind(schema or {"$ref": name}), value)
        properties = self.schemas[name].get("properties", {})
        out = {}
        for key, item in value.items():
            if key not in properties and self.strict:
                raise _Unknown(path, key)
            # Otherwise unknown keys pass through: each handler refuses them in its own words.
            out[key] = self.value(properties[key], item, path + [key]) if key in properties else item
        return out


def _render(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:200] + "…"


def check_request_body(api: str, route_name: str, body: dict) -> dict:
    """The body checked against the method's request schema and normalised; a 400 on a wrongly typed value.

    Docs answers in its observed ESF wording, "Invalid value at '<snake path>' (<type>), <value>";
    the path is rooted at the body's field name in the HTTP binding ("document" for
    documents.create; none for batchUpdate, whose whole body is the request). Drive answers
    its "Invalid Value" (reason invalid) with the field path as the error's location; that
    Drive puts the location there for body values is UNCONFIRMED.
    """
    entry = method(route_name) or {}
    ref = entry.get("request", {}).get("$ref")
    if ref is None:
        return body
    root = {"docs.documents.create": ["document"]}.get(route_name, [])
    try:
        return _Checker(api).message(ref, body, root)
    except _Unknown as error:
        raise _unknown_name(error) from None
    except _Invalid as error:
        if api == "drive":
            location = ".".join(error.path)
            raise ApiError(400, "Invalid Value", reason="invalid", location=location, location_type="other") from None
        # Field names in snake case as the proto has them; a list index stays as "[n]".
        where = ".".join(_snake(name) + bracket + index
                         for name, bracket, index in (part.partition("[") for part in error.path))
        raise ApiError(400, f"Invalid value at '{where}' ({error.kind}), {_render(error.value)}") from None


def _unknown_name(error: _Unknown) -> ApiError:
    """Drive's 400 for a body field its schema does not have.

    Drive's JSON front end names the request body 'payload' and answers in the google.rpc style,
    with errors[0] (reason invalid, no domain) and a BadRequest field violation: observed for a
    wrongly typed copy body (googleapis/google-api-php-client issue #2401,
    tests/emulator/captures/drive/copy_body_invalid_value.json). The wording for an unknown name is
    that front end's ("Invalid JSON payload received. Unknown name ... Cannot find field."), as other
    Google APIs are seen to send it; that Drive sends exactly this for an unknown name is UNCONFIRMED.
    """
    where = ".".join(["payload", *(_snake(part) for part in error.path)])
    message = f"Invalid JSON payload received. Unknown name \"{error.name}\" at '{where}': Cannot find field."
    violation = {"@type": "type.googleapis.com/google.rpc.BadRequest",
                 "fieldViolations": [{"field": where, "description": message}]}
    return ApiError(400, message, reason="invalid", domain=None, details=[violation])


def _unknown_field(schemas: dict, schema: dict, selection: dict) -> str | None:
    """The first selected name the response schema does not define, or None."""
    while "$ref" in schema or schema.get("type") == "array":
        schema = schemas[schema["$ref"]] if "$ref" in schema else schema.get("items", {})
    if "additionalProperties" in schema:
        return None  # a map: its keys are data, so any name may be selected
    properties = schema.get("properties")
    if properties is None:
        return None  # sub-fields of a scalar: Google answers the scalar whole (see fields.apply_selection)
    for name, sub in selection.items():
        if name == "*":
            continue
        if name not in properties:
            return name
        if sub is not None:
            bad = _unknown_field(schemas, properties[name], sub)
            if bad is not None:
                return bad
    return None


def check_selection(api: str, route_name: str, selection: dict) -> None:
    """Refuse a `fields` selector naming a field the method's response does not have.

    Drive's answer is observed: 400 "Invalid field selection <name>", reason invalidParameter,
    location "fields". Choice for Docs (its wording is UNCONFIRMED): the same message, in the
    google.rpc style without an `errors` entry, like the emulator's other Docs errors.
    """
    ref = (method(route_name) or {}).get("response", {}).get("$ref")
    if ref is None:
        return
    bad = _unknown_field(discovery(api)["schemas"], {"$ref": ref}, selection)
    if bad is None:
        return
    message = f"Invalid field selection {bad}"
    if api == "drive":
        raise ApiError(400, message, reason="invalidParameter", location="fields", location_type="parameter")
    raise ApiError(400, message)
