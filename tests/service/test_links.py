"""GET /links/<token>: signed, expiring manager links; and `docket link`, which prints them."""

from __future__ import annotations

import dataclasses
import re

import pytest

from service.cli import main
from service.errors import ConfigError
from service.manager_link import ManagerLinks
from service.secret_key import load_secret_key
from service.triggers.links import link_signer, local_section_url
from tests.service.conftest import NOW
from tests.service.test_scheduler import rejected

DAY = 86_400


def issue(settings, *, report="sam@example.com", manager="maria@example.com", days=30, at=None) -> str:
    at = NOW.timestamp() if at is None else at
    return link_signer(settings, env={}, clock=lambda: at).issue(manager, report, days=days)


def heading_ids(docs, document_id: str) -> list[str]:
    return [e["paragraph"]["paragraphStyle"]["headingId"] for e in docs.get(document_id)["body"]["content"]
            if "paragraph" in e and e["paragraph"]["paragraphStyle"].get("headingId")]


def test_a_valid_link_makes_the_doc_and_section_and_redirects_to_its_heading(client, settings, docs):
    assert docs.ids() == []
    response = client.get(f"/links/{issue(settings)}")
    assert response.status_code == 302
    location = response.headers["Location"]
    match = re.fullmatch(r"/local/docs/([A-Za-z0-9_-]+)#(h\.[a-z0-9]+)", location)
    assert match, location
    document_id, heading = match.groups()
    assert docs.ids() == [document_id]  # only Sam's 1:1: the link is scoped to one pair
    assert heading in heading_ids(docs, document_id)
    assert "2026-11-17" in docs.text(document_id)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"

    page = client.get(location.partition("#")[0])
    assert page.status_code == 200
    assert f'id="{heading}"' in page.get_data(as_text=True)

    again = client.get(f"/links/{issue(settings)}")
    assert again.headers["Location"] == location
    assert docs.ids() == [document_id]


def test_on_the_google_backend_the_link_goes_to_google_docs(settings, google, clock, monkeypatch):
    from service.app import create_app

    monkeypatch.setenv("DOCKET_SECRET_KEY", "k" * 40)
    real = dataclasses.replace(settings, google=dataclasses.replace(settings.google, credentials="adc"))
    client = create_app(real, google=google, clock=clock).test_client()
    token = ManagerLinks("k" * 40, clock=lambda: NOW.timestamp()).issue("maria@example.com", "sam@example.com")
    response = client.get(f"/links/{token}")
    assert response.status_code == 302
    assert re.fullmatch(r"https://docs\.google\.com/document/d/[A-Za-z0-9_-]+/edit#heading=h\.[a-z0-9]+", response.headers["Location"])
    assert client.get("/local/docs").status_code == 404  # no local views when documents live in Google


def tampered_tokens(settings) -> dict[str, str]:
    token = issue(settings)
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    other_key = ManagerLinks("z" * 40, clock=lambda: NOW.timestamp()).issue("maria@example.com", "sam@example.com")
    other_purpose = ManagerLinks(load_secret_key(settings.data_dir, {}), salt="docket.other",
                                 clock=lambda: NOW.timestamp()).issue("maria@example.com", "sam@example.com")
    return {"flipped": flipped, "truncated": token[:20], "garbage": "not-a-token", "other key": other_key,
            "other purpose": other_purpose}


@pytest.mark.parametrize("case", ["flipped", "truncated", "garbage", "other key", "other purpose"])
def test_a_tampered_link_is_403_and_nothing_changes(client, settings, docs, case):
    before = docs.snapshot()
    response = client.get(f"/links/{tampered_tokens(settings)[case]}")
    rejected(response, 403, "forbidden")
    assert docs.snapshot() == before
    assert docs.ids() == []


def test_an_expired_link_is_410_and_nothing_changes(client, settings, docs):
    before = docs.snapshot()
    token = issue(settings, days=30, at=NOW.timestamp() - 31 * DAY)
    rejected(client.get(f"/links/{token}"), 410, "gone")
    assert docs.snapshot() == before
    assert docs.ids() == []


