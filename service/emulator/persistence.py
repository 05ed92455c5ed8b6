"""Crash-safe, multi-process transactions over the emulator's state: one JSON index plus one JSON file per document."""

from __future__ import annotations

import copy
import fcntl
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from service.emulator.ids import IdSource


class Content(Protocol):
    """A native file's content kept by another API (a Docs document): what the store persists per file."""

    document_id: str
    title: str

    def to_state(self) -> dict: ...

# On-disk layout under the data dir:
#   drive.json            the Drive index: files, shared drives, permissions
#   documents/<id>.json   one native file's content each (Content.to_state(), e.g. a Docs document)
#   emulator.lock         flock'ed for the duration of every transaction
DRIVE_FILE = "drive.json"
DOCUMENTS_DIR = "documents"
LOCK_FILE = "emulator.lock"


def empty_index() -> dict:
    """The Drive index of a fresh store."""
    return {"files": {}, "drives": {}, "sequence": 0}


class StoreDamaged(Exception):
    """The files under the data dir are not a store this emulator wrote (unreadable, or one part missing).

    Raised before anything is written: a damaged store is never "repaired" by starting afresh,
    which would orphan every document in it. `path` is the file at fault; `problem` says what is
    wrong with it and never quotes the file's content (documents hold people's text).
    """

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def _parse(path: Path, raw: bytes) -> Any:
    """JSON from a store file, or StoreDamaged naming the file and the position (never the text)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise StoreDamaged(path, f"is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise StoreDamaged(path, f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None


def _dumps(value: Any) -> bytes:
    # ensure_ascii=False keeps emoji readable in the files; sort_keys makes "changed?" a byte compare.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Temp file in the same dir, flush+fsync, os.replace, fsync the dir: a crash leaves old or new, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


class _JsonCache:
    """Parsed JSON per path, reused while the file's bytes are unchanged, so another process's write is seen.

    The bytes are read every time and compared: reading is cheap next to parsing, and unlike
    (inode, mtime, size) it cannot be fooled by a same-size rewrite within a coarse timestamp tick.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[bytes, Any]] = {}

    def read(self, path: Path) -> tuple[bytes, Any] | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            self._entries.pop(path, None)
            return None
        cached = self._entries.get(path)
        if cached is not None and cached[0] == raw:
            return cached
        parsed = _parse(path, raw)
        self._entries[path] = (raw, parsed)
        return raw, parsed

    def remember(self, path: Path, raw: bytes, parsed: Any) -> None:
        self._entries[path] = (raw, parsed)

    def forget(self, path: Path) -> None:
        self._entries.pop(path, None)


class State:
    """What one transaction sees: a private copy of the Drive index plus documents loaded on demand."""

    def __init__(self, store: Store, drive: dict) -> None:
        self._store = store
        self.drive = drive
        self.ids = store.ids
        self._documents: dict[str, Content | None] = {}
        self._dirty: set[str] = set()
        self._deleted: set[str] = set()

    def document(self, document_id: str) -> Content | None:
        """The document with this id, or None; the same object for the whole transaction."""
        if document_id not in self._documents:
            state = self._store._load_document_state(document_id)
            if state is None:
                self._documents[document_id] = None
            else:
                # Deep copy: the cached parse must stay pristine if this transaction is rolled back.
                self._documents[document_id] = self._store.decode_content(copy.deepcopy(state))
        return self._documents[document_id]

    def put_document(self, document: Content) -> None:
        """Mark a (new or changed) document to be written when the transaction commits."""
        self._documents[document.document_id] = document
        self._dirty.add(document.document_id)
        self._deleted.discard(document.document_id)

    def create_content(self, file_id: str, mime_type: str, title: str) -> None:
        """Drive made a file of `mime_type`: if another API keeps that kind's content, it gets a blank one."""
        content = self._store.new_content(mime_type, file_id, title, self.ids)
        if content is not None:
            self.put_document(content)

    def copy_content(self, source_id: str, file_id: str, title: str) -> None:
        """Drive copied a file: if another API keeps the source's content, the copy gets its own copy of it."""
        source = self.document(source_id)
        if source is not None:
            self.put_document(self._store.copy_content(source, file_id, title, self.ids))

    def rename_content(self, file_id: str, title: str) -> None:
        """Drive renamed a file: the content's own title follows (a Docs title is the Drive name)."""
        content = self.document(file_id)
        if content is not None:
            content.title = title
            self.put_document(content)

    def delete_document(self, document_id: str) -> None:
        self._documents[document_id] = None
        self._dirty.discard(document_id)
        self._deleted.add(document_id)

    def next_sequence(self) -> int:
        """A monotonically increasing number, for a stable creation order that ties in timestamps cannot break."""
        self.drive["sequence"] = self.drive.get("sequence", 0) + 1
        return self.drive["sequence"]


