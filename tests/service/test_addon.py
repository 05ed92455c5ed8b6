"""POST /addon/section and /addon/items: add-on ID tokens, organisation domains, participants only."""

from __future__ import annotations

import pytest

from tests.service.conftest import ADDON_CLIENT, AUDIENCE, CONFIDENTIAL_CANARY, doc_of
from tests.service.test_scheduler import rejected


@pytest.fixture
def sam_doc(weekly_done):
    return doc_of(weekly_done, "one_on_one", 0)


@pytest.fixture
def agenda(weekly_done):
    return doc_of(weekly_done, "leadership_agenda")


@pytest.fixture
def confidential(weekly_done):
    return doc_of(weekly_done, "leadership_confidential")


BAD_TOKENS = {
    "no header": lambda oidc: None,
    "garbage": lambda oidc: "Bearer a.b.c",
    "expired": lambda oidc: oidc.bearer(email="maria@example.com", hosted_domain="example.com", audience=ADDON_CLIENT,
                                        issued_at=1_000_000),
    "scheduler audience": lambda oidc: oidc.bearer(email="maria@example.com", hosted_domain="example.com", audience=AUDIENCE),
    "another key": lambda oidc: oidc.bearer(email="maria@example.com", hosted_domain="example.com", audience=ADDON_CLIENT,
                                            key=oidc.attacker_key),
    "wrong issuer": lambda oidc: oidc.bearer(email="maria@example.com", hosted_domain="example.com", audience=ADDON_CLIENT,
                                             issuer="https://securetoken.google.com/x"),
    "email not verified": lambda oidc: oidc.bearer(email="maria@example.com", hosted_domain="example.com", audience=ADDON_CLIENT,
                                                   email_verified=False),
    "no email (scope missing)": lambda oidc: oidc.bearer(email=None, audience=ADDON_CLIENT),
}


@pytest.mark.parametrize("path", ["/addon/section", "/addon/items"])
@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_without_a_valid_add_on_token_it_is_401_and_nothing_changes(client, oidc, docs, agenda, path, case):
    before = docs.snapshot()
    header = BAD_TOKENS[case](oidc)
    response = client.post(path, json={"documentId": agenda, "text": "x", "kind": "fyi"},
                           headers={"Authorization": header} if header else {})
    rejected(response, 401, "unauthenticated")
    assert docs.snapshot() == before


@pytest.mark.parametrize("who, claims", [
    ("mallory@evil.example.org", {}),                            # another organisation
    ("maria@example.com", {"hosted_domain": None}),              # a consumer account on a work address
    ("maria@example.com", {"hosted_domain": "other.com"}),
])
@pytest.mark.parametrize("path", ["/addon/section", "/addon/items"])
def test_outside_the_organisation_it_is_403_and_nothing_changes(client, tokens, docs, agenda, who, claims, path):
    before = docs.snapshot()
    response = client.post(path, json={"documentId": agenda, "text": "x"}, headers=tokens.person(who, **claims))
    rejected(response, 403, "forbidden")
    assert docs.snapshot() == before


def test_a_colleague_who_is_not_a_participant_of_the_1on1_gets_403_and_nothing_changes(client, tokens, docs, sam_doc):
    before = docs.snapshot()
    for outsider in ("zoe@example.com", "vp@example.com"):
        response = client.post("/addon/section", json={"documentId": sam_doc}, headers=tokens.person(outsider))
        rejected(response, 403, "forbidden")
    assert docs.snapshot() == before


def test_a_non_member_cannot_touch_the_leadership_docs(client, tokens, docs, agenda, confidential):
    before = docs.snapshot()
    for doc in (agenda, confidential):
        rejected(client.post("/addon/section", json={"documentId": doc}, headers=tokens.person("sam@example.com")), 403, "forbidden")
    response = client.post("/addon/items", json={"documentId": agenda, "text": "raise for me", "kind": "discussion"},
                           headers=tokens.person("sam@example.com"))
    rejected(response, 403, "forbidden")
    assert docs.snapshot() == before


@pytest.mark.parametrize("who", ["maria@example.com", "sam@example.com"])
def test_section_from_the_menu_returns_the_heading_url(client, tokens, docs, who, clock):
    # No document yet for next week's section: the weekly job made this week's only.
    weekly = client.post("/tasks/weekly", json={"date": "2026-11-11"}, headers={**tokens.scheduler()})
    sam_doc = doc_of(weekly.get_json(), "one_on_one", 0)
    response = client.post("/addon/section", json={"documentId": sam_doc}, headers=tokens.person(who))
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"url", "created"}
    assert body["created"] is True
    heading = body["url"].partition("#heading=")[2]
    assert body["url"].startswith(f"https://docs.google.com/document/d/{sam_doc}/edit#heading=h.") and heading
    headings = [e["paragraph"]["paragraphStyle"].get("headingId") for e in docs.get(sam_doc)["body"]["content"] if "paragraph" in e]
    assert heading in headings
    again = client.post("/addon/section", json={"documentId": sam_doc}, headers=tokens.person(who))
    assert again.get_json() == {"url": body["url"], "created": False}


