"""`[reminders]`, `[roster]` and the pair's reminder keys in docket.toml; delegation to each engineer for Calendar."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.errors import ConfigError
from service.google.clients import CALENDAR_SCOPES, google_for
from service.settings import load_settings
from tests.conftest import ROSTER, SHARED_DRIVE
from tests.engine.test_credentials import SA_EMAIL, key_file  # noqa: F401 - the fixture

SECRET_URL = "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=SECRET-KEY&token=SECRET-TOKEN"


def load(tmp_path: Path, extra: str, *, pair: str = "") -> object:
    text = ROSTER.format(drive=SHARED_DRIVE).replace('timezone = "Europe/Berlin"\n', 'timezone = "Europe/Berlin"\n' + pair, 1) + extra
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(str(path), env={"DOCKET_DATA_DIR": str(tmp_path / "d")})


def test_the_sections_are_read(tmp_path) -> None:  # noqa: ANN001
    settings = load(tmp_path, '\n[reminders]\nchat_webhook = "env:HOOK"\npto_calendar_id = "c_1@group.calendar.google.com"\n',
                    pair='chat_webhook = "env:MARIA_HOOK"\nprep_nudge = true\n')
    assert settings.reminders.enabled and settings.reminders.chat_webhook == "env:HOOK"
    assert settings.reminders.pto_calendar_id == "c_1@group.calendar.google.com" and not settings.reminders.demo_time_off
    sam = settings.one_on_ones[0]
    assert (sam.chat_webhook, sam.prep_nudge) == ("env:MARIA_HOOK", True)
    assert (settings.one_on_ones[1].chat_webhook, settings.one_on_ones[1].prep_nudge) == (None, False)
    assert not load(tmp_path, "").reminders.enabled


@pytest.mark.parametrize("extra, pair, key", [
    (f'\n[reminders]\nchat_webhook = "{SECRET_URL}"\n', "", "reminders.chat_webhook"),
    ("", f'chat_webhook = "{SECRET_URL}"\n', "one_on_one[0].chat_webhook"),
    ('\n[reminders]\nchat_webhook = "env:lower"\n', "", "reminders.chat_webhook"),
    ('\n[reminders]\npto_calendar_id = "team pto"\n', "", "reminders.pto_calendar_id"),
    ('\n[reminders]\ndemo_time_off = "yes"\n', "", "reminders.demo_time_off"),
    ('\n[reminders]\nwebhook = "env:X"\n', "", "reminders.webhook"),
    ("", 'prep_nudge = "true"\n', "one_on_one[0].prep_nudge"),
    ('\n[roster]\nrange = "Pairs!A1:I"\n', "", "roster.sheet_id"),
    ('\n[roster]\nsheet_id = "https://docs.google.com/spreadsheets/d/abc"\n', "", "roster.sheet_id"),
])
def test_bad_values_name_their_key_and_never_echo_a_url(tmp_path, extra, pair, key) -> None:  # noqa: ANN001
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, extra, pair=pair)
    assert f"key '{key}'" in caught.value.message
    assert "SECRET" not in caught.value.message


def test_engineers_calendars_are_read_through_delegation_to_each_engineer(tmp_path, settings_file, key_file) -> None:  # noqa: ANN001, F811
    text = settings_file.read_text(encoding="utf-8").replace('[google]\nfolder_id = "0ATestSharedDrive"',
                                                             f'[google]\nfolder_id = "0ATestSharedDrive"\ncredentials = "{key_file}"')
    path = tmp_path / "real.toml"
    path.write_text(text, encoding="utf-8")
    google = google_for(load_settings(str(path), env={"DOCKET_DATA_DIR": str(tmp_path / "d")}))
    assert google.identity == SA_EMAIL  # Docket itself: Docs, Drive, the roster sheet
    acting = google._acting("sam@example.com", CALENDAR_SCOPES)
    credentials = acting.credentials
    assert credentials.service_account_email == SA_EMAIL and credentials._subject == "sam@example.com"
    assert tuple(credentials._scopes) == ("https://www.googleapis.com/auth/calendar.readonly",)
    assert google._acting("sam@example.com", CALENDAR_SCOPES).credentials is credentials  # one set per engineer
