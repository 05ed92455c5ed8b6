"""Parses rendered Markdown (with literal tokens) into Docs-shaped blocks, using markdown-it-py."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import mdurl
from markdown_it import MarkdownIt
from markdown_it.token import Token

from service.errors import ConfigError
from service.render.blocks import Block, Chip, ListKind, Span, utf16_len
from service.render.literals import CHIP_TOKEN, RICH_TOKEN, RichText, substitute

# CommonMark without raw HTML: "<b>" typed in a template is text, not markup.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})

# GitHub task-list syntax, matched on the item's *source* so that an escaped
# "\[ ] x" stays a plain bullet.
_TASK = re.compile(r"\[[ xX]\](?=\s|$)")
_ALLOWED_HREF = re.compile(r"(?:https?://|mailto:)\S", re.IGNORECASE)
# Chips and rich text: tokens the walker replaces by a chip or by styled spans.
_SPECIAL = re.compile(f"{CHIP_TOKEN.pattern}|{RICH_TOKEN.pattern}")
# Only our own leading tabs may start a paragraph: Docs turns them into nesting.
_WHITESPACE = re.compile(r"[\t\r\n\v]")

_UNSUPPORTED = {
    "blockquote_open": "block quotes",
    "code_block": "indented code blocks (check the template's indentation)",
    "fence": "fenced code blocks",
    "hr": "horizontal rules",
    "html_block": "raw HTML",
    "table_open": "tables",
    "image": "images",
}


@dataclass
class _Item:
    kind: ListKind
    depth: int
    starts_list: bool
    paragraphs: int = 0


@dataclass
class _Walker:
    literals: Mapping[str, str]
    chips: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)
    rich: Mapping[str, RichText] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    lists: list[ListKind] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    heading_level: int = 0
    next_starts_list: bool = False

    def walk(self, tokens: Sequence[Token]) -> tuple[Block, ...]:
        for token in tokens:
            if token.type in _UNSUPPORTED:
                raise ConfigError(f"Markdown {_UNSUPPORTED[token.type]} are not supported in Docket templates")
            handler = getattr(self, "_" + token.type, None)
            if handler is not None:
                handler(token)
        return tuple(self.blocks)

    def _bullet_list_open(self, token: Token) -> None:
        self.next_starts_list = not self.lists
        self.lists.append("bullet")

    def _ordered_list_open(self, token: Token) -> None:
        self.next_starts_list = not self.lists
        self.lists.append("number")

    def _bullet_list_close(self, token: Token) -> None:
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token: Token) -> None:
        self.items.append(_Item(self.lists[-1], len(self.lists) - 1, self.next_starts_list))
        self.next_starts_list = False

    def _list_item_close(self, token: Token) -> None:
        item = self.items.pop()
        if item.paragraphs == 0:  # "-" or "1." with nothing after it: an empty item to type into
            self.blocks.append(Block("list_item", (), list_kind=item.kind, depth=item.depth, starts_list=item.starts_list))

    def _heading_open(self, token: Token) -> None:
        self.heading_level = int(token.tag[1:])

    def _heading_close(self, token: Token) -> None:
        self.heading_level = 0

    def _inline(self, token: Token) -> None:
        children = list(token.children or [])
        if self.heading_level:
            spans, chips = self._spans(children)
            self.blocks.append(Block("heading", spans, level=self.heading_level, chips=chips))
        elif not self.items:
            spans, chips = self._spans(children)
            self.blocks.append(Block("paragraph", spans, chips=chips))
        else:
            item = self.items[-1]
            item.paragraphs += 1
            if item.paragraphs > 1:
                raise ConfigError("a list item with more than one paragraph cannot be written to Docs")
            kind = item.kind
            if _TASK.match(token.content):
                kind = "checkbox"
                children = _without_task_marker(children)
            spans, chips = self._spans(children)
            block = Block("list_item", spans, list_kind=kind, depth=item.depth, starts_list=item.starts_list, chips=chips)
            self.blocks.append(block)

    def _spans(self, children: Sequence[Token]) -> tuple[tuple[Span, ...], tuple[Chip, ...]]:
        """The paragraph's styled spans, and the chips placed in it (at their offsets in its text)."""
        spans: list[Span] = []
        chips: list[Chip] = []
        bold = italic = 0
        links: list[str] = []
        for child in children:
            text = ""
            if child.type in ("text", "code_inline") and _SPECIAL.search(child.content):
                last = 0
                for match in _SPECIAL.finditer(child.content):
                    piece = _WHITESPACE.sub(" ", substitute(child.content[last:match.start()], self.literals))
                    if piece:
                        _append(spans, Span(piece, bold > 0, italic > 0, links[-1] if links else None))
                    token = match.group()
                    if token in self.chips:
                        definition, option = self.chips[token]
                        chips.append(Chip(sum(utf16_len(sp.text) for sp in spans), definition, option))
                    elif token in self.rich:
                        for words, link in self.rich[token].pieces:
                            _append(spans, Span(words, bold > 0, italic > 0, link or (links[-1] if links else None)))
                    last = match.end()
                text = substitute(child.content[last:], self.literals)
            elif child.type in ("text", "code_inline"):
                text = substitute(child.content, self.literals)
            elif child.type in ("softbreak", "hardbreak"):
                text = " "  # Docs paragraphs have no line breaks we can insert (U+000B is stripped)
            elif child.type == "strong_open":
                bold += 1
            elif child.type == "strong_close":
                bold -= 1
            elif child.type == "em_open":
                italic += 1
            elif child.type == "em_close":
                italic -= 1
            elif child.type == "link_open":
                links.append(self._href(str(child.attrs.get("href", ""))))
            elif child.type == "link_close":
                links.pop()
            elif child.type in _UNSUPPORTED:
                raise ConfigError(f"Markdown {_UNSUPPORTED[child.type]} are not supported in Docket templates")
            else:
                raise ConfigError(f"Markdown inline element '{child.type}' is not supported in Docket templates")
            if text:
                _append(spans, Span(_WHITESPACE.sub(" ", text), bold > 0, italic > 0, links[-1] if links else None))
        return tuple(spans), tuple(chips)

    def _href(self, href: str) -> str:
        has_literal = False
        for token, text in self.literals.items():
            # markdown-it percent-encodes the (non-ASCII) token inside link targets.
            for form in (mdurl.encode(token), token):
                if form in href:
                    has_literal = True
                    href = href.replace(form, mdurl.encode(text))
        if not _ALLOWED_HREF.match(href):
            shown = "built from context values" if has_literal else repr(href)
            raise ConfigError(f"link target ({shown}) is not an absolute http(s) or mailto URL")
        return href


def _without_task_marker(children: list[Token]) -> list[Token]:
    first = children[0] if children else None
    if first is None or first.type != "text" or not _TASK.match(first.content):
        return children  # the marker sits in the source but not in a text token: leave it be
    rest = first.content[3:]
    rest = rest[1:] if rest[:1] in (" ", "\t") else rest
    stripped = Token("text", "", 0, content=rest)
    return [stripped, *children[1:]]


def _append(spans: list[Span], span: Span) -> None:
    if spans and spans[-1].same_style(span):
        spans[-1] = Span(spans[-1].text + span.text, span.bold, span.italic, span.link)
    else:
        spans.append(span)


def parse(markdown_text: str, literals: Mapping[str, str] | None = None,
          chips: Mapping[str, tuple[str, str | None]] | None = None, rich: Mapping[str, RichText] | None = None) -> tuple[Block, ...]:
    """Headings, paragraphs and (nested, numbered, checklist) list items of `markdown_text`.

    `literals` maps the private-use tokens of a render to the user text they
    stand for; the text replaces its token only after parsing, so it is never
    read as Markdown.
    """
    return _Walker(literals or {}, chips or {}, rich or {}).walk(_MARKDOWN.parse(markdown_text))
