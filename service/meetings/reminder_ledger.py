"""What the daily job has sent, kept in the 1:1 doc's Drive appProperties, so each reminder goes out exactly once.

One property per message: `docket_pto_<first day>` (a time off's reminder) or
`docket_nudge_<meeting day>` (a "1:1 today" nudge), valued `pending` or `sent`. Drive is Docket's
registry already, the doc is the pair's, and appProperties are private to Docket's OAuth client,
so the record needs no database and no one else sees or edits it.

Drive's limits on them (google-apis.md §7.2): 124 bytes for key + value (UTF-8), 30 private
properties per app on a file. Keys are at most 23 bytes and values 7, and every claim prunes the
records that can no longer matter — a time off that has begun, a nudge for a past day — in the
same write, so a doc holds its three identifying properties plus a few live records. The emulator
does not enforce Drive's limits (a divergence it declares), so they are checked here, before
writing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date

from service.errors import DocketError
from service.google.clients import Google

PTO_PREFIX = "docket_pto_"
NUDGE_PREFIX = "docket_nudge_"
PENDING, SENT = "pending", "sent"
MAX_BYTES = 124  # key + value, UTF-8
MAX_PROPERTIES = 30  # private properties per app on one file
_NAMESPACE = uuid.UUID("6f1c2a7e-3b7d-4c4e-9a57-1d0c5b2f8e11")  # Docket's, for request ids


class LedgerFull(DocketError):
    """A record would break Drive's appProperties limits; nothing was written or sent."""

    status = 500
    code = "ledger_full"


def pto_key(first_day: date) -> str:
    return f"{PTO_PREFIX}{first_day.isoformat()}"


def nudge_key(day: date) -> str:
    return f"{NUDGE_PREFIX}{day.isoformat()}"


def stale_keys(properties: Mapping[str, str], today: date) -> list[str]:
    """Records that can no longer matter on `today`: a reminder is due only before its time off starts,
    a nudge only on its day."""
    stale = []
    for key in properties:
        for prefix, keep_from in ((PTO_PREFIX, 1), (NUDGE_PREFIX, 0)):
            if key.startswith(prefix):
                try:
                    day = date.fromisoformat(key[len(prefix):])
                except ValueError:
                    continue  # not ours to judge
                if (day - today).days < keep_from:
                    stale.append(key)
    return sorted(stale)


def request_id(document_id: str, key: str) -> str:
    """The Chat requestId of a record: derived from it, so every attempt, process and run sends the same one."""
    return str(uuid.uuid5(_NAMESPACE, f"{document_id}/{key}"))


class Ledger:
    """The records of one 1:1 doc, read fresh and written through Drive files.update (patch semantics)."""

    def __init__(self, google: Google, document_id: str) -> None:
        self.google = google
        self.document_id = document_id

    def read(self) -> dict[str, str]:
        request = self.google.files.get(fileId=self.document_id, fields="id,appProperties", supportsAllDrives=True)
        found = self.google.call(request, f"files.get {self.document_id}", method="drive.files.get")
        return dict(found.get("appProperties") or {})

    def state(self, key: str) -> str | None:
        return self.read().get(key)

    def claim(self, key: str, today: date, current: Mapping[str, str]) -> None:
        """Record `key` as pending (before the send) and prune stale records, in one write; LedgerFull if
        Drive's limits would be broken."""
        changes: dict[str, str | None] = {k: None for k in stale_keys(current, today) if k != key}
        changes[key] = PENDING
        after = {k: v for k, v in {**current, **changes}.items() if v is not None}
        if len(after) > MAX_PROPERTIES:
            raise LedgerFull(f"document {self.document_id} holds {len(after) - 1} Drive properties of Docket's; "
                             f"Drive allows {MAX_PROPERTIES}")
        if len(key.encode("utf-8")) + len(PENDING.encode("utf-8")) > MAX_BYTES:
            raise LedgerFull(f"the record {key} is longer than Drive's {MAX_BYTES} bytes")
        self._write(changes)

    def mark_sent(self, key: str) -> None:
        self._write({key: SENT})

    def _write(self, changes: Mapping[str, str | None]) -> None:
        request = self.google.files.update(fileId=self.document_id, body={"appProperties": dict(changes)},
                                           supportsAllDrives=True, fields="id")
        # Setting the same values again is harmless, so the write may be retried on 429/5xx.
        self.google.call(request, f"files.update {self.document_id}", method="drive.files.update")