def test_a_link_whose_pair_left_the_roster_opens_nothing(client, settings, docs):
    before = docs.snapshot()
    rejected(client.get(f"/links/{issue(settings, manager='kenji@example.com')}"), 403, "forbidden")
    rejected(client.get(f"/links/{issue(settings, report='gone@example.com')}"), 403, "forbidden")
    assert docs.snapshot() == before


def test_link_tokens_never_reach_the_logs(client, settings, capsys):
    token = issue(settings)
    capsys.readouterr()
    client.get(f"/links/{token}")
    client.get(f"/links/{token[:-2]}xx")
    out = capsys.readouterr().out
    assert "/links/<token>" in out
    assert token[:30] not in out


def test_the_cli_prints_a_link_that_the_server_opens(runner, client, docs, settings):
    result = runner.invoke(main, ["link", "--report", "sam@example.com", "--days", "7"])
    assert result.exit_code == 0, result.output
    url = result.stdout.strip()
    assert url.startswith("http://127.0.0.1:8080/links/")
    response = client.get(url.removeprefix("http://127.0.0.1:8080"))
    assert response.status_code == 302 and response.headers["Location"].startswith("/local/docs/")


def test_the_cli_refuses_an_unknown_report_and_bad_days(runner):
    unknown = runner.invoke(main, ["link", "--report", "nobody@example.com"])
    assert unknown.exit_code == 2 and "nobody@example.com" in unknown.output
    assert runner.invoke(main, ["link", "--report", "sam@example.com", "--days", "0"]).exit_code == 2


def test_the_google_backend_needs_a_shared_secret_key(settings):
    real = dataclasses.replace(settings, google=dataclasses.replace(settings.google, credentials="adc"))
    with pytest.raises(ConfigError, match="DOCKET_SECRET_KEY"):
        link_signer(real, env={})
    assert link_signer(real, env={"DOCKET_SECRET_KEY": "s" * 40}) is not None


def test_local_section_url():
    assert local_section_url("abc", "https://docs.google.com/document/d/abc/edit#heading=h.x1") == "/local/docs/abc#h.x1"
    assert local_section_url("abc", "https://docs.google.com/document/d/abc/edit") == "/local/docs/abc"


def test_an_engineer_with_two_managers_gets_a_working_link_for_each(tmp_path, settings_file, data_dir, oidc):
    from click.testing import CliRunner

    from service.app import create_app
    from service.cli import main
    from service.settings import load_settings

    second = settings_file.read_text(encoding="utf-8").replace("[leadership]", """[[one_on_one]]
manager = "kenji@example.com"
manager_name = "Kenji Watanabe"
report = "sam@example.com"
report_name = "Sam Lee"
zendesk_user_id = "361234567"
weekday = "friday"

[leadership]""", 1)
    path = tmp_path / "two-managers.toml"
    path.write_text(second, encoding="utf-8")
    env = {"DOCKET_CONFIG": str(path), "DOCKET_DATA_DIR": str(data_dir)}
    runner = CliRunner()
    ambiguous = runner.invoke(main, ["link", "--report", "sam@example.com"], env=env)
    assert ambiguous.exit_code == 2 and "--manager" in ambiguous.output
    link = runner.invoke(main, ["link", "--report", "sam@example.com", "--manager", "kenji@example.com"], env=env)
    assert link.exit_code == 0, link.output
    token = link.stdout.strip().rsplit("/links/", 1)[1]
    app = create_app(load_settings(str(path), env={"DOCKET_DATA_DIR": str(data_dir), "DOCKET_AUTH_CERTS_URL": oidc.certs_url}))
    response = app.test_client().get(f"/links/{token}")
    assert response.status_code == 302, response.get_data(as_text=True)
    doc_id = response.headers["Location"].split("/local/docs/")[1].split("#")[0]
    props = app.extensions["docket"].registry.get(doc_id).properties
    assert (props["docket_manager"], props["docket_report"]) == ("kenji@example.com", "sam@example.com")
