"""Provides the secret that signs manager links: DOCKET_SECRET_KEY, or one generated once and kept in the data dir."""

from __future__ import annotations

import logging
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from service.errors import ConfigError

ENV_VAR = "DOCKET_SECRET_KEY"
FILE_NAME = "secret_key"
# 32 characters of token_urlsafe is 192 bits; a shorter human-chosen key is too
# easy to guess, and a guessed key forges links to every 1:1 doc.
MIN_SECRET_KEY_LENGTH = 32

_log = logging.getLogger(__name__)


def load_secret_key(data_dir: Path, env: Mapping[str, str]) -> str:
    """Return DOCKET_SECRET_KEY when set, else the key in `<data_dir>/secret_key`, creating it once.

    Raises:
        ConfigError: the environment key is too short, or the key file is unreadable or corrupt.
    """
    if ENV_VAR in env:
        key = env[ENV_VAR].strip()
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(f"{ENV_VAR} must be at least {MIN_SECRET_KEY_LENGTH} characters", key=ENV_VAR)
        return key
    path = Path(data_dir) / FILE_NAME
    try:
        return _read(path)
    except FileNotFoundError:
        return _create(path)


def _read(path: Path) -> str:
    try:
        key = path.read_text(encoding="utf-8").strip()
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the secret key: {exc.__class__.__name__}", file=str(path)) from None
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"secret key file is shorter than {MIN_SECRET_KEY_LENGTH} characters; delete it to generate a new one",
            file=str(path),
        )
    if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
        _log.warning("secret key file %s is readable by other users; chmod 600 it", path)
    return key


def _create(path: Path) -> str:
    """Generate a key and publish it under `path` unless another process got there first.

    The key is written and fsynced to a private temporary file, then hard-linked
    into place: link() fails if the name exists, so the file at `path` is never
    seen half-written and exactly one of several racing processes wins; the
    losers read the winner's key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read(path)
    finally:
        tmp.unlink(missing_ok=True)
    return key
