"""Starting Docket as a real subprocess for the deploy tests: free ports, readiness polling, clean shutdown."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**overrides: str) -> dict[str, str]:
    """This process's environment without Docket's variables (a developer's shell may set them), plus overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKET_")}
    # The venv's executables first, whether or not the venv is activated.
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(overrides)
    return env


def executable(name: str) -> str:
    candidate = VENV_BIN / name
    return str(candidate) if candidate.exists() else name


def wait_for_health(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll GET {url}/healthz until 200; fail with the process's output if it dies or never answers."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode} before answering:\n{output_of(process)}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
                last = response.status
        except (urllib.error.URLError, ConnectionError, OSError) as exc:
            last = exc
        time.sleep(0.2)
    stop(process)
    raise AssertionError(f"GET {url}/healthz never answered 200 (last: {last!r}):\n{output_of(process)}")


def stop(process: subprocess.Popen, timeout: float = 15.0) -> None:
    """SIGTERM (what Cloud Run sends), then SIGKILL if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def output_of(process: subprocess.Popen) -> str:
    """The process's combined output (its tail), after stopping it."""
    stop(process)
    log = getattr(process, "docket_log", None)
    if log is None or log.closed:
        return str(getattr(process, "docket_output", ""))
    log.seek(0)
    text = log.read().decode("utf-8", "replace")[-8000:]
    log.close()
    process.docket_output = text  # type: ignore[attr-defined]
    return text


def start(argv: list[str], env: Mapping[str, str], cwd: Path) -> subprocess.Popen:
    """Start a server process; its output goes to a temporary file (a pipe nobody reads could fill and block it)."""
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(argv, env=dict(env), cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    process.docket_log = log  # type: ignore[attr-defined]
    return process
