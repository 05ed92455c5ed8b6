"""Fault injection for the emulator: Google's 429/5xx, latency, the per-identity Docs write quota, racing human edits, lost responses."""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.emulator.call import Call
from service.emulator.docs import routes as docs_api
from service.emulator.errors import ApiError

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from service.emulator.store import Store

ERROR_CODES = (429, 500, 503)
HUMAN_EDIT_PLACES = ("end", "start", "before_paragraph")
_DOCUMENT_PATH = re.compile(r"^/v1/documents/(?P<id>[^/:]+)(?P<batch>:batchUpdate)?$")
_SERVICES = {"docs": "docs.googleapis.com", "drive": "drive.googleapis.com", "calendar": "calendar-json.googleapis.com",
             "sheets": "sheets.googleapis.com"}
# The APIs whose errors carry the legacy `errors[0]` entry (reason, domain) their clients read.
_LEGACY_ENVELOPE = ("drive", "calendar")


def operation(api: str, method: str) -> str:
    """The kind of a request, as fault rates are keyed: docs.read, docs.write, drive.read, drive.write."""
    return f"{api}.{'read' if method in ('GET', 'HEAD') else 'write'}"


def document_of(path: str) -> tuple[str | None, bool]:
    """(document id, is a batchUpdate) for a Docs path; (None, False) for documents.create and Drive."""
    match = _DOCUMENT_PATH.match(path)
    return (match["id"], bool(match["batch"])) if match else (None, False)


def quota_exceeded(api: str, limit: int, *, kind: str = "Write") -> ApiError:
    """429 RESOURCE_EXHAUSTED with the ErrorInfo Google attaches to a per-user quota refusal.

    UNCONFIRMED for Docs (google-apis.md §6.1): this mirrors the body observed on Sheets with the
    service name swapped. Drive also sends the legacy `errors` entry its clients read (reason
    rateLimitExceeded, domain usageLimits); the Docs API, a OnePlatform API, does not.
    """
    service = _SERVICES[api]
    details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com",
                "metadata": {"quota_metric": f"{service}/{kind.lower()}_requests", "quota_limit": f"{kind}RequestsPerMinutePerUser",
                             "quota_limit_value": str(limit), "service": service, "consumer": "projects/0"}}]
    message = (f"Quota exceeded for quota metric '{kind} requests' and limit '{kind} requests per minute per user' "
               f"of service '{service}' for consumer 'project_number:0'.")
    if api in _LEGACY_ENVELOPE:
        return ApiError(429, message, status="RESOURCE_EXHAUSTED", reason="rateLimitExceeded", domain="usageLimits", details=details)
    return ApiError(429, message, status="RESOURCE_EXHAUSTED", details=details)


def server_error(api: str, code: int, *, read: bool = False) -> ApiError:
    """Google's 500 INTERNAL / 503 UNAVAILABLE (Drive with its legacy backendError entry), or the quota 429."""
    if code == 429:
        return quota_exceeded(api, 300 if read else 60, kind="Read" if read else "Write")
    reason = "backendError" if api in _LEGACY_ENVELOPE else None
    if code == 503:
        return ApiError(503, "The service is currently unavailable.", status="UNAVAILABLE", reason=reason)
    if code == 500:
        return ApiError(500, "Internal error encountered.", status="INTERNAL", reason=reason)
    raise ValueError(f"no injected error for HTTP {code}; choose from {ERROR_CODES}")


