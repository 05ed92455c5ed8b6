"""A leadership member reads the confidential doc locally: `docs show --as`, `--json`, and the HTML view behind a member's signed link."""

from __future__ import annotations

import dataclasses
import json

import pytest

from service.app import create_app
from service.cli import main
from service.member_link import MemberLinks
from service.meetings.catalog import BUILTIN_KINDS
from service.meetings.reading import withheld_notice
from service.secret_key import load_secret_key
from service.triggers.links import link_signer, member_link_signer
from tests.service.conftest import CONFIDENTIAL_CANARY, NOW, doc_of
from tests.service.test_scheduler import rejected

DAY = 86_400
NOTICE = withheld_notice(BUILTIN_KINDS.get("leadership_confidential")).replace("'", "&#39;")


@pytest.fixture
def confidential(client, tokens, weekly_done) -> str:
    """The confidential doc, holding one confidential item (the canary)."""
    agenda = doc_of(weekly_done, "leadership_agenda")
    added = client.post("/addon/items", json={"documentId": agenda, "text": CONFIDENTIAL_CANARY, "kind": "confidential"},
                        headers=tokens.person("vp@example.com"))
    assert added.status_code == 200, added.get_json()
    return doc_of(weekly_done, "leadership_confidential")


def member_link(settings, viewer: str, document_id: str, *, days: int = 1, at: float | None = None) -> str:
    at = NOW.timestamp() if at is None else at
    return member_link_signer(settings, env={}, clock=lambda: at).issue(viewer, document_id, days=days)


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_a_members_link_shows_the_confidential_doc_and_without_it_only_the_notice(client, settings, confidential):
    shown = page(client, f"/local/docs/{confidential}?link={member_link(settings, 'maria@example.com', confidential)}")
    assert "CANARY-7f3a" in shown and NOTICE not in shown
    assert "Shown to maria@example.com through a signed link" in shown
    assert "CANARY" not in page(client, f"/local/docs/{confidential}")
    assert NOTICE in page(client, f"/local/docs/{confidential}")


def test_the_response_is_never_cached_nor_referred(client, settings, confidential):
    response = client.get(f"/local/docs/{confidential}?link={member_link(settings, 'vp@example.com', confidential)}")
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Referrer-Policy"] == "no-referrer"


def test_a_link_for_someone_who_is_not_a_member_shows_only_the_notice(client, settings, confidential):
    shown = page(client, f"/local/docs/{confidential}?link={member_link(settings, 'sam@example.com', confidential)}")
    assert "CANARY" not in shown and NOTICE in shown


def test_membership_is_checked_when_the_link_is_opened(settings, google, clock, confidential):
    token = member_link(settings, "maria@example.com", confidential)
    leadership = dataclasses.replace(settings.leadership, members=("vp@example.com",))
    after = create_app(dataclasses.replace(settings, leadership=leadership), google=google, clock=clock).test_client()
    shown = page(after, f"/local/docs/{confidential}?link={token}")
    assert "CANARY" not in shown and NOTICE in shown


def test_a_link_opens_only_its_own_document(client, settings, weekly_done, confidential):
    agenda = doc_of(weekly_done, "leadership_agenda")
    rejected(client.get(f"/local/docs/{agenda}?link={member_link(settings, 'vp@example.com', confidential)}"), 403, "forbidden")


def bad_tokens(settings, confidential: str) -> dict[str, str]:
    token = member_link(settings, "vp@example.com", confidential)
    secret = load_secret_key(settings.data_dir, {})
    return {
        "flipped": token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:],
        "garbage": "not-a-token",
        "other key": MemberLinks("z" * 40, clock=lambda: NOW.timestamp()).issue("vp@example.com", confidential),
        # A manager link is signed with the same key for another purpose: it never opens this view.
        "manager link": link_signer(settings, env={}, clock=lambda: NOW.timestamp()).issue("vp@example.com", "sam@example.com"),
        "same key, other salt": _other_salt(secret, confidential),
    }


def _other_salt(secret: str, confidential: str) -> str:
    from service.signed_links import SignedLinks

    return SignedLinks(secret, salt="docket.other", clock=lambda: NOW.timestamp()).sign({"v": "vp@example.com", "d": confidential}, days=1)


@pytest.mark.parametrize("case", ["flipped", "garbage", "other key", "manager link", "same key, other salt"])
def test_a_bad_link_is_403_and_shows_nothing(client, settings, confidential, case):
    response = client.get(f"/local/docs/{confidential}?link={bad_tokens(settings, confidential)[case]}")
    rejected(response, 403, "forbidden")
    assert "CANARY" not in response.get_data(as_text=True)


