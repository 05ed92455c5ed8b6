"""Rendered: the inserted text, its UTF-16 geometry and the order and ranges of the styling requests."""

from __future__ import annotations

from typing import Any

import pytest

from service.render.blocks import utf16_len
from service.render.markdown import parse
from service.render.requests import TEXT_RESET_FIELDS, Rendered


def render(markdown_text: str) -> Rendered:
    return Rendered.from_blocks(parse(markdown_text))


def kind(request: dict[str, Any]) -> str:
    (name,) = request
    return name


def covered(rendered: Rendered, start: int, request: dict[str, Any]) -> str:
    """The inserted text a request's range covers (pre-tab-removal coordinates)."""
    rng = next(iter(request.values()))["range"]
    units = rendered.text.encode("utf-16-le")
    return units[2 * (rng["startIndex"] - start) : 2 * (rng["endIndex"] - start)].decode("utf-16-le")


def remove_tabs_like_docs(rendered: Rendered, start: int) -> str:
    """Apply the createParagraphBullets requests in order the way Docs does: drop each covered paragraph's leading tabs."""
    text = rendered.text
    for request in rendered.requests(start):
        if kind(request) != "createParagraphBullets":
            continue
        rng = request["createParagraphBullets"]["range"]
        units = text.encode("utf-16-le")
        before = units[: 2 * (rng["startIndex"] - start)].decode("utf-16-le")
        inside = units[2 * (rng["startIndex"] - start) : 2 * (rng["endIndex"] - start)].decode("utf-16-le")
        after = units[2 * (rng["endIndex"] - start) :].decode("utf-16-le")
        assert before == "" or before.endswith("\n"), "a bullet range must start at a paragraph"
        inside = "\n".join(line.lstrip("\t") for line in inside.split("\n"))
        text = before + inside + after
    return text


@pytest.mark.parametrize(
    "sample",
    [
        "😀 emoji",
        "👩🏽‍💻 ZWJ sequence",
        "漢字かな交じり",
        "שלום עולם مرحبا",  # RTL
        "e\u0301 combining",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters",
    ],
)
def test_length_is_utf16_after_tab_removal(sample: str) -> None:
    rendered = render(f"# {sample}\n\n- {sample}\n  - **{sample}**\n    - [{sample}](https://a.example)\n")
    final = remove_tabs_like_docs(rendered, 1)
    assert "\t" not in final
    assert rendered.length == utf16_len(final)
    assert rendered.length == utf16_len(rendered.text) - 3  # depths 0 + 1 + 2
    assert rendered.text.count("\n") == 4 and rendered.text.endswith("\n")


def test_heading_offset_is_in_final_coordinates() -> None:
    rendered = render("intro 😀\n\n- a\n  - b\n\n## Heading\n")
    # "intro 😀\n" = 9 units, "a\n" = 2, "b\n" = 2 once its tab is gone.
    assert rendered.heading_offset == 13
    final = remove_tabs_like_docs(rendered, 5).encode("utf-16-le")
    assert final[2 * 13 :].decode("utf-16-le").startswith("Heading")
    assert render("no heading\n").heading_offset is None


def test_resets_come_first_and_cover_the_whole_inserted_text() -> None:
    rendered = render("# T\n\n- a\n  - b\n")
    requests = rendered.requests(10)
    end = 10 + utf16_len(rendered.text)
    assert [kind(r) for r in requests[:3]] == ["deleteParagraphBullets", "updateParagraphStyle", "updateTextStyle"]
    for request in requests[:3]:
        assert next(iter(request.values()))["range"] == {"startIndex": 10, "endIndex": end}
    assert requests[1]["updateParagraphStyle"]["paragraphStyle"] == {"namedStyleType": "NORMAL_TEXT"}
    assert "indentStart" in requests[1]["updateParagraphStyle"]["fields"]
    assert requests[2]["updateTextStyle"] == {
        "range": {"startIndex": 10, "endIndex": end},
        "textStyle": {},
        "fields": TEXT_RESET_FIELDS,
    }
    assert set(TEXT_RESET_FIELDS.split(",")) >= {"bold", "italic", "link", "underline", "foregroundColor"}


