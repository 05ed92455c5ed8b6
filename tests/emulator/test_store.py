"""The store: persistence, all-or-nothing transactions, crash-safe write order, several processes on one dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from service.emulator.store import Store
from service.emulator.wsgi import create_emulator_app

REPO = Path(__file__).resolve().parents[2]


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_state_survives_a_new_store_on_the_same_dir(emu_dir: Path, drive: Any, docs_api: Any,
                                                   shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive, docket_kind="one_on_one")
    docs_api.documents().batchUpdate(documentId=doc["id"], body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "Week of 2026-11-16 🗓️\n"}}]}).execute()

    reopened = kit.drive_for(create_emulator_app(Store(emu_dir)))
    again = reopened.files().get(fileId=doc["id"], supportsAllDrives=True, fields="name,appProperties").execute()
    assert again == {"name": "1:1 María / Sam 🦄", "appProperties": {"docket_kind": "one_on_one"}}
    with Store(emu_dir).transaction() as state:
        assert "Week of 2026-11-16 🗓️" in state.document(doc["id"]).plain_text()


def test_each_document_has_its_own_file_and_the_index_its_own(emu_dir: Path, drive: Any, shared_drive: str,
                                                             kit: Any) -> None:
    first = kit.new_doc(drive, shared_drive, name="one")
    second = kit.new_doc(drive, shared_drive, name="two")
    names = sorted(p.name for p in (emu_dir / "documents").iterdir())
    assert names == sorted([f"{first['id']}.json", f"{second['id']}.json"])
    index = json.loads((emu_dir / "drive.json").read_text(encoding="utf-8"))
    assert set(index["files"]) == {first["id"], second["id"]}


def test_a_failing_block_writes_nothing(emu_store: Store, emu_dir: Path, shared_drive: str) -> None:
    before = _files(emu_dir)
    with pytest.raises(RuntimeError, match="crash"):
        with emu_store.transaction() as state:
            state.drive["drives"][shared_drive]["name"] = "renamed 💥"
            from service.emulator.docs.document import Document

            state.put_document(Document.create("1doc", "half-made", state.ids))
            raise RuntimeError("crash")
    assert _files(emu_dir) == before
    with emu_store.transaction() as state:  # the in-process cache was not touched either
        assert state.drive["drives"][shared_drive]["name"] == "Docket 🗂️"
        assert state.document("1doc") is None


def test_a_crash_while_committing_never_leaves_an_entry_without_its_document(
    emu_store: Store, emu_dir: Path, drive: Any, shared_drive: str, kit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def dies_on_the_index(src: Any, dst: Any) -> None:
        if str(dst).endswith("drive.json"):
            raise OSError("power cut")  # the process "dies" before the index is replaced
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", dies_on_the_index)
    with pytest.raises(Exception):
        kit.new_doc(drive, shared_drive)
    monkeypatch.setattr(os, "replace", real_replace)

    fresh = Store(emu_dir)
    with fresh.transaction() as state:
        assert state.drive["files"] == {}  # the index never saw the file
        for record in state.drive["files"].values():
            assert state.document(record["id"]) is not None
    assert not [p for p in emu_dir.rglob("*.tmp")]  # no temp files left behind


def test_another_store_on_the_dir_sees_changes(emu_dir: Path, emu_store: Store, shared_drive: str) -> None:
    other = Store(emu_dir)
    with other.transaction() as state:
        assert shared_drive in state.drive["drives"]
    with emu_store.transaction() as state:
        state.drive["drives"][shared_drive]["name"] = "Renamed ✨"
    with other.transaction() as state:
        assert state.drive["drives"][shared_drive]["name"] == "Renamed ✨"


def test_memory_store_is_transactional_too() -> None:
    store = Store(None)
    with store.transaction() as state:
        state.drive["marker"] = 1
    with pytest.raises(ValueError):
        with store.transaction() as state:
            state.drive["marker"] = 2
            raise ValueError
    with store.transaction() as state:
        assert state.drive["marker"] == 1


def test_transactions_are_not_reentrant(emu_store: Store) -> None:
    with emu_store.transaction():
        with pytest.raises(RuntimeError):
            with emu_store.transaction():
                pass


def test_seeding_is_idempotent(emu_store: Store) -> None:
    first = emu_store.seed_shared_drive("Docket", {"a@example.com": "organizer"}, drive_id="0ADrive")
    second = emu_store.seed_shared_drive("Docket", {"b@example.com": "reader"}, drive_id="0ADrive")
    assert first == second == "0ADrive"
    with emu_store.transaction() as state:
        members = {p["emailAddress"]: p["role"] for p in state.drive["drives"]["0ADrive"]["permissions"]}
    assert members == {"a@example.com": "organizer", "b@example.com": "reader"}


_WORKER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from googleapiclient.discovery import build
    from service.emulator.store import Store
    from service.emulator.transport import EmulatorHttp
    from service.emulator.wsgi import create_emulator_app

    data_dir, drive_id, doc_id, tag, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    store = Store(Path(data_dir))
    app = create_emulator_app(store)
    drive = build("drive", "v3", http=EmulatorHttp(app), static_discovery=True, cache_discovery=False)
    docs = build("docs", "v1", http=EmulatorHttp(app), static_discovery=True, cache_discovery=False)
    for i in range(rounds):
        with store.transaction() as state:
            state.drive["counter"] = state.drive.get("counter", 0) + 1
        drive.files().create(body={"name": f"{tag}-{i} 🧵", "parents": [drive_id], "appProperties": {"tag": tag}},
                             supportsAllDrives=True).execute()
        docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
            {"insertText": {"endOfSegmentLocation": {}, "text": f"{tag}-{i}\\n"}}]}).execute()
""")


