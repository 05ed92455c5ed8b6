"""`docket check`: the configuration checked and this week's plan printed, with no call to Google and nothing written."""

from __future__ import annotations

import re
from pathlib import Path

from service.cli import main
from tests.robustness.conftest import tree_digest


def plan_lines(output: str) -> list[list[str]]:
    """The plan's rows: title, weekday, time zone, date (split on the two-space column gaps)."""
    start = output.index("nothing was written):\n") + len("nothing was written):\n")
    return [re.split(r"\s{2,}", line.strip()) for line in output[start:].splitlines() if line.startswith("  ")]


def test_it_prints_each_document_its_meeting_and_this_weeks_date(runner):
    result = runner.invoke(main, ["check", "--date", "2026-11-18"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Configuration: .*docket\.toml \(embedded backend\): OK", result.output)
    assert plan_lines(result.output) == [
        ["1:1 Sam Lee / María García", "Tuesday", "Europe/Berlin", "2026-11-17"],
        ["1:1 Zoë 👩🏽‍💻 Okafor / María García", "Thursday", "America/New_York", "2026-11-19"],
        ["Senior Support Leadership Sync (2 documents)", "Wednesday", "America/New_York", "2026-11-18"],
    ]


def test_it_writes_nothing_not_even_the_data_dir(runner, data_dir):
    assert runner.invoke(main, ["check"]).exit_code == 0
    assert not data_dir.exists()
    assert runner.invoke(main, ["weekly", "--date", "2026-11-18"]).exit_code == 0
    before = tree_digest(data_dir)
    assert runner.invoke(main, ["check", "--date", "2026-11-25"]).exit_code == 0
    assert tree_digest(data_dir) == before and before


def test_the_plan_is_what_weekly_then_does(runner):
    planned = [row[0].removesuffix(" (2 documents)") for row in plan_lines(runner.invoke(main, ["check", "--date", "2026-11-18"]).output)]
    weekly = runner.invoke(main, ["weekly", "--date", "2026-11-18"]).output
    done = [re.match(r"\[\d+/\d+\] created\s+(.*?)  http", line).group(1) for line in weekly.splitlines() if line.startswith("[")]
    assert [title for title in done if not title.startswith(planned[-1])] == planned[:-1]
    assert [t for t in done if t.startswith(planned[-1])] == [f"{planned[-1]} — agenda", f"{planned[-1]} — confidential"]


def write(tmp_path: Path, settings_file: Path, old: str, new: str) -> str:
    text = settings_file.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "changed.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


def test_a_bad_configuration_is_exit_2_naming_the_key_and_changes_nothing(runner, tmp_path, settings_file, data_dir):
    config = write(tmp_path, settings_file, 'weekday = "tuesday"', 'weekday = "tusday"')
    result = runner.invoke(main, ["check", "--config", config])
    assert result.exit_code == 2
    assert "one_on_one[0].weekday" in result.output and config in result.output
    assert not data_dir.exists()


def test_what_a_run_would_refuse_is_a_problem_exit_2(runner, tmp_path, settings_file):
    config = write(tmp_path, settings_file, "[service]", '[dispatch]\nmode = "cloud-tasks"\n'
                   'queue = "projects/p/locations/l/queues/q"\n\n[service]')
    result = runner.invoke(main, ["check", "--config", config])
    assert result.exit_code == 2
    assert "error: dispatch.service_account is required when dispatch.mode = \"cloud-tasks\"" in result.output
    assert "1 problem(s)" in result.output


def test_people_the_docs_menu_would_refuse_are_a_warning(runner, tmp_path, settings_file):
    config = write(tmp_path, settings_file, 'report = "sam@example.com"', 'report = "sam@contractor.example.org"')
    result = runner.invoke(main, ["check", "--config", config])
    assert result.exit_code == 0
    assert ("warning: sam@contractor.example.org is outside organization.domains (example.com): "
            "the Docs menu refuses them") in result.output


def test_on_the_google_backend_the_key_file_must_exist(runner, tmp_path, settings_file, data_dir, monkeypatch):
    monkeypatch.delenv("DOCKET_SECRET_KEY", raising=False)
    config = write(tmp_path, settings_file, "[google]\n", f'[google]\ncredentials = "{tmp_path / "missing.json"}"\n')
    result = runner.invoke(main, ["check", "--config", config])
    assert result.exit_code == 2 and "missing.json' does not exist" in result.output
    assert "DOCKET_SECRET_KEY is not set" in result.output
    assert not data_dir.exists()
