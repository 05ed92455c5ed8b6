"""Many people adding agenda items at once through the Docs menu: every add succeeds, each item lands once.

Outside testing sent 24 concurrent POST /addon/items to one agenda: 9 were refused with 409 after
eight attempts, and some refused confidential items were already in the confidential doc. Writes to
one document are now serialised within an instance and concurrent items go out in one batch.
"""

from __future__ import annotations

import itertools
import json

from tests.leadership.conftest import agenda_lines, confidential_lines
from tests.service.conftest import doc_of
from tests.support.concurrency import run_concurrently

CALLERS = 24
DAY = "2026-11-18"


def test_twenty_four_concurrent_item_adds_all_succeed_and_land_once(client, tokens, docs, weekly_done):
    agenda = doc_of(weekly_done, "leadership_agenda")
    confidential = doc_of(weekly_done, "leadership_confidential")
    numbers = itertools.count()
    authors = ["vp@example.com", "maria@example.com"]

    def add() -> tuple[int, dict, int]:
        n = next(numbers)
        kind = ("discussion", "fyi", "confidential")[n % 3]
        response = client.post("/addon/items", headers=tokens.person(authors[n % 2]),
                               json={"documentId": agenda, "text": f"Item {n:02d} 🧩", "kind": kind, "itemId": f"click-{n:02d}"})
        return n, response.get_json(), response.status_code

    results = run_concurrently(add, CALLERS)
    assert sorted(status for _, _, status in results) == [200] * CALLERS, [body for _, body, _ in results]
    assert all(body["created"] for _, body, _ in results)
    lines = agenda_lines(docs, agenda, DAY)
    entries = confidential_lines(docs, confidential, DAY)
    open_items = sorted(line.split(" — ")[0].removeprefix("FYI: ") for line in lines if line.startswith(("Item", "FYI")))
    assert open_items == sorted(f"Item {n:02d} 🧩" for n in range(CALLERS) if n % 3 != 2)
    assert sum(1 for line in lines if line.startswith("Confidential item")) == CALLERS // 3
    assert sorted(e.split(" — ")[0] for e in entries) == sorted(f"Item {n:02d} 🧩" for n in range(CALLERS) if n % 3 == 2)
    # No confidential text reached the agenda.
    agenda_json = json.dumps(docs.get(agenda), ensure_ascii=False)
    assert not any(f"Item {n:02d}" in agenda_json for n in range(CALLERS) if n % 3 == 2)

    # The same clicks retried: nothing new.
    again = run_concurrently(add, 1)  # a fresh number: one more item
    assert again[0][2] == 200
    retried = client.post("/addon/items", headers=tokens.person("vp@example.com"),
                          json={"documentId": agenda, "text": "Item 00 🧩", "kind": "discussion", "itemId": "click-00"})
    assert retried.status_code == 200 and retried.get_json()["created"] is False
    assert len(agenda_lines(docs, agenda, DAY)) == len(lines) + 1
