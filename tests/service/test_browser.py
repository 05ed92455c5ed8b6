"""The local view in a real browser: headless Chromium loads a manager link and renders the document it lands on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from service.triggers.links import link_signer
from tests.service.conftest import NOW

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser() -> str | None:
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


_NO_BROWSER = ("no headless browser on PATH (chromium, chromium-browser or google-chrome); "
               ".ci/run installs Debian's chromium package — `apt-get install -y chromium` to run this test locally")
if _browser() is None and os.environ.get("CI") == "true":
    # In CI the browser is installed by .ci/run: its absence is a broken CI, not a reason to skip.
    raise RuntimeError(_NO_BROWSER)
pytestmark = pytest.mark.skipif(_browser() is None, reason=_NO_BROWSER)


@pytest.fixture
def server(app) -> Iterator[str]:
    """`docket serve`, in a thread: werkzeug's threaded server on a free port."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="docket-serve", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=5)


def dump_dom(url: str, profile) -> str:
    command = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
               "--disable-extensions", f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_a_manager_link_opens_the_rendered_document_in_chromium(server, settings, docs, tmp_path):
    token = link_signer(settings, env={}, clock=lambda: NOW.timestamp()).issue("maria@example.com", "sam@example.com")
    dom = dump_dom(f"{server}/links/{token}", tmp_path / "profile")

    (document_id,) = docs.ids()
    assert "<title>1:1 Sam Lee / María García · Docket</title>" in dom
    section = re.search(r'<h2 id="(h\.[a-z0-9]+)">2026-11-17 · Weekly 1:1</h2>', dom)
    assert section, dom[:3000]
    # The heading the link pointed at is the one Docs reports for the section.
    headings = [e["paragraph"]["paragraphStyle"].get("headingId") for e in docs.get(document_id)["body"]["content"] if "paragraph" in e]
    assert section.group(1) in headings
    assert len(re.findall(r'<input type="checkbox" disabled=""', dom)) >= 2
    assert '<a href="https://acme.zendesk.com/agent/users/361234567/assigned_tickets">Assigned tickets</a>' in dom
    assert re.search(r"<ul class=\"bullet\">\s*<li>[^<]*\s*<ul class=\"bullet\">", dom) or "</ul>\n</li>" in dom


def test_the_index_page_in_chromium(server, client, tokens, tmp_path):
    assert client.post("/tasks/weekly", headers=tokens.scheduler()).status_code == 200
    dom = dump_dom(f"{server}/local/docs", tmp_path / "profile")
    assert dom.count('href="/local/docs/') == 4
    assert "Senior Support Leadership Sync" in dom


def test_a_members_signed_link_shows_the_confidential_doc_in_chromium_and_nothing_else_does(server, client, settings, tokens,
                                                                                          weekly_done, tmp_path, capsys):
    from service.triggers.links import member_link_signer
    from tests.service.conftest import CONFIDENTIAL_CANARY, doc_of

    agenda, confidential = doc_of(weekly_done, "leadership_agenda"), doc_of(weekly_done, "leadership_confidential")
    added = client.post("/addon/items", json={"documentId": agenda, "text": CONFIDENTIAL_CANARY, "kind": "confidential"},
                        headers=tokens.person("vp@example.com"))
    assert added.status_code == 200
    signer = member_link_signer(settings, env={}, clock=lambda: NOW.timestamp())
    capsys.readouterr()

    token = signer.issue("maria@example.com", confidential)
    dom = dump_dom(f"{server}/local/docs/{confidential}?link={token}", tmp_path / "member")
    assert "<title>Senior Support Leadership Sync — confidential · Docket</title>" in dom
    assert CONFIDENTIAL_CANARY in dom  # the text, as the member reads it
    assert re.search(r'<h2 id="h\.[a-z0-9]+">2026-11-18 · Senior Support Leadership Sync \(confidential\)</h2>', dom), dom[:3000]
    assert "Shown to maria@example.com through a signed link" in dom

    plain = dump_dom(f"{server}/local/docs/{confidential}", tmp_path / "plain")
    assert "CANARY" not in plain and 'class="notice"' in plain
    outsider = dump_dom(f"{server}/local/docs/{confidential}?link={signer.issue('sam@example.com', confidential)}", tmp_path / "sam")
    assert "CANARY" not in outsider and 'class="notice"' in outsider
    elsewhere = dump_dom(f"{server}/local/docs/{agenda}?link={token}", tmp_path / "elsewhere")
    assert "CANARY" not in elsewhere and "this link opens another document" in elsewhere

    logged = capsys.readouterr().out
    assert token[-27:] not in logged and "CANARY" not in logged
