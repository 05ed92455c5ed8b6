"""Drive's files.list `q` language: parsed into a predicate over file records (400 if malformed, 501 if unmodelled)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from service.emulator.drive import index as dx
from service.emulator.drive.errors import invalid_query
from service.emulator.errors import unmodelled


@dataclass(frozen=True)
class Context:
    """What a term may consult besides the record itself."""

    index: dict
    identity: str


Predicate = Callable[[dict, Context], bool]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*')
      | (?P<op>!=|<=|>=|=|<|>)
      | (?P<punct>[(){}])
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*|-?\d+(?:\.\d+)?)
    )""",
    re.VERBOSE,
)

# Query terms Drive documents that the emulator does not evaluate: valid syntax answered with 501.
_UNMODELLED_FIELDS = frozenset(
    {"fullText", "modifiedTime", "createdTime", "viewedByMeTime", "sharedWithMe", "visibility",
     "shortcutDetails.targetId", "memberCount", "organizerCount", "hidden", "labels"}
)
_UNMODELLED_COLLECTIONS = frozenset({"owners", "writers", "readers"})


@dataclass
class _Token:
    kind: str  # string | op | punct | word | end
    text: str


def _tokens(q: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while pos < len(q):
        if q[pos:].strip() == "":
            break
        match = _TOKEN.match(q, pos)
        if match is None:
            raise invalid_query()
        kind = match.lastgroup or ""
        text = match.group(kind)
        if kind == "string":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])  # \' and \\ escapes
        out.append(_Token(kind, text))
        pos = match.end()
    out.append(_Token("end", ""))
    return out


def parse_query(q: str) -> Predicate:
    """Compile `q` to a predicate; the empty query matches everything."""
    if not q.strip():
        return lambda record, ctx: True
    parser = _Parser(_tokens(q))
    predicate = parser.disjunction()
    if parser.peek().kind != "end":
        raise invalid_query()
    return predicate


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        # Drive's connectives are case-insensitive ("AND" works); field names are not.
        if token.kind == "word" and token.text.lower() == word:
            self.pos += 1
            return True
        return False

    def expect(self, kind: str, text: str | None = None) -> _Token:
        token = self.take()
        if token.kind != kind or (text is not None and token.text != text):
            raise invalid_query()
        return token

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.keyword("or"):
            parts.append(self.conjunction())
        if len(parts) == 1:
            return parts[0]
        return lambda record, ctx: any(p(record, ctx) for p in parts)

    def conjunction(self) -> Predicate:
        parts = [self.negation()]
        while self.keyword("and"):
            parts.append(self.negation())
        if len(parts) == 1:
            return parts[0]
        return lambda record, ctx: all(p(record, ctx) for p in parts)

    def negation(self) -> Predicate:
        if self.keyword("not"):
            inner = self.negation()
            return lambda record, ctx: not inner(record, ctx)
        if self.peek().kind == "punct" and self.peek().text == "(":
            self.take()
            inner = self.disjunction()
            self.expect("punct", ")")
            return inner
        return self.term()

    def term(self) -> Predicate:
        token = self.take()
        if token.kind == "string":
            return self._membership(token.text)
        if token.kind != "word":
            raise invalid_query()
        field = token.text
        if field in ("appProperties", "properties"):
            return self._has(field)
        operator = self.take()
        if operator.kind == "word" and operator.text.lower() in ("contains", "in", "has"):
            op = operator.text.lower()
        elif operator.kind == "op":
            op = operator.text
        else:
            raise invalid_query()
        value = self.take()
        if value.kind not in ("string", "word"):
            raise invalid_query()
        if field in _UNMODELLED_FIELDS:
            raise unmodelled(f"the files.list query term `{field}`")
        if field in ("name", "mimeType"):
            return _string_term(field, op, value)
        if field in ("trashed", "starred"):
            return _boolean_term(field, op, value)
        raise invalid_query()

    def _membership(self, value: str) -> Predicate:
        if not self.keyword("in"):
            raise invalid_query()
        collection = self.expect("word").text
        if collection in _UNMODELLED_COLLECTIONS:
            raise unmodelled(f"the files.list query term `in {collection}`")
        if collection != "parents":
            raise invalid_query()
        if value == "root":
            # 'root' is the caller's My Drive root: files outside shared drives with no parent folder
            # that the caller owns. Divergence: the emulator gives My Drive files no root folder id.
            return lambda record, ctx: (
                not record.get("driveId")
                and not record.get("parents")
                and any(p["role"] == "owner" and dx.grantee_matches(p, ctx.identity)
                        for p in record.get("permissions", []))
            )
        return lambda record, ctx: value in record.get("parents", [])

    def _has(self, field: str) -> Predicate:
        if not self.keyword("has"):
            raise invalid_query()
        self.expect("punct", "{")
        pair: dict[str, str] = {}
        for position in range(2):
            name = self.expect("word").text
            if name not in ("key", "value") or name in pair:
                raise invalid_query()
            self.expect("op", "=")
            pair[name] = self.expect("string").text
            if position == 0 and not self.keyword("and"):
                # Drive requires both key and value in a `has` clause.
                raise invalid_query()
        self.expect("punct", "}")
        key, wanted = pair["key"], pair["value"]
        return lambda record, ctx: record.get(field, {}).get(key) == wanted


def _string_term(field: str, op: str, value: _Token) -> Predicate:
    if value.kind != "string" or op not in ("=", "!=", "contains"):
        raise invalid_query()
    text = value.text
    if op == "=":
        return lambda record, ctx: record.get(field) == text
    if op == "!=":
        return lambda record, ctx: record.get(field) != text
    if field == "mimeType":
        return lambda record, ctx: text in record.get(field, "")
    return lambda record, ctx: _name_contains(record.get("name", ""), text)


def _name_contains(name: str, text: str) -> bool:
    """Drive's `name contains` is prefix matching on words, case-insensitive: 'HelloWorld' matches
    'Hello' but not 'World'. Modelled as: the text occurs at the start of the name or right after a
    non-alphanumeric character."""
    haystack, needle = name.casefold(), text.casefold()
    if not needle:
        return True
    start = haystack.find(needle)
    while start != -1:
        if start == 0 or not haystack[start - 1].isalnum():
            return True
        start = haystack.find(needle, start + 1)
    return False


def _boolean_term(field: str, op: str, value: _Token) -> Predicate:
    if value.kind != "word" or value.text not in ("true", "false") or op not in ("=", "!="):
        raise invalid_query()
    wanted = value.text == "true"
    if op == "!=":
        wanted = not wanted
    if field == "trashed":
        return lambda record, ctx: dx.is_trashed(ctx.index, record) == wanted
    return lambda record, ctx: bool(record.get(field, False)) == wanted
