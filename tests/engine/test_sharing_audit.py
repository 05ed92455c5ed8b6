"""The weekly run notices a 1:1 readable beyond its pair, Docket and the shared drive's members, and changes nothing.

Two worlds, because whether Drive's file listing carries `permissionIds` for shared-drive items is
UNCONFIRMED (the emulator leaves them out there, and has them in My Drive): in a shared drive every
run lists each 1:1's permissions once; in My Drive only a 1:1 whose permission ids changed since it
was last found clean is asked about.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from service.calendar import Week
from service.emulator.bootstrap import DEFAULT_IDENTITY
from service.emulator.wsgi import create_emulator_app
from service.meetings.sharing_audit import FINGERPRINT
from service.meetings.weekly import run_weekly
from service.services import Services
from tests.conftest import google_on

PERSON = "docket@example.com"  # a person's account (domain-wide delegation): a My Drive, no shared drive


class Requests:
    """Every request the emulator receives, as (method, path), to count the calls per document."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, identity: str, api: str, method: str, path: str) -> None:
        self.seen.append((method, path))

    def permission_listings(self, document_id: str) -> int:
        return self.seen.count(("GET", f"/drive/v3/files/{document_id}/permissions"))

    def property_writes(self, document_id: str) -> int:
        return self.seen.count(("PATCH", f"/drive/v3/files/{document_id}"))


@pytest.fixture
def requests() -> Requests:
    return Requests()


@pytest.fixture
def emulator_app(store: Any, requests: Requests) -> Any:
    return create_emulator_app(store, default_identity=DEFAULT_IDENTITY, before_request=requests)


@pytest.fixture
def my_drive(settings, emulator_app) -> Services:
    """Docket acting as a person, its documents in that person's My Drive."""
    mine = dataclasses.replace(settings, google=dataclasses.replace(settings.google, folder_id=None))
    services = Services.build(mine, google_on(emulator_app, identity=PERSON))
    services.writer.sleep = lambda _s: None
    return services


def one_on_ones(services: Services) -> dict[str, str]:
    return {d.properties["docket_report"]: d.id for d in services.registry.all_documents() if d.kind == "one_on_one"}


def share(services: Services, document_id: str, body: dict) -> None:
    services.google.permissions.create(fileId=document_id, body=body, supportsAllDrives=True,
                                       sendNotificationEmail=False if body["type"] in ("user", "group") else None).execute()


def grants(services: Services, document_id: str) -> set[tuple]:
    return {(p.id, p.type, p.role, p.email, p.domain) for p in services.registry.permissions(document_id)}


def test_a_1on1_shared_beyond_its_pair_is_warned_about_every_run_and_nothing_changes(engine, docs, week):
    assert run_weekly(engine, week).warnings == ()  # creates them
    assert run_weekly(engine, week).warnings == ()  # checks them: clean
    sam = one_on_ones(engine)["sam@example.com"]
    share(engine, sam, {"type": "user", "role": "reader", "emailAddress": "bob@example.com"})
    share(engine, sam, {"type": "domain", "role": "commenter", "domain": "example.com"})
    share(engine, sam, {"type": "anyone", "role": "reader"})
    before, granted = docs.snapshot(), grants(engine, sam)

    for _ in range(2):  # warned each week while it stays exposed
        report = run_weekly(engine, week)
        assert report.ok
        (warning,) = report.warnings
        assert warning.startswith(f"1:1 Sam Lee / María García (document {sam}) can be read by others than "
                                  "the manager and the report of this 1:1: ")
        for grant in ("bob@example.com, who is not the manager or the report", "everyone in the domain example.com",
                      "anyone with the link"):
            assert grant in warning
        assert "zoe" not in warning and "Docket changed nothing" in warning
        assert report.to_dict()["warnings"] == [warning]
        assert grants(engine, sam) == granted and docs.snapshot() == before