def test_section_of_the_leadership_agenda_for_a_member(client, tokens, agenda):
    response = client.post("/addon/section", json={"documentId": agenda}, headers=tokens.person("vp@example.com"))
    assert response.status_code == 200
    assert response.get_json()["created"] is False
    assert "#heading=h." in response.get_json()["url"]


def test_section_on_a_document_docket_did_not_make_is_404(client, tokens, weekly_done):
    rejected(client.post("/addon/section", json={"documentId": "1NotOurs"}, headers=tokens.person("maria@example.com")),
             404, "not_found")


@pytest.mark.parametrize("kind", ["discussion", "fyi"])
def test_items_go_on_the_agenda(client, tokens, docs, agenda, kind):
    text = f"Staffing for the holiday rota 🎄 ({kind})"
    response = client.post("/addon/items", json={"documentId": agenda, "text": text, "kind": kind},
                           headers=tokens.person("maria@example.com"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["url"].startswith(f"https://docs.google.com/document/d/{agenda}/edit#heading=h.")
    assert (body["kind"], body["created"]) == (kind, True)
    assert text in docs.text(agenda)
    if kind == "fyi":
        assert "FYI" in docs.text(agenda)


def test_kind_defaults_to_discussion_and_item_id_makes_a_retry_add_once(client, tokens, docs, agenda):
    body = {"documentId": agenda, "text": "Hiring plan for Q1", "itemId": "click-0001"}
    first = client.post("/addon/items", json=body, headers=tokens.person("vp@example.com"))
    second = client.post("/addon/items", json=body, headers=tokens.person("vp@example.com"))
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.get_json()["kind"] == "discussion"
    assert (first.get_json()["created"], second.get_json()["created"]) == (True, False)
    assert docs.text(agenda).count("Hiring plan for Q1") == 1


def test_a_confidential_item_never_reaches_the_agenda_the_reply_or_the_logs(client, tokens, docs, agenda, confidential, capsys, caplog):
    capsys.readouterr()
    response = client.post("/addon/items", json={"documentId": agenda, "text": CONFIDENTIAL_CANARY, "kind": "confidential"},
                           headers=tokens.person("maria@example.com"))
    assert response.status_code == 200, response.get_json()
    assert CONFIDENTIAL_CANARY not in response.get_data(as_text=True)
    assert "CANARY" not in docs.text(agenda)
    assert "confidential" in docs.text(agenda).lower()  # the placeholder naming the author
    assert CONFIDENTIAL_CANARY in docs.text(confidential)
    out = capsys.readouterr()
    assert '"severity"' in out.out  # the JSON log lines were captured
    assert "CANARY" not in out.out + out.err
    assert all("CANARY" not in r.getMessage() and "CANARY" not in str(r.__dict__) for r in caplog.records)


def test_a_rejected_confidential_item_is_not_echoed_in_the_error(client, tokens, docs, agenda, capsys):
    capsys.readouterr()
    before = docs.snapshot()
    text = CONFIDENTIAL_CANARY + "\tsecond line"
    response = client.post("/addon/items", json={"documentId": agenda, "text": text, "kind": "confidential"},
                           headers=tokens.person("maria@example.com"))
    rejected(response, 400, "invalid_argument")
    assert "CANARY" not in response.get_data(as_text=True)
    assert "CANARY" not in "".join(capsys.readouterr())
    assert docs.snapshot() == before


def test_items_only_go_to_the_leadership_agenda(client, tokens, docs, sam_doc, confidential):
    before = docs.snapshot()
    for doc in (sam_doc, confidential):
        response = client.post("/addon/items", json={"documentId": doc, "text": "x"}, headers=tokens.person("maria@example.com"))
        rejected(response, 400, "invalid_argument")
        assert "documentId" in response.get_json()["error"]["message"]
    assert docs.snapshot() == before


@pytest.mark.parametrize("body, message", [
    ({"documentId": 42, "text": "x"}, "documentId"),
    ({"documentId": "d", "text": ["x"]}, "text"),
    ({"documentId": "d"}, "text"),
    ({"documentId": "d", "text": "x", "kind": "urgent"}, "kind"),
    # The author is the token's, never the body's; an unknown field is refused without naming it (it is caller content).
    ({"documentId": "d", "text": "x", "author": "vp@example.com"}, "unknown field"),
    ({"documentId": "d", "text": "  "}, "text"),
])
def test_bad_item_bodies_are_400(client, tokens, docs, agenda, body, message):
    if body.get("documentId") == "d":
        body = {**body, "documentId": agenda}
    before = docs.snapshot()
    response = client.post("/addon/items", json=body, headers=tokens.person("maria@example.com"))
    rejected(response, 400, "invalid_argument")
    assert message in response.get_json()["error"]["message"]
    assert docs.snapshot() == before


def test_an_empty_body_is_400_and_a_huge_one_413(client, tokens):
    rejected(client.post("/addon/section", headers=tokens.person("maria@example.com")), 400, "bad_request")
    big = {"documentId": "d", "text": "x" * 70_000}
    rejected(client.post("/addon/items", json=big, headers=tokens.person("maria@example.com")), 413, "payload_too_large")