class Store:
    """All emulator state, under `data_dir` (crash-safe, shared by processes) or in memory when it is None.

    Knows no API: which native files have content, and how it is decoded, is told by a subclass
    (service.emulator.store.Store, where the APIs' state is composed).
    """

    def new_content(self, mime_type: str, file_id: str, title: str, ids: IdSource) -> Content | None:
        """Blank content for a new native file of `mime_type`, or None when no API keeps that kind."""
        return None

    def decode_content(self, state: dict) -> Content:
        raise NotImplementedError("a Store that persists content must say how to decode it")

    def copy_content(self, source: Content, file_id: str, title: str, ids: IdSource) -> Content:
        """`source`'s content as a new file's (files.copy)."""
        raise NotImplementedError("a Store that persists content must say how to copy it")

    def has_content(self, mime_type: str) -> bool:
        """Whether a native file of `mime_type` has content of its own (a documents/<id>.json)."""
        return False

    def __init__(self, data_dir: Path | None, ids: IdSource | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.ids = ids if ids is not None else IdSource()
        # RLock so a seeding helper may run inside code that already holds a transaction on this thread.
        self._thread_lock = threading.RLock()
        self._cache = _JsonCache()
        self._memory_drive: dict = empty_index()
        self._memory_documents: dict[str, dict] = {}
        self._depth = 0
        if self.data_dir is not None:
            self._open_dir()

    # -- opening a data dir --------------------------------------------------------------------

    def _open_dir(self) -> None:
        """Check the whole store before first use (StoreDamaged, nothing written), or lay out a fresh one.

        Every file is parsed once here (the parse is kept, so the first transactions reuse it): a
        store with one unreadable document would otherwise fail part-way through a run, after other
        documents were already written.
        """
        assert self.data_dir is not None
        root = self.data_dir
        if root.exists() and not root.is_dir():
            raise StoreDamaged(root, "is not a directory")
        with self._thread_lock:
            with self._file_lock(create=False):
                fresh = self._check() == "fresh"
            # A sound index that lists no document needs no documents dir to be sound; it gets one.
            (root / DOCUMENTS_DIR).mkdir(parents=True, exist_ok=True)
            if not fresh:
                return
            with self._file_lock():
                # Checked again under the lock: another process may have made the store meanwhile.
                if self._check() == "fresh":
                    # The index is written before any document, so from now on "documents but no
                    # drive.json" can only mean the index was lost, never a store still being made.
                    write_atomically(root / DRIVE_FILE, _dumps(empty_index()))

    def _check(self) -> str:
        """"fresh" (nothing there yet), "ok", or StoreDamaged naming the first file at fault."""
        assert self.data_dir is not None
        index_path = self.data_dir / DRIVE_FILE
        documents_dir = self.data_dir / DOCUMENTS_DIR
        if documents_dir.exists() and not documents_dir.is_dir():
            raise StoreDamaged(documents_dir, "is not a directory")
        document_files = sorted(documents_dir.glob("*.json")) if documents_dir.is_dir() else []
        found = self._cache.read(index_path)
        if found is None:
            if document_files:
                # Not a fresh store: starting afresh would orphan every document in it.
                raise StoreDamaged(index_path, f"is missing, yet {documents_dir} holds {len(document_files)} "
                                               "document file(s): the Drive index that lists them was lost")
            return "fresh"
        index = found[1]
        if not (isinstance(index, dict) and isinstance(index.get("files"), dict) and isinstance(index.get("drives"), dict)):
            raise StoreDamaged(index_path, "is not the emulator's Drive index (no \"files\" and \"drives\" objects)")
        for file_id, record in index["files"].items():
            try:
                path = self._document_path(file_id)
            except ValueError:
                path = None
            if path is None or not isinstance(record, dict) or not isinstance(record.get("mimeType"), str):
                raise StoreDamaged(index_path, "has a malformed file entry")
            if self.has_content(record["mimeType"]) and not path.is_file():
                raise StoreDamaged(path, f"is missing: the index lists document {file_id}")
        for path in document_files:
            # Orphans (a document the index does not list, left by a crash mid-commit) are allowed,
            # but a file that cannot be read is damage wherever it is.
            found = self._cache.read(path)
            assert found is not None
            try:
                content = self.decode_content(copy.deepcopy(found[1]))
            except Exception:  # noqa: BLE001 - any decoding failure means the file is not a document we wrote
                raise StoreDamaged(path, "is not a document the emulator wrote (its JSON does not decode)") from None
            if content.document_id != path.stem:
                raise StoreDamaged(path, f"holds document {content.document_id}, not {path.stem}")
        return "ok"

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[State]:
        """`with store.transaction() as state:` sees a consistent snapshot; commits only if the block succeeds."""
        with self._thread_lock:
            if self._depth:
                # Nested use on one thread would deadlock on flock and could commit half; refuse it loudly.
                raise RuntimeError("Store.transaction() is not re-entrant")
            self._depth += 1
            try:
                with self._file_lock():
                    drive_raw, drive = self._load_drive()
                    state = State(self, copy.deepcopy(drive))
                    yield state
                    self._commit(state, drive_raw)
            finally:
                self._depth -= 1

    @contextmanager
    def _file_lock(self, *, create: bool = True) -> Iterator[None]:
        if self.data_dir is None:
            yield
            return
        # Opened per transaction, not once per Store: after a fork, an inherited descriptor would share
        # one lock with the parent and exclude nothing.
        try:
            fd = os.open(self.data_dir / LOCK_FILE, os.O_RDWR | (os.O_CREAT if create else 0), 0o644)
        except FileNotFoundError:
            if create:
                raise
            # Only checking, in a dir never opened (fresh, or files restored without the lock): no
            # process holds a lock that does not exist, and checking must not create files.
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the flock

    def _load_drive(self) -> tuple[bytes, dict]:
        if self.data_dir is None:
            return b"", self._memory_drive
        path = self.data_dir / DRIVE_FILE
        found = self._cache.read(path)
        if found is None:
            # Written when the store was opened: losing it since is damage, not a fresh start.
            raise StoreDamaged(path, "is missing (it was there when the store was opened)")
        return found

    def _document_path(self, document_id: str) -> Path:
        assert self.data_dir is not None
        if not document_id or "/" in document_id or document_id.startswith("."):
            raise ValueError(f"not a document id: {document_id!r}")
        return self.data_dir / DOCUMENTS_DIR / f"{document_id}.json"

    def _load_document_state(self, document_id: str) -> dict | None:
        if self.data_dir is None:
            return self._memory_documents.get(document_id)
        try:
            path = self._document_path(document_id)
        except ValueError:
            return None
        found = self._cache.read(path)
        return None if found is None else found[1]

    def _commit(self, state: State, drive_raw: bytes) -> None:
        documents = {doc_id: state._documents[doc_id] for doc_id in state._dirty}
        if self.data_dir is None:
            for doc_id, document in documents.items():
                assert document is not None
                self._memory_documents[doc_id] = copy.deepcopy(document.to_state())
            for doc_id in state._deleted:
                self._memory_documents.pop(doc_id, None)
            self._memory_drive = state.drive
            return
        # Order matters for crash safety: documents first, then the Drive index that points at them,
        # then removal of documents the new index no longer points at. A crash between any two steps
        # leaves at worst an orphan document file, never an index entry without its document.
        for doc_id, document in documents.items():
            assert document is not None
            doc_state = document.to_state()
            raw = _dumps(doc_state)
            path = self._document_path(doc_id)
            write_atomically(path, raw)
            self._cache.remember(path, raw, json.loads(raw))
        new_drive_raw = _dumps(state.drive)
        if new_drive_raw != drive_raw:
            path = self.data_dir / DRIVE_FILE
            write_atomically(path, new_drive_raw)
            # state.drive itself can be cached: every later transaction works on a deep copy of it.
            self._cache.remember(path, new_drive_raw, state.drive)
        for doc_id in state._deleted:
            path = self._document_path(doc_id)
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            self._cache.forget(path)
        if state._deleted:
            _fsync_dir(self.data_dir / DOCUMENTS_DIR)
