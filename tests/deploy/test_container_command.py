"""The container's start command (deploy/Dockerfile CMD), run here as it runs in the image, serves /healthz.

Docker is not needed: the CMD is a shell-form command, so it is run with /bin/sh -c and the
Dockerfile's ENV, PORT set as Cloud Run sets it, and the bundled example configuration (the
image's behaviour when no docket.toml is mounted).
"""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import urllib.request
from pathlib import Path

from tests.deploy.processes import REPO, clean_env, free_port, output_of, start, stop, wait_for_health

DOCKERFILE = REPO / "deploy" / "Dockerfile"


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, args = line.partition(" ")
            out.append((instruction.upper(), args.strip()))
    return out


def start_command() -> str:
    commands = [args for instruction, args in dockerfile_instructions() if instruction == "CMD"]
    assert len(commands) == 1, "one CMD"
    assert not commands[0].startswith("["), "shell form, so $PORT is expanded at start"
    return commands[0]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction, args in dockerfile_instructions():
        if instruction == "ENV":
            for token in shlex.split(args):
                key, _, value = token.partition("=")
                env[key] = value
    return env


def test_the_image_is_python_311_slim_and_runs_as_a_non_root_user() -> None:
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    users = [args for instruction, args in instructions if instruction == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_the_start_command_binds_port_with_gunicorn_on_the_wsgi_app() -> None:
    command = start_command()
    assert command.startswith("exec gunicorn "), "exec: gunicorn is PID 1 and gets Cloud Run's SIGTERM"
    assert "--bind :$PORT" in command
    assert command.split()[-1] == "service.wsgi:app"


def test_the_start_command_serves_healthz(tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(**image_env())
    env.update(PORT=str(port), DOCKET_DATA_DIR=str(tmp_path / "data"), HOME=str(tmp_path))
    # The image's working directory holds no docket.toml; neither does this one.
    process = start(["/bin/sh", "-c", start_command()], env, cwd=tmp_path)
    try:
        wait_for_health(f"http://127.0.0.1:{port}", process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.status == 200
            assert response.headers.get_content_type() == "application/json"
        # Cloud Run stops instances with SIGTERM; gunicorn (PID 1 via exec) must exit promptly and cleanly.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, output_of(process)
    finally:
        log = output_of(process)  # stops it if still running, closes the pipe
    assert "Booting worker" in log or "Listening at" in log, log
