"""Who did what: menu, item and link log lines name the acting person and the document, never the text."""

from __future__ import annotations

import json
import logging

import pytest

from service.calendar import Week
from service.meetings.leadership import Leadership
from service.triggers.links import link_signer
from tests.service.conftest import CONFIDENTIAL_CANARY, NOW, doc_of


def entries(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("kind", ["discussion", "fyi", "confidential"])
def test_an_item_added_from_the_docs_menu_logs_its_author_and_document(client, tokens, weekly_done, capsys, kind):
    agenda, confidential = doc_of(weekly_done, "leadership_agenda"), doc_of(weekly_done, "leadership_confidential")
    capsys.readouterr()
    response = client.post("/addon/items", json={"documentId": agenda, "text": CONFIDENTIAL_CANARY, "kind": kind},
                           headers=tokens.person("vp@example.com"))
    assert response.status_code == 200, response.get_json()
    out = capsys.readouterr().out
    item_id = response.get_json()["itemId"]
    lines = [e for e in entries(out) if e.get("item_id") == item_id]
    # The use case's line names the doc holding the item's text; the menu's line the doc it was clicked in.
    where = confidential if kind == "confidential" else agenda
    assert {(e["actor"], e["document_id"]) for e in lines} == {("vp@example.com", where), ("vp@example.com", agenda)}
    assert "CANARY" not in out and "performance plan" not in out


def test_a_section_added_from_the_docs_menu_logs_who_asked(client, tokens, weekly_done, capsys):
    sam = doc_of(weekly_done, "one_on_one")
    capsys.readouterr()
    assert client.post("/addon/section", json={"documentId": sam}, headers=tokens.person("sam@example.com")).status_code == 200
    (line,) = [e for e in entries(capsys.readouterr().out) if e["message"].startswith("section")]
    assert (line["actor"], line["document_id"], line["action"]) == ("sam@example.com", sam, "present")


def test_a_manager_link_logs_the_manager_it_was_issued_to(client, settings, capsys):
    token = link_signer(settings, env={}, clock=lambda: NOW.timestamp()).issue("maria@example.com", "sam@example.com")
    capsys.readouterr()
    assert client.get(f"/links/{token}").status_code == 302
    out = capsys.readouterr().out
    (line,) = [e for e in entries(out) if e["message"] == "manager link opened"]
    assert line["actor"] == "maria@example.com" and line["document_id"]
    assert token not in out


def test_the_item_use_case_logs_actor_and_document_with_caplog(engine, week, caplog):
    caplog.set_level(logging.INFO)
    leadership = Leadership(engine)
    agenda, confidential = leadership.ensure_week(week)
    caplog.clear()
    added = leadership.add_item(author="Maria@Example.com", text=CONFIDENTIAL_CANARY, kind="confidential", week=week)
    (record,) = [r for r in caplog.records if getattr(r, "item_id", None) == added.item_id]
    assert (record.actor, record.document_id) == ("maria@example.com", confidential.document_id)
    assert all("CANARY" not in r.getMessage() and "CANARY" not in str(r.__dict__) for r in caplog.records)


def test_actor_is_an_allow_listed_log_field():
    from service.logs import SAFE_FIELDS

    assert "actor" in SAFE_FIELDS