class SlidingWindow:
    """Per-identity admissions in a rolling window (Google counts quotas per rolling minute)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float]) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a quota needs limit ≥ 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self.admitted: dict[str, list[float]] = {}  # every admission time, for throughput figures

    def admit(self, key: str) -> bool:
        """Count one request for `key` if the window has room; a refused request is not counted."""
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        self.admitted.setdefault(key, []).append(now)
        return True

    def peak(self, key: str) -> int:
        """The most admissions in any one window (exact: a window's busiest placement starts at an admission)."""
        times = self.admitted.get(key, [])
        best, low = 0, 0
        for high, at in enumerate(times):
            while times[low] <= at - self.window:
                low += 1
            best = max(best, high - low + 1)
        return best


@dataclass(frozen=True)
class HumanEdit:
    """A line a person typed between Docket's read and its write; `paragraphs` is the body's text right after."""

    document_id: str
    identity: str
    text: str
    place: str
    paragraphs: tuple[str, ...]


@dataclass
class Faults:
    """A thread-safe, seedable fault injector: plug `before_request` and `after_request` into create_emulator_app.

    Rates are probabilities per request. `error_rate` is one number for every request, or a mapping
    keyed by API ("docs", "drive") or operation ("docs.read", "docs.write", "drive.read",
    "drive.write"); the most specific key wins. Injected errors change nothing. `lost_response_rate`
    applies to the operations in `lost_response_on` (Docs writes by default): the change is
    committed, then answered 500/503 (what makes a blind retry apply twice). `human_edit_rate` is the chance that, between Docket's documents.get of a
    document and its next batchUpdate there, a person with write access types a line — run as that
    person through the Docs handlers, in its own transaction, before the write's transaction.
    `clock` and `sleep` are injectable so tests and the benchmark can scale time.
    """

    error_rate: float | Mapping[str, float] = 0.0
    error_codes: tuple[int, ...] = (429, 503)
    lost_response_rate: float = 0.0
    lost_response_codes: tuple[int, ...] = (500, 503)
    lost_response_on: tuple[str, ...] = ("docs.write",)  # operations whose responses may be lost
    latency: float = 0.0  # seconds added to every request
    write_quota: int | None = 60  # Docs writes per identity per window; None: unlimited
    read_quota: int | None = None  # Docs reads per identity per window (Google: 300); off unless asked
    window: float = 60.0
    human_edit_rate: float = 0.0
    human_edit_places: tuple[str, ...] = HUMAN_EDIT_PLACES
    seed: int | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    store: Store | None = None  # needed for human edits; set by app() or bind()

    def __post_init__(self) -> None:
        for code in (*self.error_codes, *self.lost_response_codes):
            server_error("docs", code)  # refuse unknown codes now, not on the first unlucky request
        unknown = set(self.human_edit_places) - set(HUMAN_EDIT_PLACES)
        if unknown:
            raise ValueError(f"unknown human edit places {sorted(unknown)}; choose from {HUMAN_EDIT_PLACES}")
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self.writes = SlidingWindow(self.write_quota, self.window, self.clock) if self.write_quota else None
        self.reads = SlidingWindow(self.read_quota, self.window, self.clock) if self.read_quota else None
        self._read_since_write: set[tuple[str, str]] = set()  # (identity, document id) read and not yet written
        self.requests: Counter[str] = Counter()  # per operation, every request the hook saw
        self.injected: Counter[str] = Counter()  # "429", "503", "quota", "lost", "human_edit"
        self.applied: Counter[str] = Counter()  # committed batchUpdates per document (lost responses included)
        self.human_edits: list[HumanEdit] = []

    # -- wiring --------------------------------------------------------------------------------------

    def bind(self, store: Store) -> Faults:
        self.store = store
        return self

    def app(self, store: Store, **options: Any) -> WSGIApplication:
        """create_emulator_app(store, ...) with this injector's hooks."""
        from service.emulator.wsgi import create_emulator_app

        self.bind(store)
        return create_emulator_app(store, before_request=self.before_request, after_request=self.after_request, **options)

    def __call__(self, identity: str, api: str, method: str, path: str) -> None:
        self.before_request(identity, api, method, path)

    # -- the hooks -------------------------------------------------------------------------------

    def before_request(self, identity: str, api: str, method: str, path: str) -> None:
        op = operation(api, method)
        document_id, is_batch = document_of(path) if api == "docs" else (None, False)
        with self._lock:
            self.requests[op] += 1
            roll = self._rng.random()
            code = self._rng.choice(self.error_codes) if self.error_codes else 503
            edit = False
            if document_id is not None and is_batch and (identity, document_id) in self._read_since_write:
                self._read_since_write.discard((identity, document_id))
                edit = self.human_edit_rate > 0 and self._rng.random() < self.human_edit_rate
        if self.latency > 0:
            self.sleep(self.latency)
        if roll < self._rate_for(api, op):
            self._count("injected", str(code))
            raise server_error(api, code, read=op.endswith(".read"))
        if api == "docs":
            quota = self.writes if op == "docs.write" else self.reads
            with self._lock:
                admitted = quota is None or quota.admit(identity)
            if not admitted:
                assert quota is not None
                self._count("injected", "quota")
                raise quota_exceeded("docs", quota.limit, kind="Write" if op == "docs.write" else "Read")
            if document_id is not None and not is_batch:
                with self._lock:
                    self._read_since_write.add((identity, document_id))
        if edit and document_id is not None:
            self._human_edit(document_id, identity)

    def after_request(self, identity: str, api: str, method: str, path: str, status: int) -> None:
        if status >= 300:
            return
        document_id, is_batch = document_of(path) if api == "docs" else (None, False)
        with self._lock:
            if is_batch and document_id is not None:
                self.applied[document_id] += 1
            if operation(api, method) not in self.lost_response_on:
                return
            lost = self.lost_response_rate > 0 and self._rng.random() < self.lost_response_rate
            code = self._rng.choice(self.lost_response_codes) if lost else 0
        if lost:
            self._count("injected", "lost")
            raise server_error(api, code)

    # -- helpers ---------------------------------------------------------------------------------

    def _rate_for(self, api: str, op: str) -> float:
        if isinstance(self.error_rate, Mapping):
            return float(self.error_rate.get(op, self.error_rate.get(api, 0.0)))
        return float(self.error_rate)

    def _count(self, counter: str, key: str) -> None:
        with self._lock:
            getattr(self, counter)[key] += 1

    def _human_edit(self, document_id: str, docket_identity: str) -> None:
        """A writer other than Docket types one line: at the end, at the start, or before a paragraph with text.

        Runs as that person through the same Docs handlers (permission check, atomic batch), so the
        document's revision changes and Docket's pending write becomes stale, as with Google.
        """
        if self.store is None:
            raise RuntimeError("human edits need the store: build the app with Faults.app() or call bind()")
        with self.store.transaction() as state:
            record = state.drive["files"].get(document_id)
            humans = sorted(p["emailAddress"] for p in (record or {}).get("permissions", [])
                            if p["type"] == "user" and p["role"] in ("owner", "writer")
                            and p.get("emailAddress") != docket_identity.lower())
            if not humans:
                return  # nobody but Docket can type here
            with self._lock:
                who = self._rng.choice(humans)
                place = self._rng.choice(self.human_edit_places)
                pick = self._rng.random()
                self.injected["human_edit"] += 1
                number = self.injected["human_edit"]
            text = f"{who.split('@')[0]} typed line {number} ✍️ between Docket's read and write"
            target = {"documentId": document_id}
            resource = docs_api.documents_get(Call(state, who, {}, None, target)).body or {}
            requests = _typing(resource, text, place, pick)
            docs_api.documents_batch_update(Call(state, who, {}, {"requests": requests}, target))
            after = docs_api.documents_get(Call(state, who, {}, None, target)).body or {}
        edit = HumanEdit(document_id, who, text, place, paragraph_texts(after))
        with self._lock:
            self.human_edits.append(edit)


def paragraph_texts(resource: Mapping[str, Any]) -> tuple[str, ...]:
    """Every body paragraph's text, without its newline."""
    texts = []
    for element in resource.get("body", {}).get("content", []):
        paragraph = element.get("paragraph")
        if paragraph is not None:
            runs = (e.get("textRun", {}).get("content", "") for e in paragraph.get("elements", []))
            texts.append("".join(runs).rstrip("\n"))
    return tuple(texts)


def _typing(resource: Mapping[str, Any], text: str, place: str, pick: float) -> list[dict]:
    """The requests a person's typing amounts to: a new paragraph holding `text` at `place`."""
    paragraphs = [e for e in resource.get("body", {}).get("content", []) if "paragraph" in e]
    last = paragraphs[-1]
    end = int(last["endIndex"])
    last_empty = end - int(last.get("startIndex", 0)) <= 1
    if place == "start":
        return [{"insertText": {"location": {"index": 1}, "text": text + "\n"}}]
    if place == "before_paragraph":
        written = [p for p in paragraphs if int(p["endIndex"]) - int(p.get("startIndex", 0)) > 1]
        if written:
            chosen = written[min(len(written) - 1, int(pick * len(written)))]
            return [{"insertText": {"location": {"index": int(chosen.get("startIndex", 0))}, "text": text + "\n"}}]
    # At the end: type into the empty last paragraph, or press Enter after the last line first.
    return [{"insertText": {"location": {"index": end - 1}, "text": text if last_empty else "\n" + text}}]
