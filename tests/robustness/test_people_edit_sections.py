"""What people do to Docket's sections between runs, and what the next trigger does about it (on-call questions).

- Renaming the week's heading: the section is found by its named range, so no duplicate appears.
- Deleting the whole week's section (heading and all; Docs deletes a named range with its content): the next trigger
  appends the section again, once, at the end. That is the documented rule ("exactly one section per week"), and it is
  the right call for a section deleted by mistake; a person who wanted the week gone will see it come back.
"""

from __future__ import annotations

import pytest

from tests.conftest import google_on
from tests.service.conftest import doc_of

SECTION = "docket.week.2026-11-17"


@pytest.fixture
def data_dir(made_data_dir):
    return made_data_dir


@pytest.fixture
def sam(made, data_dir) -> str:
    return doc_of(made[1], "one_on_one", 0)


def span_of(doc: dict, name: str) -> tuple[int, int]:
    (entry,) = doc["namedRanges"][name]["namedRanges"]
    (r,) = entry["ranges"]
    return r.get("startIndex", 0), r["endIndex"]


def ensure(client, tokens, document_id: str) -> dict:
    response = client.post("/tasks/section", json={"documentId": document_id}, headers=tokens.scheduler())
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_renamed_week_heading_is_not_written_again(app, client, tokens, docs, sam):
    person = google_on(app.extensions["docket"].google.emulator, "maria@example.com")
    doc = docs.get(sam)
    start, _end = span_of(doc, SECTION)
    heading = next(e for e in doc["body"]["content"] if e.get("startIndex") == start)
    person.documents.batchUpdate(documentId=sam, body={"requests": [
        {"deleteContentRange": {"range": {"startIndex": start, "endIndex": heading["endIndex"] - 1}}},
        {"insertText": {"location": {"index": start}, "text": "Tuesday catch-up (moved to Wed)"}}]}).execute()
    before = docs.snapshot()
    result = ensure(client, tokens, sam)
    assert result["action"] == "present"
    assert docs.snapshot() == before
    assert "Tuesday catch-up (moved to Wed)" in docs.text(sam) and "2026-11-17 · Weekly 1:1" not in docs.text(sam)


def test_a_deleted_week_section_comes_back_once_at_the_end(app, client, tokens, docs, sam):
    person = google_on(app.extensions["docket"].google.emulator, "sam@example.com")
    start, end = span_of(docs.get(sam), SECTION)
    person.documents.batchUpdate(documentId=sam, body={"requests": [
        {"deleteContentRange": {"range": {"startIndex": start, "endIndex": end}}},
        {"insertText": {"location": {"index": start}, "text": "Sam's own notes after deleting the week"}}]}).execute()
    assert SECTION not in docs.get(sam).get("namedRanges", {})
    typed = docs.text(sam)

    first = ensure(client, tokens, sam)
    assert first["action"] == "appended"
    second = ensure(client, tokens, sam)
    assert second == {**first, "action": "present"}
    text = docs.text(sam)
    assert text.count("2026-11-17 · Weekly 1:1") == 1
    assert text.startswith(typed.rstrip("\n"))  # what Sam typed stays where it was, before the restored section
    assert len(docs.get(sam)["namedRanges"][SECTION]["namedRanges"]) == 1


def test_a_weekly_run_after_the_menu_and_a_link_reports_present_everywhere(client, tokens, docs, link_for, sam):
    """The three triggers agree on one heading even when they run one after another on different days of the week."""
    menu = client.post("/addon/section", json={"documentId": sam}, headers=tokens.person("sam@example.com")).get_json()
    opened = client.get(f"/links/{link_for()}").headers["Location"]
    weekly = client.post("/tasks/weekly", headers=tokens.scheduler()).get_json()
    mine = [r for r in weekly["results"] if r["document_id"] == sam]
    assert menu["created"] is False and mine[0]["action"] == "present"
    heading = menu["url"].partition("#heading=")[2]
    assert opened.endswith(f"#{heading}") and menu["url"].startswith(mine[0]["url"] + "#heading=")
