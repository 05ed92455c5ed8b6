"""[zendesk], [gitlab] and the per-pair keys in docket.toml: parsed into typed settings, or refused naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import main
from service.errors import ConfigError
from service.settings import load_settings
from service.workdata.config import GitLabConfig, PairSources, ZendeskInstance

BASE = """
[organization]
name = "Test Support"
timezone = "America/New_York"

[[one_on_one]]
manager = "maria@example.com"
manager_name = "María García"
report = "sam@example.com"
report_name = "Sam Lee"
zendesk_user_id = "361234567"
weekday = "tuesday"
{pair}

[[one_on_one]]
manager = "maria@example.com"
manager_name = "María García"
report = "zoe@example.com"
report_name = "Zoë Okafor"
zendesk_user_id = 361234568
weekday = "thursday"
{pair2}

{tables}
"""

ZENDESK = """
[zendesk]
url = "https://acme.zendesk.com/"
email = "Docket-API@example.com"
weekly_ticket_baseline = 15
"""
GITLAB = """
[gitlab]
url = "https://gitlab.example.com/gitlab"
"""


def load(tmp_path: Path, *, pair: str = "", pair2: str = "", tables: str = ""):
    path = tmp_path / "docket.toml"
    path.write_text(BASE.format(pair=pair, pair2=pair2, tables=tables), encoding="utf-8")
    return load_settings(str(path), env={"DOCKET_DATA_DIR": str(tmp_path / "data")})


def test_without_the_tables_no_pair_has_sources(tmp_path):
    settings = load(tmp_path)
    assert settings.workdata is not None and not settings.workdata.enabled
    assert settings.workdata.sources_for("maria@example.com", "sam@example.com") is None


def test_both_sources(tmp_path):
    settings = load(tmp_path, pair='gitlab_username = "sam-lee"', tables=ZENDESK + GITLAB)
    work = settings.workdata
    instance = ZendeskInstance("default", "https://acme.zendesk.com", "docket-api@example.com", 15, "DOCKET_ZENDESK_TOKEN", 200)
    assert work.zendesk == {"default": instance}
    assert work.gitlab == GitLabConfig("https://gitlab.example.com/gitlab", "DOCKET_GITLAB_TOKEN", 300)
    assert work.sources_for("maria@example.com", "sam@example.com") == PairSources("361234567", instance, "sam-lee")
    # Zoë has no GitLab username: Zendesk only (her id was written as a TOML integer).
    assert work.sources_for("maria@example.com", "zoe@example.com") == PairSources("361234568", instance, None)


def test_a_second_named_instance_for_us_federal(tmp_path):
    tables = ZENDESK + """
[zendesk.us_federal]
url = "https://acme-federal.zendesk.com"
email = "docket-api@example.com"
requests_per_minute = 700
"""
    settings = load(tmp_path, pair2='zendesk_instance = "us_federal"', tables=tables)
    federal = settings.workdata.sources_for("maria@example.com", "zoe@example.com").zendesk
    assert (federal.name, federal.url, federal.weekly_ticket_baseline, federal.token_env, federal.requests_per_minute) == (
        "us_federal", "https://acme-federal.zendesk.com", None, "DOCKET_ZENDESK_TOKEN_US_FEDERAL", 700)
    assert settings.workdata.sources_for("maria@example.com", "sam@example.com").zendesk.name == "default"


def test_only_named_instances(tmp_path):
    tables = """
