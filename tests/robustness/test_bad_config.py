"""Issue 5.4 (configuration and command line): a corrupted docket.toml or a bad argument is exit code 2 with a message
naming the key (or option) and the file, and the data dir — the embedded emulator's documents — is left exactly as it was.

Extends tests/engine/test_settings.py and test_cli.py (which cover a few bad values through load_settings and one bad
time zone through the command): here every corruption goes through the real command, over a data dir that already
holds documents, and the whole data dir is compared byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from service.cli import main
from tests.conftest import ROSTER, SHARED_DRIVE
from tests.robustness.conftest import tree_digest

GOOD = ROSTER.format(drive=SHARED_DRIVE)


def edit(old: str, new: str, count: int = 1) -> bytes:
    assert old in GOOD, old
    return GOOD.replace(old, new, count).encode("utf-8")


# name → (file bytes, the key the message must name (None: a parse error, which names line and column instead), words)
CORRUPTIONS: dict[str, tuple[bytes, str | None, str]] = {
    "truncated mid-table": (GOOD[: GOOD.index("[[one_on_one]]") + 30].encode(), None, "not valid TOML"),
    "truncated mid-string": (GOOD[: GOOD.index('"Europe/Berlin"') + 5].encode(), None, "not valid TOML"),
    "NUL byte": (edit("Test Support", "Test\x00Support"), None, "not valid TOML"),
    "duplicate key": (edit('weekday = "tuesday"', 'weekday = "tuesday"\nweekday = "monday"'), None, "not valid TOML"),
    "empty file": (b"", "organization", "is required"),
    "only comments": (b"# nothing here yet\n", "organization", "is required"),
    "misspelt section": (edit("[organization]", "[organisation]"), "organisation", "unknown key"),
    "unknown top-level table": ((GOOD + '\n[servcie]\nbase_url = "http://x.example"\n').encode(), "servcie", "unknown key"),
    "unknown key in a table": (edit("[service]", '[service]\nbase_ulr = "http://x.example"'), "service.base_ulr", "unknown key"),
    "unknown key in a pair": (edit('zendesk_user_id = "361234567"', 'zendesk_user_id = "361234567"\nmood = 5'),
                              "one_on_one[0].mood", "unknown key"),
    "weekday is a number": (edit('weekday = "tuesday"', "weekday = 2"), "one_on_one[0].weekday", "must be a str"),
    "unknown weekday": (edit('weekday = "tuesday"', 'weekday = "tuesdy"'), "one_on_one[0].weekday", "not a weekday"),
    "unknown time zone": (edit('timezone = "Europe/Berlin"', 'timezone = "Europe/Berlim"'), "one_on_one[0].timezone", "IANA"),
    "time zone as a path": (edit('timezone = "Europe/Berlin"', 'timezone = "../../../etc/passwd"'), "one_on_one[0].timezone", "IANA"),
    "organisation time zone": (edit('timezone = "America/New_York"', 'timezone = "EST5EDT "'), "organization.timezone", "IANA"),
    "bad report email": (edit('report = "sam@example.com"', 'report = "sam@example"'), "one_on_one[0].report", "not an email"),
    "bad member email": (edit('members = ["vp@example.com", "maria@example.com"]', 'members = ["vp", "maria@example.com"]'),
                         "leadership.members", "not an email"),
    "bad scheduler account": (edit('scheduler_service_accounts = ["scheduler@proj.iam.gserviceaccount.com"]',
                                   'scheduler_service_accounts = ["scheduler"]'), "auth.scheduler_service_accounts", "not an email"),
    "accounts not a list": (edit('scheduler_service_accounts = ["scheduler@proj.iam.gserviceaccount.com"]',
                                 'scheduler_service_accounts = "scheduler@proj.iam.gserviceaccount.com"'),
                            "auth.scheduler_service_accounts", "must be a list"),
    "audience is a number": (edit('audience = "https://docket.example.run.app"', "audience = 5"), "auth.audience", "must be a str"),
    "domains not a list": (edit('domains = ["example.com"]', 'domains = "example.com"'), "organization.domains", "must be a list"),
    "bad domain": (edit('domains = ["example.com"]', 'domains = ["example com"]'), "organization.domains", "not a domain"),
    "duplicate pair": (edit('report = "zoe@example.com"', 'report = "SAM@example.com"'), "one_on_one[1].report", "listed twice"),
    "own report": (edit('report = "sam@example.com"', 'report = "maria@example.com"'), "one_on_one[0].report", "own report"),
    "negative zendesk id": (edit('zendesk_user_id = "361234567"', "zendesk_user_id = -5"), "one_on_one[0].zendesk_user_id", "digits"),
    "unknown cadence": (edit('cadence = "weekly"', 'cadence = "biweekly"'), "leadership.standing_item[0].cadence", "biweekly"),
    "confidential as a string": (edit("confidential = true", 'confidential = "yes"'), "leadership.standing_item[1].confidential",
                                 "must be a bool"),
    "member names an outsider": (edit('"vp@example.com" = "Valentina Perez"', '"eve@example.com" = "Eve"'),
                                 "leadership.member_names.eve@example.com", "not one of leadership.members"),
    "empty folder id": (edit(f'folder_id = "{SHARED_DRIVE}"', 'folder_id = ""'), "google.folder_id", "must not be empty"),
    "blank manager name": (edit('manager_name = "María García"', 'manager_name = "  "'), "one_on_one[0].manager_name", "must not be empty"),
    "javascript base url": (edit('base_url = "http://127.0.0.1:8080"', 'base_url = "javascript:alert(1)"'), "service.base_url",
                            "not an http(s) URL"),
    "cloud tasks without a queue": ((GOOD + '\n[dispatch]\nmode = "cloud-tasks"\n').encode(), "dispatch.queue", "is required"),
    "pair is not a table": (b'one_on_one = [1, 2]\n[organization]\nname = "x"\ntimezone = "UTC"\n', "one_on_one[0]", "must be a table"),
    "pairs not a list": (b'one_on_one = "maria"\n[organization]\nname = "x"\ntimezone = "UTC"\n', "one_on_one", "must be a list"),
}
UNDECODABLE = {
    "binary garbage": bytes(range(256)) * 4,
    "UTF-16 with a BOM": GOOD.encode("utf-16"),
    "Latin-1 accents": GOOD.encode("latin-1", errors="replace"),
}


@pytest.fixture
def data_dir(made_data_dir):
    """Overrides tests/conftest.py's: a copy of a data dir in which a weekly run made every document (once per session)."""
    return made_data_dir


