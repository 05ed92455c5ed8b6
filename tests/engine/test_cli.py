"""The `docket` command line on the embedded default: output, idempotency, exit codes."""

from __future__ import annotations

from service.cli import main


def test_weekly_twice_creates_then_finds_everything_present(runner):
    first = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert first.exit_code == 0, first.output
    assert "created" in first.output and "1:1 Sam Lee / María García" in first.output
    assert "/local/docs/" in first.output
    assert "[1/" in first.output  # progress
    assert "2026-11-18, ISO week 2026-W47" in first.output
    second = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert second.exit_code == 0, second.output
    progress = [line for line in second.output.splitlines() if line.startswith("[")]
    assert len(progress) == 4 and all(" present " in line for line in progress)


def test_docs_list_and_show(runner):
    runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    listing = runner.invoke(main, ["docs", "list"])
    assert listing.exit_code == 0
    line = next(l for l in listing.output.splitlines() if "Sam Lee" in l)
    doc_id = line.split()[1]
    shown = runner.invoke(main, ["docs", "show", doc_id])
    assert shown.exit_code == 0
    assert "## 2026-11-17" in shown.output and "Very positive" in shown.output
    as_json = runner.invoke(main, ["docs", "show", doc_id, "--json"])
    assert '"documentId": "%s"' % doc_id in as_json.output


def test_bad_date_and_bad_config_exit_2_and_change_nothing(runner, tmp_path, data_dir):
    bad = runner.invoke(main, ["weekly", "--date", "2026-13-01"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    broken = tmp_path / "broken.toml"
    broken.write_text('[organization]\nname = "x"\ntimezone = "Nowhere/Special"\n', encoding="utf-8")
    result = runner.invoke(main, ["weekly", "--config", str(broken)])
    assert result.exit_code == 2
    assert "organization.timezone" in result.output and str(broken) in result.output
    assert not (data_dir / "emulator").exists() or not any((data_dir / "emulator" / "documents").iterdir())


def test_every_run_ends_with_a_one_line_summary(runner):
    first = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1] == "Summary: 4 created, 0 appended, 0 present, 0 failed."
    rerun = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert rerun.output.splitlines()[-1] == "Summary: nothing changed — 4 present, 0 failed."
    next_week = runner.invoke(main, ["weekly", "--date", "2026-11-25"])
    assert next_week.output.splitlines()[-1] == "Summary: 0 created, 4 appended, 0 present, 0 failed."


def test_an_unknown_document_is_bad_input_exit_2_in_the_users_words(runner, data_dir):
    runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    for shown in (runner.invoke(main, ["docs", "show", "nosuchdoc"]), runner.invoke(main, ["docs", "show", "nosuchdoc", "--json"])):
        assert shown.exit_code == 2, shown.output
        assert shown.output.strip() == ("error: nosuchdoc is not one of Docket's documents; "
                                        "`docket docs list` lists them")
        assert "files.get" not in shown.output


def test_a_mistyped_email_gets_the_closest_configured_one(runner):
    report = runner.invoke(main, ["link", "--report", "sam@exmple.com"])
    assert report.exit_code == 2
    assert "did you mean sam@example.com?" in report.output
    manager = runner.invoke(main, ["link", "--report", "sam@example.com", "--manager", "mario@example.com"])
    assert manager.exit_code == 2 and "did you mean maria@example.com?" in manager.output
    author = runner.invoke(main, ["add-item", "--author", "vp@exampel.com", "--text", "Hiring plan"])
    assert author.exit_code == 2 and "did you mean vp@example.com?" in author.output
    stranger = runner.invoke(main, ["add-item", "--author", "nobody@elsewhere.org", "--text", "Hiring plan"])
    assert stranger.exit_code == 2 and "did you mean" not in stranger.output
    assert "only the leadership members may add agenda items" in stranger.output


def test_version_is_the_installed_distributions(runner):
    from importlib.metadata import version

    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"docket, version {version('docket')}"


def test_leadership_commands_without_a_leadership_sync_are_exit_2(runner, tmp_path, settings_file):
    text = settings_file.read_text(encoding="utf-8")
    no_sync = tmp_path / "no-sync.toml"
    no_sync.write_text(text[:text.index("[leadership]")] + text[text.index("[service]"):], encoding="utf-8")
    for args in (["add-item", "--author", "vp@example.com", "--text", "Hiring"], ["link", "--confidential", "--member", "vp@example.com"]):
        result = runner.invoke(main, [*args, "--config", str(no_sync)])
        assert result.exit_code == 2 and "no leadership sync is configured" in result.output, result.output


def test_a_docket_toml_written_from_scratch_runs_its_first_week(runner, tmp_path):
    # docs/setting-up-a-team.md's smallest file: no [google] table at all.
    config = tmp_path / "scratch.toml"
    config.write_text("""
[organization]
name = "Acme Support"
timezone = "America/New_York"
domains = ["acme.com"]

[[one_on_one]]
manager = "you@acme.com"
manager_name = "Your Name"
report = "sam@acme.com"
report_name = "Sam Lee"
zendesk_user_id = "361234567"
weekday = "tuesday"
""", encoding="utf-8")
    result = runner.invoke(main, ["weekly", "--config", str(config), "--date", "2026-11-18"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Summary: 1 created, 0 appended, 0 present, 0 failed."



def test_weekly_with_an_exposed_confidential_doc_says_what_it_wrote(runner, settings):
    from service.emulator.bootstrap import open_store
    from service.emulator.wsgi import create_emulator_app
    from tests.conftest import SHARED_DRIVE, Docs, google_on

    assert runner.invoke(main, ["weekly", "--date", "2026-11-18"]).exit_code == 0
    store = open_store(settings.data_dir, shared_drive_id=SHARED_DRIVE)
    google = google_on(create_emulator_app(store))
    (confidential,) = Docs(google, store).ids("leadership_confidential")
    google.drive.permissions().create(fileId=confidential, body={"type": "anyone", "role": "reader"},
                                      supportsAllDrives=True).execute()
    result = runner.invoke(main, ["weekly", "--date", "2026-11-25"])
    assert result.exit_code == 1, result.output
    # The agenda's week was written before the check: the failure says so, never "Docket wrote nothing".
    assert "Docket wrote this week's section of the agenda; Docket wrote nothing in the confidential doc." in result.output
    assert "Docket wrote nothing." not in result.output
