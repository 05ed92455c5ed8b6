"""docket.toml is validated with errors that name the key and the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.errors import ConfigError
from service.settings import load_settings

BASE = """
[organization]
name = "Acme Support 🛟"
timezone = "Europe/Berlin"
domains = ["acme.test"]

[[one_on_one]]
manager = "m@acme.test"
manager_name = "Mé"
report = "r@acme.test"
report_name = "Ré"
zendesk_user_id = "42"
weekday = "tuesday"
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "docket.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_bundled_example_loads_when_nothing_is_configured(tmp_path):
    settings = load_settings(None, env={}, cwd=tmp_path)
    assert settings.source.startswith("the bundled example")
    assert settings.backend == "embedded"
    assert len(settings.one_on_ones) >= 2
    assert settings.data_dir == tmp_path / ".docket"
    cadences = {i.title: (i.cadence, i.confidential) for i in settings.leadership.standing_items}
    assert cadences == {
        "Metrics and KPIs": ("weekly", False),
        "Upcoming promotions": ("monthly", True),
        "Underperformance": ("monthly", True),
        "Discretionary Bonuses": ("monthly", True),
        "Team building budget": ("quarterly", False),
    }


def test_order_explicit_then_env_then_cwd(tmp_path):
    explicit = write(tmp_path, BASE)
    other = tmp_path / "other.toml"
    other.write_text(BASE.replace("Acme Support 🛟", "From env"), encoding="utf-8")
    assert load_settings(explicit, env={"DOCKET_CONFIG": str(other)}).organization.name == "Acme Support 🛟"
    assert load_settings(None, env={"DOCKET_CONFIG": str(other)}).organization.name == "From env"
    assert load_settings(None, env={}, cwd=tmp_path).organization.name == "Acme Support 🛟"


def test_pair_defaults_to_the_organisation_time_zone_and_lowercases_emails(tmp_path):
    s = load_settings(write(tmp_path, BASE.replace("m@acme.test", "M@Acme.Test")), env={})
    pair = s.one_on_ones[0]
    assert (pair.manager, pair.timezone, pair.weekday) == ("m@acme.test", "Europe/Berlin", 1)


def test_environment_overrides(tmp_path):
    s = load_settings(write(tmp_path, BASE), env={"DOCKET_GOOGLE_ENDPOINT": "http://127.0.0.1:9000/", "DOCKET_DATA_DIR": str(tmp_path / "d"),
                                                  "DOCKET_AUTH_CERTS_URL": "http://127.0.0.1:1/certs"})
    assert s.backend == "endpoint" and s.google.endpoint == "http://127.0.0.1:9000"
    assert s.data_dir == tmp_path / "d"
    assert s.auth.certs_url == "http://127.0.0.1:1/certs"


@pytest.mark.parametrize(
    "change, key, words",
    [
        (("timezone = \"Europe/Berlin\"", "timezone = \"Mars/Olympus\""), "organization.timezone", "IANA"),
        (("weekday = \"tuesday\"", "weekday = \"funday\""), "one_on_one[0].weekday", "weekday"),
        (("report = \"r@acme.test\"", "report = \"not-an-email\""), "one_on_one[0].report", "email"),
        (("zendesk_user_id = \"42\"", "zendesk_user_id = \"42\"\ncolour = \"blue\""), "one_on_one[0].colour", "unknown key"),
        (("[organization]", "[organisation]"), "organisation", "unknown key"),
        (("zendesk_user_id = \"42\"", "zendesk_user_id = \"abc\""), "one_on_one[0].zendesk_user_id", "Zendesk"),
        (("name = \"Acme Support 🛟\"", "name = 7"), "organization.name", "must be a str"),
        (("domains = [\"acme.test\"]", "domains = [\"not a domain\"]"), "organization.domains", "domain"),
    ],
)
def test_bad_values_name_the_key_and_the_file(tmp_path, change, key, words):
    path = write(tmp_path, BASE.replace(*change))
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert info.value.key == key
    assert path in info.value.message
    assert words in info.value.message


def test_unknown_cadence_and_member_names(tmp_path):
    text = BASE + """
[leadership]
weekday = "wednesday"
members = ["a@acme.test"]
member_names = { "b@acme.test" = "Bee" }
"""
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env={})
    assert info.value.key == "leadership.member_names.b@acme.test"
    bad_cadence = BASE + '[leadership]\nweekday = "wednesday"\nmembers = ["a@acme.test"]\n[[leadership.standing_item]]\ntitle = "X"\ncadence = "fortnightly"\n'
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, bad_cadence), env={})
    assert info.value.key == "leadership.standing_item[0].cadence"


def test_broken_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[organization\nname="), env={})
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(str(tmp_path / "missing.toml"), env={})


def test_duplicate_pair_is_rejected(tmp_path):
    entry = BASE[BASE.index("[[one_on_one]]"):]
    with pytest.raises(ConfigError, match="listed twice"):
        load_settings(write(tmp_path, BASE + entry), env={})


def test_unpaced_writes_are_for_emulators_only(tmp_path):
    unpaced = BASE + "\n[dispatch]\nwrites_per_minute = 0\n"
    path = write(tmp_path, unpaced)
    assert load_settings(path, env={}).dispatch.writes_per_minute == 0  # the embedded default
    endpoint = load_settings(path, env={"DOCKET_GOOGLE_ENDPOINT": "http://127.0.0.1:9000"})
    from service.google.clients import google_for

    assert google_for(endpoint).pacer is None  # an emulator endpoint: nothing to wait for
    google = write(tmp_path, unpaced + "\n[google]\ncredentials = \"adc\"\n")
    with pytest.raises(ConfigError) as info:
        load_settings(google, env={})
    assert info.value.key == "dispatch.writes_per_minute" and "emulator" in info.value.message
    with pytest.raises(ConfigError, match="between 0"):
        load_settings(write(tmp_path, BASE + "\n[dispatch]\nwrites_per_minute = 601\n"), env={})


LEADERSHIP = """
[leadership]
weekday = "wednesday"
members = ["vp@acme.test"]
"""


def test_the_agenda_is_open_to_the_organisation_unless_opted_out(tmp_path):
    # The handbook: the agenda "is available to all GitLab Team Members"; members-only is the opt-out.
    assert load_settings(write(tmp_path, BASE + LEADERSHIP), env={}).leadership.agenda_open_to_organization is True
    opted_out = BASE + LEADERSHIP + "agenda_open_to_organization = false\n"
    assert load_settings(write(tmp_path, opted_out), env={}).leadership.agenda_open_to_organization is False


def test_a_docket_toml_from_scratch_gets_a_shared_drive_on_the_embedded_default(tmp_path):
    # The built-in emulator acts as a service account, which owns no files: without a drive the first run failed.
    from service.settings import EMBEDDED_DRIVE_ID

    assert load_settings(write(tmp_path, BASE), env={}).google.folder_id == EMBEDDED_DRIVE_ID
    assert load_settings(write(tmp_path, BASE), env={"DOCKET_GOOGLE_ENDPOINT": "http://127.0.0.1:9"}).google.folder_id is None
    named = BASE + '\n[google]\nfolder_id = "0AMine"\n'
    assert load_settings(write(tmp_path, named), env={}).google.folder_id == "0AMine"
