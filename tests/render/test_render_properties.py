"""Property tests: any user text survives a render verbatim, and the geometry always adds up."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from service.render.blocks import utf16_len
from service.render.literals import clean_line
from service.render.templates import TemplateLibrary

_ROOT = Path(tempfile.mkdtemp(prefix="docket-render-"))
(_ROOT / "item.md").write_text("## {{ title }}\n\n- [ ] **{{ who }}**: {{ text }}\n  - {{ text }}\n", encoding="utf-8")
LIBRARY = TemplateLibrary(_ROOT)

# Everything, including astral characters, lone surrogates, Markdown and Jinja syntax, controls and private use.
user_text = st.text(st.characters(), max_size=40) | st.sampled_from(
    ["**x**", "[a](https://b.example)", "{{ who }}", "# h", "- [ ] x", "\\*", "\ue000\ue100\ue001", "👩🏽‍💻 e\u0301 李 שלום", "lone \ud800 surrogate"]
)


@settings(max_examples=200, deadline=None)
@given(title=user_text, who=user_text, text=user_text)
def test_any_user_text_is_inserted_verbatim(title: str, who: str, text: str) -> None:
    rendered = LIBRARY.render("item.md", {"title": title, "who": who, "text": text})
    heading, item, nested = rendered.blocks
    assert heading.plain == clean_line(title)
    assert item.plain == f"{clean_line(who)}: {clean_line(text)}"
    assert (item.list_kind, nested.list_kind, nested.depth) == ("checkbox", "bullet", 1)
    assert nested.plain == clean_line(text)
    assert all(span.link is None and not span.italic for block in rendered.blocks for span in block.spans)
    assert rendered.length == utf16_len(rendered.text) - 1
    assert rendered.text.count("\n") == 3
