"""Mints the opaque ids Google uses (documents, files, headings, lists, named ranges, revisions)."""

from __future__ import annotations

import os
import random
import string
import threading
import weakref

_ALPHABET = string.ascii_lowercase + string.digits
_FILE_ALPHABET = string.ascii_letters + string.digits + "-_"


_LIVE: "weakref.WeakSet[IdSource]" = weakref.WeakSet()


class IdSource:
    """Random ids in Google's observed shapes; seedable so tests can be reproducible."""

    def __init__(self, seed: int | None = None) -> None:
        # Unseeded ids come from the OS, not a PRNG seeded once: a forked child (a multi-process
        # server) would otherwise mint its parent's next ids. A seeded source repeats by design.
        self._random: random.Random = random.SystemRandom() if seed is None else random.Random(seed)
        self._lock = threading.Lock()
        _LIVE.add(self)

    def _after_fork(self) -> None:
        # A lock held by another thread at fork time would stay held forever in the child.
        self._lock = threading.Lock()

    def _pick(self, alphabet: str, n: int) -> str:
        with self._lock:
            return "".join(self._random.choice(alphabet) for _ in range(n))

    def file_id(self) -> str:
        """A Drive file / document id (44 characters, like Google's)."""
        return "1" + self._pick(_FILE_ALPHABET, 43)

    def heading_id(self) -> str:
        return "h." + self._pick(_ALPHABET, 12)

    def list_id(self) -> str:
        return "kix." + self._pick(_ALPHABET, 12)

    def named_range_id(self) -> str:
        return "kix." + self._pick(_ALPHABET, 12)

    def revision_id(self) -> str:
        return "ALm37B" + self._pick(_FILE_ALPHABET, 40)

    def permission_id(self) -> str:
        return self._pick(string.digits, 20)

    def drive_id(self) -> str:
        return "0A" + self._pick(_FILE_ALPHABET, 17) + "Uk9PVA"


def _renew_after_fork() -> None:
    for source in list(_LIVE):
        source._after_fork()


os.register_at_fork(after_in_child=_renew_after_fork)