def test_two_processes_appending_concurrently_lose_nothing(emu_dir: Path, emu_store: Store, drive: Any,
                                                          shared_drive: str, kit: Any) -> None:
    doc = kit.new_doc(drive, shared_drive, name="shared log 📜")
    rounds = 15
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    workers = [
        subprocess.Popen([sys.executable, "-c", _WORKER, str(emu_dir), shared_drive, doc["id"], tag, str(rounds)],
                         cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for tag in ("left", "right")
    ]
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()

    with emu_store.transaction() as state:
        assert state.drive["counter"] == 2 * rounds
        text = state.document(doc["id"]).plain_text()
    for tag in ("left", "right"):
        listed = drive.files().list(q=f"appProperties has {{ key='tag' and value='{tag}' }}", corpora="allDrives",
                                    supportsAllDrives=True, includeItemsFromAllDrives=True, pageSize=1000,
                                    fields="files(name)").execute()["files"]
        assert sorted(f["name"] for f in listed) == sorted(f"{tag}-{i} 🧵" for i in range(rounds))
        lines = [line for line in text.splitlines() if line.startswith(tag)]
        assert lines == [f"{tag}-{i}" for i in range(rounds)]  # each process's appends, all there, in order


def test_a_same_size_rewrite_with_the_same_mtime_is_still_seen(tmp_path: Path) -> None:
    # Another process rewrites drive.json within one timestamp tick of a coarse filesystem:
    # same inode, same size, same mtime. The store must still read the new state.
    store = Store(tmp_path)
    store.seed_shared_drive("Team A", {"a@example.com": "organizer"}, drive_id="0AdriveA")
    index = tmp_path / "drive.json"
    before = index.stat()
    raw = index.read_bytes()
    assert b"Team A" in raw
    with open(index, "r+b") as handle:  # in place: the inode stays
        handle.write(raw.replace(b"Team A", b"Team B"))
    os.utime(index, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (index.stat().st_ino, index.stat().st_size, index.stat().st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    with store.transaction() as state:
        assert state.drive["drives"]["0AdriveA"]["name"] == "Team B"
