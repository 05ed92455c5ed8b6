"""A damaged embedded store (the emulator's files under DOCKET_DATA_DIR/emulator) is exit 2 naming the file, for every
command that opens it, and the data dir is left byte for byte as it was: no traceback, no fresh store over the old one.

Before this, a corrupt drive.json or document file was a raw traceback (exit 1), and a deleted drive.json made
`docket weekly` exit 0 after silently creating every document again, orphaning all the earlier text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from service.calendar import Week
from service.cli import main
from service.meetings.weekly import run_weekly
from service.services import Services
from service.settings import load_settings
from tests.robustness.conftest import cli_env


def whole_tree(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and directory (None) under `root`, the lock file included: nothing may appear or change."""
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


def _emulator(data_dir: Path) -> Path:
    return data_dir / "emulator"


def _a_document(data_dir: Path) -> Path:
    index = json.loads((_emulator(data_dir) / "drive.json").read_text(encoding="utf-8"))
    doc_id = next(i for i, f in sorted(index["files"].items()) if f["appProperties"].get("docket_kind") == "one_on_one")
    return _emulator(data_dir) / "documents" / f"{doc_id}.json"


def truncate_index(data_dir: Path) -> Path:
    path = _emulator(data_dir) / "drive.json"
    path.write_bytes(path.read_bytes()[:200])
    return path


def delete_index(data_dir: Path) -> Path:
    path = _emulator(data_dir) / "drive.json"
    path.unlink()
    return path


def index_not_an_index(data_dir: Path) -> Path:
    path = _emulator(data_dir) / "drive.json"
    path.write_bytes(b"[]")
    return path


def truncate_document(data_dir: Path) -> Path:
    path = _a_document(data_dir)
    path.write_bytes(path.read_bytes()[:100])
    return path


def document_not_a_document(data_dir: Path) -> Path:
    path = _a_document(data_dir)
    path.write_bytes(b'{"documentId": "x"}')
    return path


def document_not_utf8(data_dir: Path) -> Path:
    path = _a_document(data_dir)
    path.write_bytes(b"\xff\xfe" + path.read_bytes())
    return path


def delete_document(data_dir: Path) -> Path:
    path = _a_document(data_dir)
    path.unlink()
    return path


DAMAGES: dict[str, Callable[[Path], Path]] = {f.__name__: f for f in (
    truncate_index, delete_index, index_not_an_index, truncate_document, document_not_a_document, document_not_utf8,
    delete_document)}


@pytest.fixture
def made_cli(runner, data_dir: Path):
    """This week's documents, made by `docket weekly` on the embedded default."""
    first = runner.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert first.exit_code == 0, first.output
    return runner


def _doc_id(data_dir: Path) -> str:
    return _a_document(data_dir).stem


COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "weekly": lambda _doc: ["weekly", "--date", "2026-11-25"],
    "docs list": lambda _doc: ["docs", "list"],
    "docs show": lambda doc: ["docs", "show", doc],
    "add-item": lambda _doc: ["add-item", "--author", "vp@example.com", "--text", "Budget review 💶", "--date", "2026-11-18"],
}


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_damaged_store_is_exit_2_naming_the_file_and_changes_nothing(made_cli, data_dir: Path, damage: str, command: str):
    args = COMMANDS[command](_doc_id(data_dir))
    damaged = DAMAGES[damage](data_dir)
    before = whole_tree(data_dir)
    result = made_cli.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert str(damaged) in result.output and "damaged" in result.output
    assert "Traceback" not in result.output
    assert whole_tree(data_dir) == before


@pytest.mark.parametrize("damage", ["delete_index", "truncate_document"])
@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["emulator", "--port", "0"]])
def test_the_servers_refuse_to_start_on_a_damaged_store(made_cli, data_dir: Path, settings_file: Path, cli_processes,
                                                        damage: str, command: list[str]):
    damaged = DAMAGES[damage](data_dir)
    before = whole_tree(data_dir)
    # A real process: a server that wrongly starts is killed at the timeout instead of hanging the test.
    process = cli_processes(command, cli_env(settings_file, data_dir))
    try:
        _out, err = process.communicate(timeout=60)
    except Exception:  # noqa: BLE001 - TimeoutExpired: it is serving a damaged store
        pytest.fail(f"`docket {' '.join(command)}` started on a damaged store")
    assert process.returncode == 2, err
    assert str(damaged) in err and "Traceback" not in err
    assert whole_tree(data_dir) == before


def test_a_fresh_data_dir_is_still_a_fresh_store(runner, data_dir: Path):
    result = runner.invoke(main, ["docs", "list"])
    assert result.exit_code == 0, result.output
    assert json.loads((_emulator(data_dir) / "drive.json").read_text(encoding="utf-8"))["files"] == {}


def test_a_document_damaged_during_a_run_fails_that_document_naming_the_file(made_cli, settings_file: Path, data_dir: Path):
    settings = load_settings(str(settings_file), env={"DOCKET_DATA_DIR": str(data_dir)})
    services = Services.build(settings)  # opened (and checked) while the store was sound
    services.google.backoff.sleep = lambda _s: pytest.fail("a damaged store is not worth a retry")
    damaged = truncate_document(data_dir)
    report = run_weekly(services, Week.of(date(2026, 11, 25)))
    failed = [f for f in report.failures if str(damaged) in f.reason]
    assert len(failed) == 1 and "damaged" in failed[0].reason, report.failures
    assert damaged.stat().st_size == 100  # the damaged file is kept as it was
