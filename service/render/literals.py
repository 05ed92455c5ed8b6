"""User text kept out of Jinja and Markdown: sanitising, and the private-use tokens that stand in for it."""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from service.errors import ConfigError

# Docs silently strips these from inserted text (reference §2.2); stripping them
# ourselves first keeps our UTF-16 offsets equal to what Docs stores. Lone
# surrogates (a Python str can hold them, e.g. from JSON "\ud800") cannot be
# encoded at all.
_STRIPPED = re.compile("[\u0000-\u0008\u000b-\u001f\ud800-\udfff\ue000-\uf8ff]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\t]")

# Tokens are built only from private-use characters, which Markdown treats as
# plain text and which `clean` removes from every other source, so a token can
# neither be forged by a person nor broken up by the parser.
_OPEN, _CLOSE, _INDEX_BASE, _MAX_LITERALS = "\ue000", "\ue001", 0xE100, 0x1000
TOKEN = re.compile(f"{_OPEN}[\ue100-\uf0ff]{_CLOSE}")
# A chip (a dropdown the template places in a line) stands in the text as its own token kind, and
# so does rich text (a person's words with their links, carried from an earlier week).
_CHIP_OPEN, _CHIP_CLOSE = "\ue002", "\ue003"
CHIP_TOKEN = re.compile(f"{_CHIP_OPEN}[\ue100-\uf0ff]{_CHIP_CLOSE}")
_RICH_OPEN, _RICH_CLOSE = "\ue004", "\ue005"
RICH_TOKEN = re.compile(f"{_RICH_OPEN}[\ue100-\uf0ff]{_RICH_CLOSE}")
# Links a person's text may keep; anything else is carried as plain text.
_SAFE_LINK = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)

_active: contextvars.ContextVar[LiteralRegistry | None] = contextvars.ContextVar("docket_literals", default=None)


def clean(text: str) -> str:
    """Template or user text without the characters Docs would strip (newlines kept)."""
    return _STRIPPED.sub("", text)


def clean_line(text: str) -> str:
    """User text as one line: line breaks and tabs become spaces (a leading tab would nest a list item)."""
    return clean(_LINE_BREAKS.sub(" ", text))


class Literal:
    """Text inserted exactly as typed: Jinja sees only a token, Markdown never sees the text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = clean_line(text)

    def __str__(self) -> str:
        registry = _active.get()
        # Outside a render there is nothing to protect the text from.
        return registry.token_for(self.text) if registry is not None else self.text

    def __repr__(self) -> str:
        return f"literal({self.text!r})"

    def __bool__(self) -> bool:
        return bool(self.text)

    def __len__(self) -> int:
        return len(self.text)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Literal):
            return self.text == other.text
        if isinstance(other, str):
            return self.text == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.text)


class RichText:
    """A person's text with its links (pieces of (text, url or None)): inserted literally like a
    Literal, its links kept. Only http(s) and mailto links are kept; others become plain text."""

    __slots__ = ("pieces",)

    def __init__(self, pieces: tuple[tuple[str, str | None], ...]) -> None:
        self.pieces = tuple((clean_line(text), link if link and _SAFE_LINK.match(link) else None)
                            for text, link in pieces if clean_line(text))

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)

    def __str__(self) -> str:
        registry = _active.get()
        return registry.rich_token(self) if registry is not None else self.text

    def __bool__(self) -> bool:
        return bool(self.pieces)


def literal(text: str | Literal) -> Literal:
    """Wrap user-supplied text so it is inserted literally, never parsed as Jinja or Markdown."""
    return text if isinstance(text, Literal) else Literal(text)


def chip(definition: object, option: object = None) -> str:
    """Template function `{{ chip(definition_id, option_id) }}`: a dropdown chip at this place in the line."""
    registry = _active.get()
    if registry is None:
        raise ConfigError("chip() is only available while a template renders")
    plain = (lambda v: v.text if isinstance(v, Literal) else v)
    return registry.chip_token(str(plain(definition)), None if option is None else str(plain(option)))


def wrap(value: object) -> object:
    """Context values as the templates see them: every string (and string in a list) becomes a Literal."""
    if isinstance(value, RichText):
        return value
    if isinstance(value, str):
        return Literal(value)
    if isinstance(value, (list, tuple)):
        return tuple(wrap(item) for item in value)
    return value


class LiteralRegistry:
    """The tokens handed out during one render, and the text each stands for."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._tokens: dict[str, str] = {}
        self._chips: dict[str, tuple[str, str | None]] = {}
        self._rich: dict[str, RichText] = {}

    def rich_token(self, rich: RichText) -> str:
        if len(self._rich) >= _MAX_LITERALS:
            raise ConfigError(f"more than {_MAX_LITERALS} rich texts in one template render")
        token = f"{_RICH_OPEN}{chr(_INDEX_BASE + len(self._rich))}{_RICH_CLOSE}"
        self._rich[token] = rich
        return token

    @property
    def rich(self) -> Mapping[str, RichText]:
        return dict(self._rich)

    def chip_token(self, definition: str, option: str | None) -> str:
        """A token for a dropdown chip of `definition` starting on `option`: placed by the template, never text."""
        if len(self._chips) >= _MAX_LITERALS:
            raise ConfigError(f"more than {_MAX_LITERALS} chips in one template render")
        token = f"{_CHIP_OPEN}{chr(_INDEX_BASE + len(self._chips))}{_CHIP_CLOSE}"
        self._chips[token] = (definition, option)
        return token

    @property
    def chips(self) -> Mapping[str, tuple[str, str | None]]:
        return dict(self._chips)

    def token_for(self, text: str) -> str:
        token = self._tokens.get(text)
        if token is None:
            if len(self._texts) >= _MAX_LITERALS:
                raise ConfigError(f"more than {_MAX_LITERALS} distinct context values in one template render")
            token = f"{_OPEN}{chr(_INDEX_BASE + len(self._texts))}{_CLOSE}"
            self._tokens[text] = token
            self._texts[token] = text
        return token

    @property
    def texts(self) -> Mapping[str, str]:
        return dict(self._texts)

    def clean_output(self, output: str) -> str:
        """Template output with Docs-stripped characters removed everywhere except inside real tokens."""
        pieces: list[str] = []
        last = 0
        for match in re.finditer(f"{TOKEN.pattern}|{CHIP_TOKEN.pattern}|{RICH_TOKEN.pattern}", output):
            pieces.append(clean(output[last : match.start()]))
            token = match.group()
            pieces.append(token if token in self._texts or token in self._chips or token in self._rich else "")
            last = match.end()
        pieces.append(clean(output[last:]))
        return "".join(pieces)

    @contextmanager
    def active(self) -> Iterator[LiteralRegistry]:
        reset = _active.set(self)
        try:
            yield self
        finally:
            _active.reset(reset)


def substitute(text: str, literals: Mapping[str, str]) -> str:
    """Put the literal text back where its tokens are; unknown tokens vanish (Docs would strip them)."""
    return TOKEN.sub(lambda match: literals.get(match.group(), ""), text)
