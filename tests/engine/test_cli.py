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
    assert "created" not in second.output and "appended" not in second.output
    assert second.output.count("present") >= 2


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


def test_show_unknown_document_exits_1(runner):
    runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    result = runner.invoke(main, ["docs", "show", "1nope"])
    assert result.exit_code == 1
    assert "error:" in result.output


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