def test_an_expired_link_is_410(client, settings, confidential):
    token = member_link(settings, "vp@example.com", confidential, days=1, at=NOW.timestamp() - 2 * DAY)
    rejected(client.get(f"/local/docs/{confidential}?link={token}"), 410, "gone")


def test_neither_the_token_nor_the_text_reaches_the_logs(client, settings, confidential, capsys):
    token = member_link(settings, "vp@example.com", confidential)
    capsys.readouterr()
    assert "CANARY" in page(client, f"/local/docs/{confidential}?link={token}")
    out = capsys.readouterr().out
    assert token[:30] not in out and token[-20:] not in out and "CANARY" not in out and "performance plan" not in out
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    opened = [e for e in lines if e["message"] == "document opened with a member link"]
    assert [(e["actor"], e["document_id"], e["action"]) for e in opened] == [("vp@example.com", confidential, "shown")]


# --- the command line ---------------------------------------------------------------------------


def _confidential_id(runner) -> str:
    listing = runner.invoke(main, ["docs", "list"]).output
    return next(line.split()[1] for line in listing.splitlines() if line.startswith("leadership_confidential"))


@pytest.fixture
def cli_confidential(runner) -> str:
    assert runner.invoke(main, ["weekly", "--date", "2026-11-18"]).exit_code == 0
    added = runner.invoke(main, ["add-item", "--author", "vp@example.com", "--confidential", "--text", CONFIDENTIAL_CANARY,
                                 "--date", "2026-11-18"])
    assert added.exit_code == 0, added.output
    return _confidential_id(runner)


def test_docs_show_as_a_member_prints_the_confidential_doc_as_text_and_json(runner, cli_confidential):
    text = runner.invoke(main, ["docs", "show", cli_confidential, "--as", "maria@example.com"])
    assert text.exit_code == 0 and CONFIDENTIAL_CANARY in text.output
    as_json = runner.invoke(main, ["docs", "show", cli_confidential, "--json", "--as", "VP@example.com"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["documentId"] == cli_confidential and "CANARY-7f3a" in as_json.stdout


def test_docs_show_as_anyone_else_is_refused_with_exit_2(runner, cli_confidential):
    for args in (["--as", "sam@example.com"], ["--json", "--as", "sam@example.com"]):
        refused = runner.invoke(main, ["docs", "show", cli_confidential, *args])
        assert refused.exit_code == 2, refused.output
        assert "CANARY" not in refused.output and "sam@example.com is not one of the leadership members" in refused.output
    typo = runner.invoke(main, ["docs", "show", cli_confidential, "--as", "maria@exmaple.com"])
    assert typo.exit_code == 2 and "did you mean maria@example.com?" in typo.output and "CANARY" not in typo.output
    anonymous = runner.invoke(main, ["docs", "show", cli_confidential])
    assert anonymous.exit_code == 0 and "CANARY" not in anonymous.output


def test_docket_link_confidential_prints_a_link_that_the_local_view_opens(runner, cli_confidential, settings, google, clock):
    result = runner.invoke(main, ["link", "--confidential", "--member", "vp@example.com"])
    assert result.exit_code == 0, result.output
    url = result.stdout.strip()
    assert url.startswith(f"http://127.0.0.1:8080/local/docs/{cli_confidential}?link=")
    client = create_app(settings, google=google).test_client()
    assert "CANARY-7f3a" in page(client, url.removeprefix("http://127.0.0.1:8080"))


def test_docket_link_confidential_refuses_non_members_and_needs_the_doc(runner):
    before = runner.invoke(main, ["link", "--confidential", "--member", "vp@example.com"])
    assert before.exit_code == 2 and "docket weekly" in before.output
    assert runner.invoke(main, ["weekly", "--date", "2026-11-18"]).exit_code == 0
    stranger = runner.invoke(main, ["link", "--confidential", "--member", "sam@example.com"])
    assert stranger.exit_code == 2 and "/local/docs/" not in stranger.output
    typo = runner.invoke(main, ["link", "--confidential", "--member", "vp@exampel.com"])
    assert typo.exit_code == 2 and "did you mean vp@example.com?" in typo.output
    assert runner.invoke(main, ["link", "--confidential"]).exit_code == 2
    assert runner.invoke(main, ["link", "--confidential", "--member", "vp@example.com", "--report", "sam@example.com"]).exit_code == 2