[zendesk.global]
url = "https://acme.zendesk.com"
email = "docket-api@example.com"
"""
    settings = load(tmp_path, pair='zendesk_instance = "global"', pair2='zendesk_instance = "global"', tables=tables)
    assert settings.workdata.sources_for("maria@example.com", "sam@example.com").zendesk.token_env == "DOCKET_ZENDESK_TOKEN_GLOBAL"


@pytest.mark.parametrize("kwargs, key, words", [
    ({"tables": ZENDESK + "token = 'secret'\n"}, "zendesk.token", "unknown key"),
    ({"tables": ZENDESK.replace("https://acme.zendesk.com/", "ftp://acme")}, "zendesk.url", "not an http(s) URL"),
    ({"tables": ZENDESK.replace("https://acme.zendesk.com/", "http://localhost:8000")}, "zendesk.url", "host name with a dot"),
    ({"tables": ZENDESK.replace("https://acme.zendesk.com/", "https://acme.zendesk.com/api/v2")}, "zendesk.url", "base URL"),
    ({"tables": ZENDESK.replace('email = "Docket-API@example.com"\n', "")}, "zendesk.email", "is required"),
    ({"tables": ZENDESK.replace("Docket-API@example.com", "docket-api")}, "zendesk.email", "not an email address"),
    ({"tables": ZENDESK.replace("= 15", "= 0")}, "zendesk.weekly_ticket_baseline", "between 1 and 10000"),
    ({"tables": ZENDESK.replace("= 15", '= "15"')}, "zendesk.weekly_ticket_baseline", "must be a int"),
    ({"tables": "[zendesk]\n"}, "zendesk", "needs url and email"),
    ({"tables": "[zendesk]\nurl = 5\nemail = 'a@example.com'\n"}, "zendesk.url", "must be a str"),
    ({"tables": ZENDESK + "[zendesk.Federal]\nurl = 'https://f.zendesk.com'\nemail = 'a@example.com'\n"}, "zendesk.Federal",
     "not a Zendesk instance name"),
    ({"tables": ZENDESK + "[zendesk.default]\nurl = 'https://f.zendesk.com'\nemail = 'a@example.com'\n"}, "zendesk.default",
     "reserved"),
    ({"tables": ZENDESK + "[zendesk.fed]\nurl = 'https://f.zendesk.com'\n"}, "zendesk.fed.email", "is required"),
    ({"tables": GITLAB + "token = 'x'\n"}, "gitlab.token", "unknown key"),
    ({"tables": GITLAB + "requests_per_minute = 0\n"}, "gitlab.requests_per_minute", "between 1 and 100000"),
    ({"tables": ZENDESK + "requests_per_minute = true\n"}, "zendesk.requests_per_minute", "must be a int"),
    ({"tables": "[gitlab]\nurl = 'gitlab.com'\n"}, "gitlab.url", "not an http(s) URL"),
    ({"pair": 'gitlab_username = "sam"'}, "one_on_one[0].gitlab_username", "no [gitlab] table"),
    ({"pair": 'gitlab_username = "@sam"', "tables": GITLAB}, "one_on_one[0].gitlab_username", "not a GitLab username"),
    ({"pair": 'gitlab_username = "sam lee"', "tables": GITLAB}, "one_on_one[0].gitlab_username", "not a GitLab username"),
    ({"pair2": 'zendesk_instance = "global"'}, "one_on_one[1].zendesk_instance", "no [zendesk] table"),
    ({"pair2": 'zendesk_instance = "fed"', "tables": ZENDESK}, "one_on_one[1].zendesk_instance", "not one of the configured"),
    ({"tables": "[zendesk.global]\nurl = 'https://a.zendesk.com'\nemail = 'a@example.com'\n"}, "one_on_one[0].zendesk_instance",
     "is required"),
    ({"pair": 'gitlab_usrname = "sam"', "tables": GITLAB}, "one_on_one[0].gitlab_usrname", "unknown key"),
    ({"tables": "[zendsk]\nurl = 'https://a.zendesk.com'\n"}, "zendsk", "unknown key"),
])
def test_mistakes_are_refused_naming_the_key(tmp_path, kwargs, key, words):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, **kwargs)
    assert caught.value.key == key
    assert words in caught.value.message and "docket.toml" in caught.value.message


def test_the_cli_exits_2_naming_the_key_and_writes_nothing(tmp_path):
    path = tmp_path / "docket.toml"
    path.write_text(BASE.format(pair="", pair2="", tables=ZENDESK.replace("https://acme.zendesk.com/", "not a url")),
                    encoding="utf-8")
    data = tmp_path / "data"
    result = CliRunner().invoke(main, ["weekly", "--config", str(path)], env={"DOCKET_DATA_DIR": str(data)})
    assert result.exit_code == 2
    assert "zendesk.url" in result.output and str(path) in result.output
    assert not data.exists()  # refused before anything was created


def test_a_token_in_docket_toml_is_refused_not_read(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, tables=GITLAB + 'private_token = "glpat-secret-value"\n')
    assert "glpat-secret-value" not in caught.value.message
