"""Issue 5.3: twenty concurrent triggers on one document and week — scheduler, task, Docs menu, manager link and the
command line in another process — leave exactly one section, and every caller gets the same heading.

The race is on an append: the document already holds last week's section, and a person has typed into its last
paragraph. The command line runs as separate processes over the same data dir (the emulator's store is flock-protected),
preloaded and waiting on stdin, so they start the instant the in-process callers are released by the barrier.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.robustness.conftest import cli_env, document_of, heading_of, type_into
from tests.service.conftest import doc_of

THIS_WEEK = "2026-11-18"          # the pinned clock's day (Wednesday)
LAST_WEEK = "2026-11-11"
SAM_MEETING = "2026-11-17"        # Sam's 1:1 is on Tuesdays in Berlin
SYNC_MEETING = "2026-11-18"       # the leadership sync is on Wednesdays
TYPED_SAM = "Sam typed this at the very end 🙂 — don't move me"
TYPED_AGENDA = "VP typed a closing note ✍️"
CLI_LINE = re.compile(r"^\[\d+/\d+\] (created|appended|present)\s+(.+?)  (\S+)$")


@dataclass
class Result:
    caller: str
    ok: bool
    url: str = ""
    wrote: bool = False
    detail: str = ""


def named_range_count(doc: dict, name: str) -> int:
    return len(doc.get("namedRanges", {}).get(name, {}).get("namedRanges", []))


def heading_texts(doc: dict) -> list[tuple[str, str]]:
    """(text, headingId) of every heading paragraph."""
    found = []
    for element in doc["body"]["content"]:
        paragraph = element.get("paragraph")
        if paragraph and paragraph["paragraphStyle"].get("headingId"):
            text = "".join(e.get("textRun", {}).get("content", "") for e in paragraph["elements"]).strip()
            found.append((text, paragraph["paragraphStyle"]["headingId"]))
    return found


def warm_clients(app: Any) -> None:
    google = app.extensions["docket"].google
    google.documents, google.drive  # noqa: B018 (built once per thread, on first use)


@pytest.fixture
def last_week(client, tokens, app) -> dict[str, Any]:
    """Last week's sections in every doc, then people type at the very end of Sam's 1:1 and of the agenda."""
    response = client.post("/tasks/weekly", json={"date": LAST_WEEK}, headers=tokens.scheduler())
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    type_into(app.extensions["docket"].google.emulator, doc_of(body, "one_on_one", 0), TYPED_SAM, who="sam@example.com")
    type_into(app.extensions["docket"].google.emulator, doc_of(body, "leadership_agenda"), TYPED_AGENDA, who="vp@example.com")
    return body


def race(callers: list[tuple[str, Callable[[], Result]]], processes: list[tuple[str, Any, Callable[[Any], Result]]],
         warm: Callable[[], None]) -> list[Result]:
    """Release every in-process caller and every waiting process at the same instant; collect their results.

    `warm` runs in each in-process caller's thread before the barrier (it builds that thread's Docs and Drive clients),
    so the callers are not still constructing clients while the processes already write.
    """
    barrier = threading.Barrier(len(callers) + len(processes))
    results: list[Result] = []
    lock = threading.Lock()

    def run(name: str, work: Callable[[], Result]) -> None:
        warm()
        barrier.wait(timeout=60)
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 (reported as a failed caller, with its type)
            result = Result(name, False, detail=f"{type(exc).__name__}: {exc}")
        with lock:
            results.append(result)

    def go(name: str, proc: Any, read: Callable[[Any], Result]) -> Result:
        proc.stdin.write("go\n")
        return read(proc)  # communicate() flushes and closes stdin

    threads = [threading.Thread(target=run, args=(name, work)) for name, work in callers]
    # The processes' threads write "go" after the barrier too, so they start together with the rest.
    threads += [threading.Thread(target=run, args=(name, lambda n=name, p=proc, r=read: go(n, p, r))) for name, proc, read in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a caller hung"
    return results


def cli_reader(title: str) -> Callable[[Any], Result]:
    def read(proc: Any) -> Result:
        out, err = proc.communicate(timeout=90)
        lines = [CLI_LINE.match(line) for line in out.splitlines()]
        mine = [m for m in lines if m and m.group(2) == title]
        if proc.returncode != 0 or len(mine) != 1:
            return Result("cli", False, detail=f"exit {proc.returncode}: {out[-800:]} {err[-800:]}")
        return Result("cli", True, mine[0].group(3), mine[0].group(1) != "present")
    return read


def test_twenty_concurrent_triggers_on_one_1on1_leave_one_section_and_one_heading(app, tokens, docs, settings_file, data_dir,
                                                                                   link_for, last_week, cli_processes):
    sam = doc_of(last_week, "one_on_one", 0)
    typed_before = docs.text(sam)
    assert typed_before.rstrip().endswith(TYPED_SAM)
    others = {r["document_id"]: r["kind"] for r in last_week["results"] if r["document_id"] != sam}
    link = link_for()
    # Tokens are minted before the race: minting is not what is being raced.
    scheduler = [tokens.scheduler() for _ in range(8)]
    manager, report = [tokens.person("maria@example.com") for _ in range(3)], [tokens.person("sam@example.com") for _ in range(3)]

    def task(i: int) -> Result:
        r = app.test_client().post("/tasks/section", json={"documentId": sam, "date": THIS_WEEK}, headers=scheduler[i])
        body = r.get_json()
        return Result("task", r.status_code == 200, body.get("url", ""), body.get("action") in ("created", "appended"), str(body))

    def weekly(i: int) -> Result:
        r = app.test_client().post("/tasks/weekly", json={"date": THIS_WEEK}, headers=scheduler[4 + i])
        body = r.get_json()
        mine = [x for x in body.get("results", []) if x["document_id"] == sam]
        ok = r.status_code == 200 and len(mine) == 1 and "failures" not in body
        return Result("weekly", ok, mine[0]["url"] if mine else "", bool(mine) and mine[0]["action"] != "present", str(body)[:800])

    def menu(header: dict[str, str], who: str) -> Result:
        r = app.test_client().post("/addon/section", json={"documentId": sam}, headers=header)
        body = r.get_json()
        return Result(who, r.status_code == 200, body.get("url", ""), bool(body.get("created")), str(body))

    def opened() -> Result:
        r = app.test_client().get(f"/links/{link}")
        return Result("link", r.status_code == 302, r.headers.get("Location", ""), False, r.get_data(as_text=True)[:300])

    callers: list[tuple[str, Callable[[], Result]]] = []
    callers += [("task", lambda i=i: task(i)) for i in range(4)]
    callers += [("weekly", lambda i=i: weekly(i)) for i in range(3)]
    callers += [("menu:manager", lambda h=h: menu(h, "menu:manager")) for h in manager]
    callers += [("menu:report", lambda h=h: menu(h, "menu:report")) for h in report]
    callers += [("link", opened) for _ in range(4)]
    env = cli_env(settings_file, data_dir)
    processes = [("cli", cli_processes(["weekly", "--date", THIS_WEEK], env, wait_for_go=True), cli_reader("1:1 Sam Lee / María García"))
                 for _ in range(3)]
    assert len(callers) + len(processes) == 20

    results = race(callers, processes, warm=lambda: warm_clients(app))

    assert [r for r in results if not r.ok] == []
    assert Counter(r.caller for r in results) == {"task": 4, "weekly": 3, "menu:manager": 3, "menu:report": 3, "link": 4, "cli": 3}
    assert {document_of(r.url) for r in results} == {sam}
    # People (the menu, a link) get the section's heading; the jobs link the document (they never read it back).
    anchored = [r for r in results if r.caller.startswith(("menu", "link"))]
    assert all(heading_of(r.url) for r in anchored) and not any(heading_of(r.url) for r in results if r not in anchored)
    headings = {heading_of(r.url) for r in anchored}
    assert len(headings) == 1, Counter(f"{r.caller} {heading_of(r.url)}" for r in results)
    heading = headings.pop()
    # At most one caller wrote (a link's redirect does not say whether it did, so the writer may be silent).
    assert sum(r.wrote for r in results) <= 1, [(r.caller, r.wrote) for r in results]

    doc = docs.get(sam)
    assert named_range_count(doc, f"docket.week.{SAM_MEETING}") == 1
    assert named_range_count(doc, "docket.week.2026-11-10") == 1   # last week's section is untouched
    dated = [(text, hid) for text, hid in heading_texts(doc) if text.startswith(SAM_MEETING)]
    assert dated == [(f"{SAM_MEETING} · Weekly 1:1", heading)]
    assert sum(1 for text, _ in heading_texts(doc) if "Weekly 1:1" in text) == 2
    # What Sam typed is still there, once, unchanged, and before the new section.
    text = docs.text(sam)
    assert text.count(TYPED_SAM) == 1
    assert text.startswith(typed_before.rstrip("\n"))
    assert text.index(TYPED_SAM) < text.index(f"{SAM_MEETING} · Weekly 1:1")
    # No stray copies: one 1:1 doc per pair, one of each leadership doc, nothing created in the race.
    assert sorted(docs.ids("one_on_one")) == sorted(i for i in [sam, *others] if i == sam or others[i] == "one_on_one")
    assert len(docs.ids("leadership_agenda")) == len(docs.ids("leadership_confidential")) == 1


def test_concurrent_menu_scheduler_and_command_line_on_the_leadership_agenda(app, tokens, docs, settings_file, data_dir, last_week, cli_processes):
    agenda = doc_of(last_week, "leadership_agenda")
    confidential = doc_of(last_week, "leadership_confidential")
    typed_before = docs.text(agenda)
    scheduler = [tokens.scheduler() for _ in range(6)]
    members = [tokens.person(who) for who in ("vp@example.com", "maria@example.com") * 2]

    def task(i: int) -> Result:
        r = app.test_client().post("/tasks/section", json={"documentId": agenda, "date": THIS_WEEK}, headers=scheduler[i])
        body = r.get_json()
        return Result("task", r.status_code == 200, body.get("url", ""), body.get("action") != "present", str(body))

    def weekly(i: int) -> Result:
        r = app.test_client().post("/tasks/weekly", json={"date": THIS_WEEK}, headers=scheduler[3 + i])
        body = r.get_json()
        mine = [x for x in body.get("results", []) if x["document_id"] == agenda]
        return Result("weekly", r.status_code == 200 and len(mine) == 1, mine[0]["url"] if mine else "",
                      bool(mine) and mine[0]["action"] != "present", str(body)[:800])

    def menu(header: dict[str, str]) -> Result:
        r = app.test_client().post("/addon/section", json={"documentId": agenda}, headers=header)
        body = r.get_json()
        return Result("menu", r.status_code == 200, body.get("url", ""), bool(body.get("created")), str(body))

    callers = [("task", lambda i=i: task(i)) for i in range(3)] + [("weekly", lambda i=i: weekly(i)) for i in range(3)]
    callers += [("menu", lambda h=h: menu(h)) for h in members]
    env = cli_env(settings_file, data_dir)
    title = "Senior Support Leadership Sync — agenda"
    processes = [("cli", cli_processes(["weekly", "--date", THIS_WEEK], env, wait_for_go=True), cli_reader(title)) for _ in range(2)]

    results = race(callers, processes, warm=lambda: warm_clients(app))

    assert [r for r in results if not r.ok] == []
    assert len(results) == 12
    assert {document_of(r.url) for r in results} == {agenda}
    assert len({heading_of(r.url) for r in results if heading_of(r.url)}) == 1
    assert sum(r.wrote for r in results) == 1, [(r.caller, r.wrote) for r in results]  # every caller here reports it
    for doc_id in (agenda, confidential):
        doc = docs.get(doc_id)
        assert named_range_count(doc, f"docket.week.{SYNC_MEETING}") == 1
        assert len([t for t, _ in heading_texts(doc) if t.startswith(SYNC_MEETING)]) == 1
    text = docs.text(agenda)
    assert text.count(TYPED_AGENDA) == 1 and text.startswith(typed_before.rstrip("\n"))
    assert len(docs.ids("leadership_agenda")) == len(docs.ids("leadership_confidential")) == 1
