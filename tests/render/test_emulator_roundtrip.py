"""Round trips through the emulator: insert a rendered section, apply its requests, read the document back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from service.render.requests import Rendered
from service.render.templates import TemplateLibrary

from .context import ORG, header_context, week_context

document = pytest.importorskip("service.emulator.docs.document")
ids_module = pytest.importorskip("service.emulator.ids")


@dataclass(frozen=True)
class Para:
    """One body paragraph as documents.get shows it."""

    start: int
    end: int
    text: str
    named_style: str
    list_id: str | None
    nesting: int
    runs: tuple[tuple[str, dict[str, Any]], ...]
    style: dict[str, Any]


def fresh() -> Any:
    return document.Document.create("doc-1", "1:1 test", ids_module.IdSource(seed=7))


def batch(doc: Any, requests: list[dict[str, Any]]) -> None:
    doc.batch_update({"requests": requests}, ids_module.IdSource(seed=11))


def insert_section(doc: Any, rendered: Rendered, at: int, *, lead_newline: bool = False) -> int:
    """What the section writer does; returns the section's start."""
    from service.meetings.check_in import DROPDOWNS

    start = at + (1 if lead_newline else 0)
    text = ("\n" if lead_newline else "") + rendered.text
    chips = [d.request() for d in DROPDOWNS] if any(b.chips for b in rendered.blocks) else []
    batch(doc, [*chips, {"insertText": {"location": {"index": at}, "text": text}}, *rendered.requests(start)])
    return start


def body(resource: dict[str, Any]) -> dict[str, Any]:
    return resource.get("body") or resource["tabs"][0]["documentTab"]["body"]


def lists(resource: dict[str, Any]) -> dict[str, Any]:
    return resource.get("lists") or resource["tabs"][0]["documentTab"].get("lists", {})


def paragraphs(doc: Any) -> list[Para]:
    out = []
    for element in body(doc.to_resource())["content"]:
        paragraph = element.get("paragraph")
        if paragraph is None:
            continue
        runs = tuple(
            (e["textRun"]["content"], e["textRun"].get("textStyle", {})) for e in paragraph["elements"] if "textRun" in e
        )
        bullet = paragraph.get("bullet")
        out.append(
            Para(
                element.get("startIndex", 0),
                element["endIndex"],
                "".join(text for text, _ in runs),
                paragraph.get("paragraphStyle", {}).get("namedStyleType", "NORMAL_TEXT"),
                bullet["listId"] if bullet else None,
                bullet.get("nestingLevel", 0) if bullet else 0,
                runs,
                paragraph.get("paragraphStyle", {}),
            )
        )
    return out


def section(doc: Any, start: int, rendered: Rendered) -> list[Para]:
    inside = [p for p in paragraphs(doc) if start <= p.start < start + rendered.length]
    assert inside[-1].end == start + rendered.length, "the section ends where `length` says"
    return inside


def expected_texts(rendered: Rendered) -> list[str]:
    return [block.plain + "\n" for block in rendered.blocks]


def spans_of(para: Para) -> list[tuple[str, bool, bool, str | None]]:
    """The paragraph's text (without its "\\n") as maximal runs of one (bold, italic, link)."""
    out: list[tuple[str, bool, bool, str | None]] = []
    for text, style in para.runs:
        text = text.rstrip("\n")
        # A link brings its own underline and colour; anything else is inherited by mistake.
        allowed = {"bold", "italic", "link"} | ({"underline", "foregroundColor"} if style.get("link") else set())
        assert set(k for k, v in style.items() if v) <= allowed, (text, style)
        key = (bool(style.get("bold")), bool(style.get("italic")), (style.get("link") or {}).get("url"))
        if not text:
            continue
        if out and out[-1][1:] == key:
            out[-1] = (out[-1][0] + text, *key)
        else:
            out.append((text, *key))
    return out


def check_matches_blocks(paras: list[Para], rendered: Rendered) -> None:
    """Every paragraph carries exactly the styles its block asks for, and nothing else."""
    assert [p.text for p in paras] == expected_texts(rendered)
    for para, block in zip(paras, rendered.blocks, strict=True):
        assert para.named_style == (f"HEADING_{block.level}" if block.kind == "heading" else "NORMAL_TEXT"), para
        assert (para.list_id is not None) == (block.kind == "list_item"), para
        assert para.nesting == block.depth, para
        assert spans_of(para) == [(s.text, s.bold, s.italic, s.link) for s in block.spans], para
        assert "alignment" not in para.style, para
        if block.kind != "list_item":  # list paragraphs get their indents from the list
            assert not {"indentStart", "indentFirstLine"} & set(para.style), para