@pytest.fixture
def populated(data_dir) -> dict[str, str]:
    """The data dir's files: documents exist, so "unchanged" means something."""
    digest = tree_digest(data_dir)
    assert any(name.startswith("emulator/documents/") for name in digest)
    return digest


def refused(result, path: Path, key: str | None, words: str) -> str:
    message = result.output
    assert result.exit_code == 2, (result.exit_code, message, result.exception)
    assert message.startswith("error: ") and "Traceback" not in message
    assert str(path) in message
    if key is not None:
        assert f"key '{key}'" in message
    assert words in message
    return message


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_a_corrupted_docket_toml_exits_2_naming_key_and_file_and_changes_nothing(runner, data_dir, tmp_path, populated, case):
    raw, key, words = CORRUPTIONS[case]
    path = tmp_path / "corrupted.toml"
    path.write_bytes(raw)
    result = runner.invoke(main, ["weekly", "--config", str(path), "--date", "2026-11-25"])
    refused(result, path, key, words)
    assert tree_digest(data_dir) == populated


@pytest.mark.parametrize("case", sorted(UNDECODABLE))
def test_a_docket_toml_that_is_not_utf8_exits_2_naming_the_file(runner, data_dir, tmp_path, populated, case):
    path = tmp_path / "corrupted.toml"
    path.write_bytes(UNDECODABLE[case])
    result = runner.invoke(main, ["weekly", "--config", str(path), "--date", "2026-11-25"])
    assert tree_digest(data_dir) == populated  # holds today: the crash happens before anything is opened
    refused(result, path, None, "UTF-8")


@pytest.mark.parametrize("command", [["weekly"], ["docs", "list"], ["link", "--report", "sam@example.com"],
                                     ["add-item", "--author", "vp@example.com", "--text", "hello"], ["serve", "--port", "1"]])
def test_every_command_refuses_the_corrupted_file_before_creating_any_state(runner, tmp_path, command):
    """On a fresh machine nothing is created: no data dir, no emulator, no link-signing key."""
    fresh = tmp_path / "fresh-data"
    path = tmp_path / "corrupted.toml"
    path.write_bytes(edit('weekday = "tuesday"', 'weekday = "tuesdy"'))
    result = runner.invoke(main, [*command, "--config", str(path)], env={"DOCKET_DATA_DIR": str(fresh)})
    refused(result, path, "one_on_one[0].weekday", "not a weekday")
    assert not fresh.exists()