def test_the_shared_drive_members_docket_and_the_pair_are_not_warned_about(engine, store, week):
    from tests.conftest import SHARED_DRIVE

    run_weekly(engine, week)
    store.add_drive_member(SHARED_DRIVE, "intern@example.com", "reader")
    sam = one_on_ones(engine)["sam@example.com"]
    share(engine, sam, {"type": "user", "role": "writer", "emailAddress": "SAM@example.com"})  # the pair again: fine
    warnings = run_weekly(engine, week).warnings
    # Only the folder check speaks of the shared drive's new member; no 1:1 is warned about.
    assert len(warnings) == 1 and SHARED_DRIVE in warnings[0] and "1:1" not in warnings[0]


def test_in_a_shared_drive_each_run_lists_each_1on1s_permissions_once(engine, requests, week):
    run_weekly(engine, week)
    ids = one_on_ones(engine)
    for _ in range(2):
        requests.seen.clear()
        run_weekly(engine, Week.of(date(2026, 11, 25)))
        # The listing of Docket's documents carries no permissionIds for shared-drive items here,
        # so there is no fingerprint to keep either: the check writes nothing.
        assert [requests.permission_listings(i) for i in ids.values()] == [1, 1]
        assert [requests.property_writes(i) for i in ids.values()] == [0, 0]


def test_in_my_drive_a_1on1_is_asked_about_only_when_its_permissions_changed(my_drive, requests, week):
    run_weekly(my_drive, week)  # creates them, shared with exactly the pair
    ids = one_on_ones(my_drive)
    sam, zoe = ids["sam@example.com"], ids["zoe@example.com"]
    requests.seen.clear()
    assert run_weekly(my_drive, week).warnings == ()
    # First check: listed once, found clean, the fingerprint stored.
    assert [requests.permission_listings(i) for i in (sam, zoe)] == [1, 1]
    assert [requests.property_writes(i) for i in (sam, zoe)] == [1, 1]
    assert all(FINGERPRINT in my_drive.registry.get(i).properties for i in (sam, zoe))

    requests.seen.clear()
    assert run_weekly(my_drive, Week.of(date(2026, 11, 25))).warnings == ()
    # Unchanged since: the one listing of Docket's documents is enough.
    assert [requests.permission_listings(i) for i in (sam, zoe)] == [0, 0]
    assert [requests.property_writes(i) for i in (sam, zoe)] == [0, 0]

    share(my_drive, sam, {"type": "user", "role": "commenter", "emailAddress": "bob@example.com"})
    for _ in range(2):
        requests.seen.clear()
        (warning,) = run_weekly(my_drive, Week.of(date(2026, 11, 25))).warnings
        assert sam in warning and "bob@example.com, who is not the manager or the report" in warning
        assert [requests.permission_listings(i) for i in (sam, zoe)] == [1, 0]
        assert requests.property_writes(sam) == 0  # never fingerprinted while exposed

    bob = next(p.id for p in my_drive.registry.permissions(sam) if p.email == "bob@example.com")
    my_drive.google.permissions.delete(fileId=sam, permissionId=bob, supportsAllDrives=True).execute()
    requests.seen.clear()
    assert run_weekly(my_drive, Week.of(date(2026, 11, 25))).warnings == ()
    # Back to the ids last found clean: the listing matches the fingerprint again, no call.
    assert requests.permission_listings(sam) == 0 and requests.property_writes(sam) == 0


def test_the_cloud_tasks_task_of_a_1on1_reports_the_warning(engine, week):
    from service.meetings.one_on_one import OneOnOnes

    sam = OneOnOnes(engine).ensure_week(engine.settings.one_on_ones[0], week).document_id
    assert engine.kinds.ensure_section(engine, sam, week, anchor=False, audit=True).warnings == ()
    share(engine, sam, {"type": "group", "role": "reader", "emailAddress": "support-all@example.com"})
    (warning,) = engine.kinds.ensure_section(engine, sam, week, anchor=False, audit=True).warnings
    assert "the group support-all@example.com" in warning
    # The Docs menu is not the weekly run: it does not check sharing (nor spend a call on it).
    assert engine.kinds.ensure_section(engine, sam, week, caller="sam@example.com").warnings == ()