def test_header_on_a_fresh_document(library: TemplateLibrary) -> None:
    rendered = library.render("one_on_one/header.md", header_context())
    doc = fresh()
    start = insert_section(doc, rendered, 1)
    paras = section(doc, start, rendered)
    check_matches_blocks(paras, rendered)
    scale = [p for p in paras if p.text == "Very positive\n"][0]
    links = [p for p in paras if p.text == "Assigned tickets\n"][0]
    assert scale.list_id != links.list_id, "the mood scale and the activity links are two lists"
    assert links.runs[0][1]["link"]["url"] == f"{ORG.zendesk_url}/agent/users/361234567/assigned_tickets"
    level0 = lists(doc.to_resource())[scale.list_id]["listProperties"]["nestingLevels"][0]
    assert level0["glyphType"] == "DECIMAL"
    assert doc.plain_text().startswith(rendered.text.replace("\t", ""))


def test_week_on_a_fresh_document(library: TemplateLibrary) -> None:
    rendered = library.render("one_on_one/week.md", week_context(first_of_quarter=True))
    doc = fresh()
    start = insert_section(doc, rendered, 1)
    paras = section(doc, start, rendered)
    check_matches_blocks(paras, rendered)
    levels = {list_id: value["listProperties"]["nestingLevels"][0] for list_id, value in lists(doc.to_resource()).items()}
    # A checklist reads back with no glyph symbol and an unspecified glyph type (reference §5).
    checkboxes = [
        p for p in paras
        if p.list_id and "glyphSymbol" not in levels[p.list_id] and levels[p.list_id].get("glyphType") in (None, "GLYPH_TYPE_UNSPECIFIED")
    ]
    assert len(checkboxes) == 2  # the pre-call checklist; action items carry status chips instead
    chips = [e for element in body(doc.to_resource())["content"] if "paragraph" in element
             for e in element["paragraph"]["elements"] if "dropdown" in e]
    assert len(chips) == 5 and {c["dropdown"]["dropdownProperties"]["displayValue"] for c in chips} == {"–", "Not started"}
    nested = [p for p in paras if p.nesting == 1]
    assert [p.text for p in nested][-1].startswith("Manager: set a reminder")
    parent = paras[paras.index(nested[0]) - 1]
    assert parent.list_id == nested[0].list_id  # nested under its parent, one list


def test_adjacent_lists_of_one_kind_stay_separate_lists(scratch: TemplateLibrary, write_template: Any) -> None:
    write_template("lists.md", "## Two lists\n\n- a\n- b\n\n* c\n\n1. one\n   - nested\n2. two\n")
    rendered = scratch.render("lists.md", {})
    doc = fresh()
    start = insert_section(doc, rendered, 1)
    paras = section(doc, start, rendered)
    check_matches_blocks(paras, rendered)
    a, b, c, one, nested, two = (p.list_id for p in paras[1:])
    assert a == b != c, "a new Markdown list is a new Docs list even right after one of its kind"
    assert one == nested == two, "nested items stay in their numbered list, so numbering continues"


def test_a_section_after_a_bold_link_in_a_bullet_list_inherits_nothing(library: TemplateLibrary) -> None:
    doc = fresh()
    # The doc ends with a HEADING_4 bullet item whose text is a bold, italic, underlined link.
    batch(
        doc,
        [
            {"insertText": {"location": {"index": 1}, "text": "first\nlast link"}},
            {"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 17}, "paragraphStyle": {"namedStyleType": "HEADING_4", "alignment": "CENTER"}, "fields": "namedStyleType,alignment"}},
            {"updateTextStyle": {"range": {"startIndex": 7, "endIndex": 16}, "textStyle": {"bold": True, "italic": True, "underline": True, "link": {"url": "https://old.example"}}, "fields": "bold,italic,underline,link"}},
            {"createParagraphBullets": {"range": {"startIndex": 1, "endIndex": 16}, "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE"}},
        ],
    )
    before = paragraphs(doc)
    old_list = before[-1].list_id
    assert old_list and before[-1].text == "last link\n"
    rendered = library.render("one_on_one/week.md", week_context())
    # Append after the last character, as the section writer does: "\n" closes the old paragraph.
    start = insert_section(doc, rendered, before[-1].end - 1, lead_newline=True)
    paras = section(doc, start, rendered)
    check_matches_blocks(paras, rendered)
    assert old_list not in {p.list_id for p in paras}, "no section list joins the list before it"
    old = [p for p in paragraphs(doc) if p.start < start]
    assert old[-1].text == "last link\n" and old[-1].list_id == old_list, "the text before is untouched"
    assert old[-1].runs[0][1]["link"]["url"] == "https://old.example"
