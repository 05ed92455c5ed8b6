"""The Markdown parse: which blocks and spans markdown-it's tokens become."""

from __future__ import annotations

import pytest

from service.errors import ConfigError
from service.render.blocks import Block, Span
from service.render.markdown import parse


def test_headings_levels_and_paragraphs() -> None:
    blocks = parse("# One\n\n###### Six\n\nplain text\nwrapped line\n")
    assert blocks == (
        Block("heading", (Span("One"),), level=1),
        Block("heading", (Span("Six"),), level=6),
        Block("paragraph", (Span("plain text wrapped line"),)),  # soft break → space
    )


def test_bold_italic_and_links_become_spans() -> None:
    (block,) = parse("a **b *c*** [d **e**](https://x.example/p?q=1) f\n")
    assert block.spans == (
        Span("a "),
        Span("b ", bold=True),
        Span("c", bold=True, italic=True),
        Span(" "),
        Span("d ", link="https://x.example/p?q=1"),
        Span("e", bold=True, link="https://x.example/p?q=1"),
        Span(" f"),
    )


def test_adjacent_spans_of_one_style_merge() -> None:
    (block,) = parse("a `code` b\\*c\n")
    assert block.spans == (Span("a code b*c"),)  # escapes work; inline code is plain text


def test_checklists_checked_or_not_and_empty() -> None:
    blocks = parse("- [ ] open\n- [x] done\n- [X] also\n- [ ]\n")
    assert [(b.list_kind, b.plain) for b in blocks] == [
        ("checkbox", "open"),
        ("checkbox", "done"),
        ("checkbox", "also"),
        ("checkbox", ""),
    ]


def test_escaped_or_unspaced_brackets_are_not_checkboxes() -> None:
    blocks = parse("- \\[ ] escaped\n- [ ]x tight\n- [link](https://a.example)\n")
    assert [(b.list_kind, b.plain) for b in blocks] == [
        ("bullet", "[ ] escaped"),
        ("bullet", "[ ]x tight"),
        ("bullet", "link"),
    ]


def test_nested_lists_carry_depth_and_kind() -> None:
    blocks = parse("1. one\n   - a\n     1. deep\n2. two\n")
    assert [(b.list_kind, b.depth, b.plain, b.starts_list) for b in blocks] == [
        ("number", 0, "one", True),
        ("bullet", 1, "a", False),
        ("number", 2, "deep", False),
        ("number", 0, "two", False),
    ]


def test_empty_list_item_is_an_empty_paragraph_to_type_into() -> None:
    assert parse("-\n") == (Block("list_item", (), list_kind="bullet", starts_list=True),)


def test_a_second_list_starts_a_new_list() -> None:
    blocks = parse("- a\n- b\n\n* c\n")  # a new bullet character starts a new list in CommonMark
    assert [b.starts_list for b in blocks] == [True, False, True]


def test_raw_html_is_text() -> None:
    (block,) = parse("<b>x</b> &amp;\n")
    assert block.plain == "<b>x</b> &"


@pytest.mark.parametrize(
    "source",
    ["    indented code\n", "```\nfence\n```\n", "> quote\n", "---\n", "![img](https://a.example/i.png)\n", "- a\n\n  second paragraph\n"],
)
def test_markdown_docs_cannot_hold_is_refused(source: str) -> None:
    with pytest.raises(ConfigError):
        parse(source)


@pytest.mark.parametrize("href", ["/handbook/relative", "ftp://x.example", "#heading"])
def test_links_must_be_absolute_http_or_mailto(href: str) -> None:
    with pytest.raises(ConfigError, match="absolute"):
        parse(f"[x]({href})\n")


def test_script_links_stay_text() -> None:
    (block,) = parse("[x](javascript:alert(1))\n")  # markdown-it's own validateLink refuses it
    assert block.spans == (Span("[x](javascript:alert(1))"),)


def test_mailto_links_are_allowed() -> None:
    (block,) = parse("[mail](mailto:a@example.com)\n")
    assert block.spans == (Span("mail", link="mailto:a@example.com"),)
