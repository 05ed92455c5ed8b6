"""GET /local/docs and /local/docs/<id>: readable, escaped HTML of the emulator's documents."""

from __future__ import annotations

from service.google.document_view import ViewBlock, ViewSpan
from service.local_views import href_of, outline
from service.meetings.catalog import BUILTIN_KINDS
from service.meetings.reading import withheld_notice
from tests.service.conftest import CONFIDENTIAL_CANARY, doc_of


def html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_the_index_lists_every_document(client, weekly_done):
    page = html(client, "/local/docs")
    for result in weekly_done["results"]:
        assert f'href="/local/docs/{result["document_id"]}"' in page
    assert "1:1 Sam Lee / María García" in page


def test_a_1on1_renders_headings_with_their_ids_checkboxes_nested_lists_and_links(client, docs, tokens, weekly_done):
    sam = doc_of(weekly_done, "one_on_one")
    page = html(client, f"/local/docs/{sam}")
    menu = client.post("/addon/section", json={"documentId": sam}, headers=tokens.person("sam@example.com")).get_json()
    heading = menu["url"].partition("#heading=")[2]
    assert f'<h2 id="{heading}">2026-11-17' in page
    assert page.count('<input type="checkbox" disabled') >= 2
    assert '<a href="https://acme.zendesk.com/agent/users/361234567/assigned_tickets">' in page
    assert '<ol class="number">' in page
    assert '<ul class="bullet">\n<li>' in page and "</li>\n</ul>\n</li>" in page  # a nested list inside an item
    assert "María García" in page and "Zoë" not in page


def test_text_people_typed_is_escaped(client, google, weekly_done):
    sam = doc_of(weekly_done, "one_on_one")
    typed = '<script>alert("x")</script> & <b>bold?</b> 🙂'
    google.documents.batchUpdate(documentId=sam, body={"requests": [{"insertText": {"location": {"index": 1}, "text": typed + "\n"}}]}).execute()
    page = html(client, f"/local/docs/{sam}")
    assert "<script>alert" not in page and "<b>bold?</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold?&lt;/b&gt; 🙂" in page
    assert "default-src 'none'" in client.get(f"/local/docs/{sam}").headers["Content-Security-Policy"]


def test_the_confidential_doc_shows_only_a_notice(client, tokens, weekly_done):
    agenda, confidential = doc_of(weekly_done, "leadership_agenda"), doc_of(weekly_done, "leadership_confidential")
    added = client.post("/addon/items", json={"documentId": agenda, "text": CONFIDENTIAL_CANARY, "kind": "confidential"},
                        headers=tokens.person("vp@example.com"))
    assert added.status_code == 200
    page = html(client, f"/local/docs/{confidential}")
    assert withheld_notice(BUILTIN_KINDS.get("leadership_confidential")).replace("'", "&#39;") in page
    assert "CANARY" not in page and "Upcoming promotions" not in page and "<h2" not in page
    assert "CANARY" not in html(client, f"/local/docs/{agenda}")


def test_an_unknown_document_is_404_in_the_error_shape(client, weekly_done):
    response = client.get("/local/docs/1NoSuchDoc")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_only_safe_links_are_clickable_and_links_to_headings_stay_local():
    assert href_of(ViewSpan("x", link="javascript:alert(1)"), "d") is None
    assert href_of(ViewSpan("x", link="data:text/html,hi"), "d") is None
    assert href_of(ViewSpan("x", link="mailto:sam@example.com"), "d") == "mailto:sam@example.com"
    assert href_of(ViewSpan("x", link="https://docs.google.com/document/d/d/edit#heading=h.abc"), "d") == "#h.abc"
    assert href_of(ViewSpan("x", link="https://docs.google.com/document/d/e/edit#heading=h.abc"), "d") == "/local/docs/e#h.abc"


def _b(text: str, kind: str | None = None, depth: int = 0) -> ViewBlock:
    return ViewBlock("NORMAL_TEXT", (ViewSpan(text),), kind, depth, None)


def test_outline_nests_lists_by_depth_and_splits_them_by_kind():
    parts = outline([_b("intro"), _b("a", "bullet"), _b("a1", "bullet", 1), _b("a1x", "checkbox", 2), _b("b", "bullet"),
                     _b("n1", "number"), _b("deep", "bullet", 3), _b("after")])
    assert parts[0].text == "intro" and parts[-1].text == "after"
    bullets, numbers = parts[1], parts[2]
    assert [i.block.text for i in bullets.items] == ["a", "b"]
    assert [i.block.text for i in bullets.items[0].children[0].items] == ["a1"]
    assert bullets.items[0].children[0].items[0].children[0].kind == "checkbox"
    assert numbers.kind == "number" and numbers.items[0].children[0].items[0].block.text == "deep"
