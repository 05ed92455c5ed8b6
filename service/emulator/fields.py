"""Google's partial-response `fields` selector: parsing it and applying it to a JSON resource."""

from __future__ import annotations

from typing import Any

from service.emulator.errors import ApiError

# A selection maps a field name to its sub-selection; None selects the whole value.
# The key "*" selects every field at that level.
Selection = dict[str, "Selection | None"]


def _invalid(fields: str) -> ApiError:
    # Google answers a malformed selector with 400 and this wording (observed on Drive and Docs).
    return ApiError(400, f"Invalid field selection {fields}", reason="invalidParameter")


def parse_fields(fields: str) -> Selection:
    """Parse `a,b/c,d(e,f(g))` into a nested Selection; raises a 400 ApiError on bad syntax."""
    parser = _Parser(fields)
    selection = parser.selection(top=True)
    if parser.pos != len(fields):
        raise _invalid(fields)
    return selection


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _name(self) -> str:
        self._skip_space()
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos].isalnum() or self.text[self.pos] in "_*@.$-"):
            self.pos += 1
        name = self.text[start:self.pos]
        if not name:
            raise _invalid(self.text)
        self._skip_space()
        return name

    def selection(self, *, top: bool) -> Selection:
        result: Selection = {}
        while True:
            path = [self._name()]
            while self.pos < len(self.text) and self.text[self.pos] == "/":
                self.pos += 1
                path.append(self._name())
            sub: Selection | None = None
            if self.pos < len(self.text) and self.text[self.pos] == "(":
                self.pos += 1
                sub = self.selection(top=False)
                if self.pos >= len(self.text) or self.text[self.pos] != ")":
                    raise _invalid(self.text)
                self.pos += 1
                self._skip_space()
            # a/b/c(d) is a(b(c(d))): build the chain inside out.
            for name in reversed(path[1:]):
                sub = {name: sub}
            _merge(result, path[0], sub)
            if self.pos < len(self.text) and self.text[self.pos] == ",":
                self.pos += 1
                continue
            if not top and (self.pos >= len(self.text) or self.text[self.pos] != ")"):
                raise _invalid(self.text)
            return result


def _merge(into: Selection, name: str, sub: Selection | None) -> None:
    """`a(b),a(c)` selects a(b,c); a whole-value selection absorbs any narrower one."""
    if name in into:
        existing = into[name]
        if existing is None or sub is None:
            into[name] = None
            return
        for key, value in sub.items():
            _merge(existing, key, value)
    else:
        into[name] = sub


def apply_selection(value: Any, selection: Selection | None) -> Any:
    """Keep only the selected fields; lists are filtered element-wise; unknown names are absent."""
    if selection is None:
        return value
    if isinstance(value, list):
        return [apply_selection(item, selection) for item in value]
    if not isinstance(value, dict):
        # Selecting sub-fields of a scalar: Google returns the scalar unchanged.
        return value
    out: dict = {}
    if "*" in selection:
        star = selection["*"]
        for key, item in value.items():
            out[key] = apply_selection(item, star)
    for key, sub in selection.items():
        if key != "*" and key in value:
            out[key] = apply_selection(value[key], sub)
    return out


def select(resource: dict, fields: str | None, default: str | None = None) -> dict:
    """The partial response: `fields` if the caller gave one, else the method's default mask."""
    mask = fields if fields is not None and fields.strip() else default
    if mask is None:
        return resource
    return apply_selection(resource, parse_fields(mask))


def mentions(fields: str | None, name: str) -> bool:
    """Whether a top-level field is named in the selector (e.g. Docs' `tabs` implying includeTabsContent)."""
    if not fields:
        return False
    return name in parse_fields(fields)
