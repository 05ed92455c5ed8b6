"""A 1:1's addresses are stored as Drive appProperties, which Drive caps at 124 bytes (key and value in UTF-8).

An address Drive would refuse would make the pair's doc impossible to create; the configuration is
refused at load instead (exit 2, naming the key), and an address at the limit works end to end.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.calendar import Week
from service.cli import main
from service.errors import ConfigError
from service.meetings.weekly import run_weekly
from service.services import Services
from service.settings import load_settings
from tests.conftest import ROSTER, SHARED_DRIVE, google_on

DOMAIN = "@example.com"
# docket_manager is 14 bytes, docket_report 13: the longest addresses that fit are 110 and 111 bytes.
LONGEST_MANAGER = "m" * (110 - len(DOMAIN)) + DOMAIN
LONGEST_REPORT = "r" * (111 - len(DOMAIN)) + DOMAIN


def _config(tmp_path: Path, *, manager: str = "maria@example.com", report: str = "sam@example.com") -> Path:
    text = ROSTER.format(drive=SHARED_DRIVE)
    text = text.replace('manager = "maria@example.com"', f'manager = "{manager}"', 1)
    text = text.replace('report = "sam@example.com"', f'report = "{report}"', 1)
    path = tmp_path / "docket.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("field, address", [("manager", "n" + LONGEST_MANAGER), ("report", "s" + LONGEST_REPORT)])
def test_an_address_drive_would_refuse_is_a_configuration_error(tmp_path: Path, field: str, address: str) -> None:
    path = _config(tmp_path, **{field: address})
    with pytest.raises(ConfigError) as info:
        load_settings(str(path), env={"DOCKET_DATA_DIR": str(tmp_path / "data")})
    message = info.value.message
    assert f"key 'one_on_one[0].{field}'" in message and str(path) in message
    assert f"docket_{field}" in message and "124 bytes" in message and "takes 125" in message


def test_the_command_exits_2_naming_the_key_and_writes_nothing(tmp_path: Path, runner) -> None:
    path = _config(tmp_path, manager="n" + LONGEST_MANAGER)
    data = tmp_path / "data"
    result = runner.invoke(main, ["weekly", "--config", str(path)], env={"DOCKET_DATA_DIR": str(data)})
    assert result.exit_code == 2
    assert "one_on_one[0].manager" in result.output and "docket_manager" in result.output
    assert not data.exists()  # refused before any backend was opened


def test_addresses_at_the_limit_get_their_doc(tmp_path: Path, store, emulator_app) -> None:
    settings = load_settings(str(_config(tmp_path, manager=LONGEST_MANAGER, report=LONGEST_REPORT)),
                             env={"DOCKET_DATA_DIR": str(tmp_path / "data")})
    engine = Services.build(settings, google_on(emulator_app))
    engine.writer.sleep = lambda _s: None
    report = run_weekly(engine, Week.of(date(2026, 11, 18)))
    assert report.ok, report.failures
    doc = engine.registry.find_one({"docket_manager": LONGEST_MANAGER, "docket_report": LONGEST_REPORT})
    assert doc is not None and doc.kind == "one_on_one"