def test_bullets_come_last_in_descending_order() -> None:
    rendered = render("# A\n\n- [ ] x\n\n## B\n\n1. one\n2. two\n\n## C\n\n- p\n- q\n")
    requests = rendered.requests(1)
    kinds = [kind(r) for r in requests]
    first_bullet = kinds.index("createParagraphBullets")
    assert set(kinds[first_bullet:]) == {"createParagraphBullets"}
    starts = [r["createParagraphBullets"]["range"]["startIndex"] for r in requests[first_bullet:]]
    assert starts == sorted(starts, reverse=True) and len(starts) == 3
    presets = [r["createParagraphBullets"]["bulletPreset"] for r in requests[first_bullet:]]
    assert presets == ["BULLET_DISC_CIRCLE_SQUARE", "NUMBERED_DECIMAL_ALPHA_ROMAN", "BULLET_CHECKBOX"]


def test_styles_are_in_pre_tab_coordinates_and_skip_tabs() -> None:
    rendered = render("- 😀\n  - **bold** and [link](https://a.example)\n")
    start = 7
    styled = [r for r in rendered.requests(start)[3:] if kind(r) == "updateTextStyle"]
    assert [covered(rendered, start, r) for r in styled] == ["bold", "link"]
    assert styled[0]["updateTextStyle"]["textStyle"] == {"bold": True}
    assert styled[0]["updateTextStyle"]["fields"] == "bold"
    assert styled[1]["updateTextStyle"]["textStyle"] == {"link": {"url": "https://a.example"}}


def test_links_never_cover_a_newline() -> None:
    rendered = render("[whole paragraph](https://a.example)\n\n- [item](https://b.example)\n- [**x**](https://c.example)\n")
    for request in rendered.requests(1):
        if kind(request) == "updateTextStyle" and "link" in request["updateTextStyle"]["textStyle"]:
            assert "\n" not in covered(rendered, 1, request)


def test_heading_style_covers_the_heading_paragraph_only() -> None:
    rendered = render("para\n\n### Três 😀\n\nafter\n")
    (heading,) = [r for r in rendered.requests(1)[3:] if kind(r) == "updateParagraphStyle"]
    assert heading["updateParagraphStyle"]["paragraphStyle"] == {"namedStyleType": "HEADING_3"}
    assert covered(rendered, 1, heading) == "Três 😀\n"


def test_nested_items_of_another_kind_stay_in_their_outer_list() -> None:
    # Splitting here would restart the numbering at "two" in Docs.
    rendered = render("1. one\n   - sub\n   - [ ] task\n2. two\n")
    bullets = [r for r in rendered.requests(1) if kind(r) == "createParagraphBullets"]
    assert len(bullets) == 1
    assert bullets[0]["createParagraphBullets"]["bulletPreset"] == "NUMBERED_DECIMAL_ALPHA_ROMAN"
    assert covered(rendered, 1, bullets[0]) == rendered.text


def test_two_lists_in_a_row_stay_two_lists() -> None:
    rendered = render("- a\n- b\n\n* c\n")
    bullets = [r["createParagraphBullets"]["range"] for r in rendered.requests(1) if kind(r) == "createParagraphBullets"]
    assert bullets == [{"startIndex": 5, "endIndex": 7}, {"startIndex": 1, "endIndex": 5}]


def test_top_level_kind_change_splits_a_list() -> None:
    rendered = render("- [ ] task\n- plain\n")
    presets = [r["createParagraphBullets"]["bulletPreset"] for r in rendered.requests(1) if kind(r) == "createParagraphBullets"]
    assert presets == ["BULLET_DISC_CIRCLE_SQUARE", "BULLET_CHECKBOX"]


def test_nothing_to_render_means_no_requests() -> None:
    rendered = render("")
    assert (rendered.text, rendered.length, rendered.heading_offset, rendered.requests(1)) == ("", 0, None, [])
