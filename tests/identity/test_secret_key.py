"""load_secret_key: the environment wins; else one key is generated, kept private, and shared by racing processes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from service.errors import ConfigError
from service.secret_key import load_secret_key

REPO = Path(__file__).resolve().parents[2]


def test_environment_key_wins(tmp_path: Path) -> None:
    key = "k" * 40
    assert load_secret_key(tmp_path, {"DOCKET_SECRET_KEY": key}) == key
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("value", ["", "short", "x" * 31])
def test_short_environment_key_is_a_configuration_error(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_secret_key(tmp_path, {"DOCKET_SECRET_KEY": value})
    assert info.value.key == "DOCKET_SECRET_KEY"
    assert value not in info.value.message or not value


def test_generated_key_persists_with_private_mode(tmp_path: Path) -> None:
    data_dir = tmp_path / "nested" / "data"
    first = load_secret_key(data_dir, {})
    assert len(first) >= 32
    assert load_secret_key(data_dir, {}) == first
    path = data_dir / "secret_key"
    assert path.read_text().strip() == first
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in data_dir.iterdir()] == ["secret_key"]  # no temp files left behind


def test_each_data_dir_gets_its_own_key(tmp_path: Path) -> None:
    assert load_secret_key(tmp_path / "a", {}) != load_secret_key(tmp_path / "b", {})


def test_existing_file_is_used_and_stripped(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("  " + "z" * 40 + "\n")
    assert load_secret_key(tmp_path, {}) == "z" * 40


def test_corrupt_file_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("tiny")
    with pytest.raises(ConfigError) as info:
        load_secret_key(tmp_path, {})
    assert "tiny" not in info.value.message
    assert str(tmp_path / "secret_key") in info.value.message


def test_racing_threads_agree_on_one_key(tmp_path: Path) -> None:
    barrier = threading.Barrier(16)
    keys: list[str] = []

    def run() -> None:
        barrier.wait()
        keys.append(load_secret_key(tmp_path, {}))

    threads = [threading.Thread(target=run) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 16 and len(set(keys)) == 1
    assert (tmp_path / "secret_key").read_text().strip() == keys[0]


def test_racing_processes_agree_on_one_key(tmp_path: Path) -> None:
    # Each child waits for a start file so that they all race for the create.
    go = tmp_path / "go"
    script = (
        "import sys, time, pathlib\n"
        "from service.secret_key import load_secret_key\n"
        "go = pathlib.Path(sys.argv[1])\n"
        "while not go.exists(): time.sleep(0.001)\n"
        "print(load_secret_key(pathlib.Path(sys.argv[2]), {}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DOCKET_SECRET_KEY"} | {"PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-c", script, str(go), str(tmp_path / "data")]
    children = [subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env) for _ in range(8)]
    go.touch()
    keys = {child.communicate(timeout=60)[0].strip() for child in children}
    assert all(child.returncode == 0 for child in children)
    assert len(keys) == 1 and len(next(iter(keys))) >= 32
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["secret_key"]
