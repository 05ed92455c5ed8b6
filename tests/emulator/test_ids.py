"""Id minting: reproducible when seeded, distinct across a fork when not."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from service.emulator.ids import IdSource
from service.emulator.store import Store
from service.emulator.wsgi import create_emulator_app


def test_a_forked_child_does_not_mint_its_parents_ids(tmp_path: Path, kit: Any) -> None:
    store = Store(tmp_path / "emu")  # unseeded, as Docket's server runs it
    drive_id = store.seed_shared_drive("D", {kit.SERVICE_ACCOUNT: "organizer"})
    drive = kit.drive_for(create_emulator_app(store))

    def create() -> str:
        return drive.files().create(body={"name": "x", "mimeType": kit.DOC_MIME, "parents": [drive_id]},
                                    supportsAllDrives=True).execute()["id"]

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one create, its id to the parent, and out without pytest's teardown
        try:
            os.write(write, create().encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = os.read(read, 100).decode()
    os.close(read)
    parent = create()  # would be the child's id (then a 409) with one PRNG seeded before the fork
    assert child and parent != child


def test_seeded_sources_repeat() -> None:
    assert IdSource(seed=3).file_id() == IdSource(seed=3).file_id()
