"""Templates: user text stays literal, Docs-stripped characters go, and mistakes are ConfigErrors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from service.errors import ConfigError
from service.render.blocks import Span
from service.render.templates import TemplateLibrary, literal

Write = Callable[[str, str], None]

HOSTILE = [
    "**not bold**",
    "*not italic* _nor this_",
    "[not a link](https://evil.example)",
    "<https://evil.example>",
    "{{ pair.secret }} {% if x %}jinja{% endif %} {# c #}",
    "# not a heading",
    "- not a list",
    "1. not numbered",
    "[ ] not a checkbox",
    "\\*backslash\\* &amp; `tick`",
    "<b>html</b>",
    "    four spaces",
    "> not a quote",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_is_inserted_exactly_as_typed(scratch: TemplateLibrary, write_template: Write, text: str) -> None:
    write_template("t.md", "{{ item }}\n\n- **FYI** {{ item }}\n")
    rendered = scratch.render("t.md", {"item": text})
    paragraph, item = rendered.blocks
    assert paragraph.kind == "paragraph" and paragraph.spans == (Span(text),)
    assert item.kind == "list_item" and item.list_kind == "bullet"
    assert item.spans == (Span("FYI", bold=True), Span(" " + text))


def test_explicit_literal_and_nested_context_strings_are_literal(scratch: TemplateLibrary, write_template: Write) -> None:
    @dataclass(frozen=True)
    class Item:
        author: str
        text: str

    write_template("t.md", "{% for i in items %}\n- {{ i.author }}: {{ i.text }}\n{% endfor %}\n\n{{ extra['k'] }} {{ lit }}\n")
    rendered = scratch.render(
        "t.md",
        {"items": [Item("Ann_", "*x*"), Item("Bob", "[y](https://y.example)")], "extra": {"k": "_z_"}, "lit": literal("**w**")},
    )
    assert [b.plain for b in rendered.blocks] == ["Ann_: *x*", "Bob: [y](https://y.example)", "_z_ **w**"]
    assert all(not (s.bold or s.italic or s.link) for b in rendered.blocks for s in b.spans)


def test_literals_keep_template_control_flow_working(scratch: TemplateLibrary, write_template: Write) -> None:
    write_template("t.md", "{% if day == 'Tuesday' and name %}yes {{ name | length }}{% else %}no{% endif %}\n")
    assert scratch.render("t.md", {"day": "Tuesday", "name": "Zoë"}).text == "yes 3\n"
    assert scratch.render("t.md", {"day": "Tuesday", "name": ""}).text == "no\n"


def test_newlines_tabs_and_docs_stripped_characters_are_cleaned(scratch: TemplateLibrary, write_template: Write) -> None:
    write_template("t.md", "- {{ x }}\n")
    rendered = scratch.render("t.md", {"x": "\tline one\r\nline two\x00\x07\x0b\x1f\ue000\ue100\ue001\uf8ff end"})
    assert rendered.text == " line one line two end\n"  # a leading tab would have nested the item
    assert rendered.length == 23


def test_template_text_is_cleaned_too(scratch: TemplateLibrary, write_template: Write) -> None:
    # A forged token in the template source must not become a literal (nor survive: Docs would strip it).
    write_template("t.md", "a\x01b\ue000\ue100\ue001c \\*d\\*\n")
    assert scratch.render("t.md", {"x": "never shown"}).text == "abc *d*\n"


def test_literals_in_link_targets_are_url_encoded(scratch: TemplateLibrary, write_template: Write) -> None:
    write_template("t.md", "[profile]({{ base }}/users/{{ id }}?q=commenter%3A{{ id }})\n")
    (block,) = scratch.render("t.md", {"base": "https://z.example", "id": "36 1"}).blocks
    assert block.spans == (Span("profile", link="https://z.example/users/36%201?q=commenter%3A36%201"),)


def test_a_literal_cannot_smuggle_a_dangerous_link_target(scratch: TemplateLibrary, write_template: Write) -> None:
    write_template("t.md", "[x]({{ base }}/p)\n")
    with pytest.raises(ConfigError, match="built from context values") as caught:
        scratch.render("t.md", {"base": "javascript:alert(1)//"})
    assert "alert" not in caught.value.message  # user text stays out of error messages


def test_missing_variable_is_a_config_error_naming_template_and_variable(scratch: TemplateLibrary, write_template: Write) -> None:
    write_template("one_on_one/t.md", "Hello {{ pair.nickname }}\n")
    with pytest.raises(ConfigError) as caught:
        scratch.render("one_on_one/t.md", {"pair": {"name": "x"}})
    assert "nickname" in caught.value.message and "one_on_one/t.md" in caught.value.message
    write_template("u.md", "{{ who }}\n")
    with pytest.raises(ConfigError, match="'who' is undefined"):
        scratch.render("u.md", {})


def test_missing_template_and_syntax_errors_are_config_errors(scratch: TemplateLibrary, write_template: Write) -> None:
    with pytest.raises(ConfigError, match="no template named"):
        scratch.render("nope.md", {})
    with pytest.raises(ConfigError, match="no template named"):
        scratch.render("../etc/passwd", {})
    write_template("bad.md", "{% if %}\n")
    with pytest.raises(ConfigError, match="syntax error on line 1"):
        scratch.render("bad.md", {})


def test_unsupported_markdown_in_a_template_names_the_template(scratch: TemplateLibrary, write_template: Write) -> None:
    write_template("code.md", "text\n\n    indented by accident\n")
    with pytest.raises(ConfigError, match=r"indented code blocks.*code\.md"):
        scratch.render("code.md", {})


def test_literal_outside_a_render_is_plain_text() -> None:
    assert str(literal("a\nb")) == "a b"
    assert literal(literal("x")) == "x"


def test_default_library_loads_packaged_templates(library: TemplateLibrary) -> None:
    with pytest.raises(ConfigError, match="undefined"):
        library.render("one_on_one/header.md", {})