def test_a_config_path_that_is_a_directory_or_missing_exits_2(runner, tmp_path, data_dir, populated):
    for path in (tmp_path, tmp_path / "missing.toml"):
        result = runner.invoke(main, ["weekly", "--config", str(path)])
        assert result.exit_code == 2 and str(path) in result.output and "cannot read the configuration" in result.output
    assert tree_digest(data_dir) == populated


def test_docket_config_from_the_environment_is_named_in_the_error(runner, tmp_path, data_dir, populated):
    path = tmp_path / "from-env.toml"
    path.write_bytes(edit('timezone = "Europe/Berlin"', 'timezone = "Mars/Olympus_Mons"'))
    result = runner.invoke(main, ["weekly"], env={"DOCKET_CONFIG": str(path)})
    refused(result, path, "one_on_one[0].timezone", "Mars/Olympus_Mons")
    assert tree_digest(data_dir) == populated


# --- bad arguments --------------------------------------------------------------------------------------------------

BAD_ARGUMENTS = {
    "weekly: 30 February": (["weekly", "--date", "2026-02-30"], "--date"),
    "weekly: month 13": (["weekly", "--date", "2026-13-01"], "--date"),
    "weekly: a word": (["weekly", "--date", "yesterday"], "--date"),
    "weekly: empty date": (["weekly", "--date", ""], "--date"),
    "weekly: number": (["weekly", "--date", "20261118"], "--date"),
    "weekly: unknown option": (["weekly", "--all"], "--all"),
    "add-item: --fyi and --confidential": (["add-item", "--author", "vp@example.com", "--text", "x", "--fyi", "--confidential"],
                                           "--fyi or --confidential"),
    "add-item: invalid date": (["add-item", "--author", "vp@example.com", "--text", "x", "--date", "2026-02-30"], "--date"),
    "add-item: no text": (["add-item", "--author", "vp@example.com"], "--text"),
    "link: unknown report": (["link", "--report", "unknown@example.com"], "unknown@example.com"),
    "link: zero days": (["link", "--report", "sam@example.com", "--days", "0"], "--days"),
    "link: 999 days": (["link", "--report", "sam@example.com", "--days", "999"], "--days"),
    "link: days not a number": (["link", "--report", "sam@example.com", "--days", "soon"], "--days"),
}
# Bad values that reach the use case: the README says bad usage is exit 2, but service/cli.py `_run` maps every
# DocketError that is not a ConfigError (ValidationError, Forbidden) to exit 1, the code for "a document failed".
BAD_ITEMS = {
    "author not a member": (["--author", "nobody@example.com", "--text", "hello"], "nobody@example.com"),
    "author not an email": (["--author", "not-an-email", "--text", "hello"], "author"),
    "empty text": (["--author", "vp@example.com", "--text", ""], "text"),
    "blank text": (["--author", "vp@example.com", "--text", "   "], "text"),
    "escape character": (["--author", "vp@example.com", "--text", "red\x1b[31malert"], "U+001B"),
    "bidi override": (["--author", "vp@example.com", "--text", "abc\u202edef"], "U+202E"),
    "1001 characters": (["--author", "vp@example.com", "--text", "x" * 1001], "1000"),
    "confidential with a tab": (["--author", "vp@example.com", "--text", "CANARY-cli Dana\tplan", "--confidential"], "U+0009"),
}


@pytest.mark.parametrize("case", sorted(BAD_ARGUMENTS))
def test_bad_arguments_exit_2_with_a_message_and_change_nothing(runner, data_dir, populated, case):
    args, words = BAD_ARGUMENTS[case]
    result = runner.invoke(main, args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert words in result.output and "Traceback" not in result.output
    assert tree_digest(data_dir) == populated


@pytest.mark.parametrize("case", sorted(BAD_ITEMS))
def test_a_bad_item_is_refused_with_a_message_that_never_quotes_it_and_changes_nothing(runner, data_dir, populated, case):
    args, words = BAD_ITEMS[case]
    result = runner.invoke(main, ["add-item", *args, "--date", "2026-11-18"])
    assert result.exit_code in (1, 2), (result.exit_code, result.output)
    assert result.output.startswith("error: ") and words in result.output
    assert "CANARY" not in result.output and "alert" not in result.output
    assert tree_digest(data_dir) == populated


@pytest.mark.parametrize("case", sorted(BAD_ITEMS))
def test_a_bad_item_is_bad_usage_exit_2(runner, populated, case):
    args, _words = BAD_ITEMS[case]
    assert runner.invoke(main, ["add-item", *args, "--date", "2026-11-18"]).exit_code == 2
