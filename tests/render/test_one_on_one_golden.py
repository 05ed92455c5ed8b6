"""Golden tests of the 1:1 templates (header and week), plus the product content they must carry.

Regenerate the goldens with DOCKET_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from service.render.blocks import utf16_len
from service.render.requests import Rendered
from service.render.templates import TemplateLibrary

from .context import ORG, PAIR, header_context, week_context

GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "one_on_one_header": ("one_on_one/header.md", header_context()),
    "one_on_one_week": ("one_on_one/week.md", week_context()),
    "one_on_one_week_first_of_quarter": ("one_on_one/week.md", week_context(first_of_quarter=True)),
}


def snapshot(rendered: Rendered) -> dict[str, object]:
    return {
        "length": rendered.length,
        "heading_offset": rendered.heading_offset,
        "paragraphs": rendered.text.splitlines(keepends=True),  # joined, exactly `text`
        "requests": rendered.requests(1),
    }


def dump(value: dict[str, object]) -> str:
    """One paragraph or request per line, so a golden diff reads like the change it records."""
    lines = ["{"]
    for position, (key, item) in enumerate(value.items()):
        comma = "," if position < len(value) - 1 else ""
        if isinstance(item, list):
            rows = [json.dumps(row, ensure_ascii=False) for row in item]
            lines.append(f" {json.dumps(key)}: [")
            lines.extend(f"  {row}," for row in rows[:-1])
            lines.extend(f"  {row}" for row in rows[-1:])
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(item, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_golden(library: TemplateLibrary, case: str) -> None:
    name, context = CASES[case]
    actual = snapshot(library.render(name, context))
    path = GOLDEN / f"{case}.json"
    if os.environ.get("DOCKET_UPDATE_GOLDEN") == "1":
        path.write_text(dump(actual), encoding="utf-8")
    assert actual == json.loads(path.read_text(encoding="utf-8")), f"golden {path.name} differs (DOCKET_UPDATE_GOLDEN=1 to regenerate)"


def links(rendered: Rendered) -> dict[str, str]:
    """Link text → URL."""
    return {span.text: span.link for block in rendered.blocks for span in block.spans if span.link}


def test_header_content(library: TemplateLibrary) -> None:
    rendered = library.render("one_on_one/header.md", header_context())
    title = rendered.blocks[0]
    assert (title.kind, title.level) == ("heading", 1)
    assert title.plain == f"1:1 — {PAIR.report_name} & {PAIR.manager_name}"
    assert rendered.heading_offset == 0
    numbered = [b.plain for b in rendered.blocks if b.list_kind == "number"]
    assert numbered[:5] == ["Very positive", "More positive than usual", "Same as usual", "Not as good as usual", "Not great right now"]
    assert [b.starts_list for b in rendered.blocks if b.list_kind == "number"].count(True) == 2  # scale and links: two lists
    found = links(rendered)
    assert found["Assigned tickets"] == f"{ORG.zendesk_url}/agent/users/361234567/assigned_tickets"
    assert found["All tickets commented on"] == (
        f"{ORG.zendesk_url}/agent/search/1?q=commenter%3A361234567%20order_by%3Aupdated_at%20sort%3Adesc"
    )
    assert found["Pairings completed"] == ORG.pairings_url
    for label in ("Bug reports and feature requests", "Documentation updates", "Bug fixes", "Learning and training progress"):
        assert found[label].startswith(f"{ORG.handbook_url}/handbook/support/support-engineer-responsibilities#")
    assert any(text.startswith("Customer calls?") for text in numbered)
    assert any(text.startswith("Interviews?") for text in numbered)


@pytest.mark.parametrize("first_of_quarter", [False, True])
def test_week_content(library: TemplateLibrary, first_of_quarter: bool) -> None:
    rendered = library.render("one_on_one/week.md", week_context(first_of_quarter=first_of_quarter))
    heading = rendered.blocks[0]
    assert (heading.kind, heading.level, heading.plain) == ("heading", 2, "2026-11-24 · Weekly 1:1")
    assert rendered.heading_offset == 0
    parts = [b.plain for b in rendered.blocks if b.kind == "heading" and b.level == 3]
    assert parts == [
        "Pre-call",
        "Opening check-in",
        "Ticket work",
        "Career development and learning",
        "Other activities",
        "Time off",
        "Other discussions",
        "Action items",
    ]
    texts = [b.plain for b in rendered.blocks]
    assert "Ticket 1:" in texts and "Ticket 2:" in texts
    assert sum(1 for b in rendered.blocks if b.list_kind == "checkbox") == 2  # the pre-call checklist
    # Ratings and the two blank action items carry a dropdown chip each (ratings after the colon, status first).
    chips = [(b.plain, c.offset, c.definition) for b in rendered.blocks for c in b.chips]
    assert [(plain, offset) for plain, offset, _ in chips[:3]] == [
        ("Mood, 1 to 5 (the scale is at the top of this doc): ", 52), ("Stress, 0 to 10: ", 17), ("Happiness, 0 to 10: ", 20)]
    assert [c[2] for c in chips[3:]] == ["kix.dkt-status", "kix.dkt-status"] and rendered.blocks[-1].chips[0].offset == 0
    assert rendered.blocks[-1].list_kind == "bullet"
    assert "Career development: not yet discussed in this doc" in [b.plain for b in rendered.blocks]
    assert any(b.depth == 1 for b in rendered.blocks)  # time-off follow-ups are nested
    assert any("day before the first PTO date" in t for t in texts)
    assert links(rendered)["Support Team Member Time Off page"] == f"{ORG.handbook_url}/handbook/support/support-time-off"
    career = "Career development: recommendations for managers"
    if first_of_quarter:
        assert any("Q4 2026" in t for t in texts) and career in links(rendered)
    else:
        assert any("at least quarterly" in t for t in texts) and career not in links(rendered)
    assert rendered.length == utf16_len(rendered.text) - rendered.text.count("\t") + len(chips)


def test_names_are_never_markdown(library: TemplateLibrary) -> None:
    hostile = PAIR.__class__(**{**PAIR.__dict__, "report_name": "*Zoë* [👩🏽‍💻](https://x.example) {{ org }}"})
    rendered = library.render("one_on_one/header.md", header_context(hostile))
    assert rendered.blocks[0].plain == f"1:1 — {hostile.report_name} & {PAIR.manager_name}"
    assert not any(span.italic for span in rendered.blocks[0].spans)
