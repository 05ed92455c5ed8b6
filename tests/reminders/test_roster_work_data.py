"""A roster sheet's pairs get their Zendesk and GitLab sources, from the optional gitlab_username / zendesk_instance columns."""

from __future__ import annotations

from pathlib import Path

from service.roster import with_roster
from service.services import Services
from service.settings import load_settings
from tests.reminders.test_roster_sheet import HEADER, SAM_ROW, ZOE_ROW, roster_config, seed

SOURCES = """
[zendesk]
url = "https://example.zendesk.com"
email = "docket-api@example.com"

[zendesk.us_federal]
url = "https://example-federal.zendesk.com"
email = "docket-api@example.com"

[gitlab]
url = "https://gitlab.example.com"
"""


def resolved(tmp_path: Path, data_dir: Path, google, store, rows):  # noqa: ANN001, ANN201
    seed(store, rows)
    settings = load_settings(str(roster_config(tmp_path, SOURCES)), env={"DOCKET_DATA_DIR": str(data_dir)})
    return with_roster(Services.build(settings, google))


def test_the_sheets_work_data_columns_feed_the_pairs_sources(tmp_path, data_dir, google, store) -> None:  # noqa: ANN001
    header = [*HEADER, "gitlab_username", "zendesk_instance"]
    rows = [header, [*SAM_ROW, "sam-lee", ""], [*ZOE_ROW, "", "", "", "zoe.okafor", "us_federal"]]
    services, roster = resolved(tmp_path, data_dir, google, store, rows)
    assert roster is not None and roster.problems == ()
    workdata = services.settings.workdata
    sam = workdata.sources_for("maria@example.com", "sam@example.com")
    zoe = workdata.sources_for("maria@example.com", "zoe@example.com")
    assert (sam.zendesk.name, sam.gitlab_username, sam.zendesk_user_id) == ("default", "sam-lee", "361234567")
    assert (zoe.zendesk.name, zoe.gitlab_username) == ("us_federal", "zoe.okafor")


def test_a_sheet_without_those_columns_still_gets_the_default_instance(tmp_path, data_dir, google, store) -> None:  # noqa: ANN001
    services, _roster = resolved(tmp_path, data_dir, google, store, [HEADER, SAM_ROW])
    sam = services.settings.workdata.sources_for("maria@example.com", "sam@example.com")
    assert sam.zendesk.name == "default" and sam.gitlab_username is None


def test_bad_work_data_cells_are_reported_like_docket_toml_and_the_row_skipped(tmp_path, data_dir, google, store) -> None:  # noqa: ANN001
    header = [*HEADER, "gitlab_username", "zendesk_instance"]
    rows = [header, [*SAM_ROW, "sam lee/x", ""], [*ZOE_ROW, "", "", "", "", "emea"]]
    services, roster = resolved(tmp_path, data_dir, google, store, rows)
    assert services.settings.one_on_ones == ()
    problems = [str(p) for p in roster.problems]
    assert len(problems) == 2
    assert "row 2" in problems[0] and "is not a GitLab username" in problems[0]
    assert "row 3" in problems[1] and "'emea' is not one of the configured instances" in problems[1]
