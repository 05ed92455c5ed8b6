"""The daily job end to end: calendars in the emulator, the real client library, a real local Chat receiver.

Dates: November 2026 — Mon 16, Tue 17 (Sam's 1:1, Berlin), Wed 18, Thu 19 (Zoë's 1:1, New York),
Fri 20, Sat 21, Sun 22, Mon 23.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from service.calendar import Week
from service.emulator.errors import ApiError
from service.emulator.wsgi import create_emulator_app
from service.errors import ConfigError
from service.meetings.one_on_one import OneOnOnes
from service.meetings.reminder_ledger import MAX_PROPERTIES
from service.meetings.reminder_text import COVERAGE_QUESTIONS
from service.services import Services
from tests.conftest import google_on
from tests.reminders.conftest import WEBHOOK_ENV, out_of_office, seed_primary, seed_team
from tests.support.chat_receiver import KEY, TOKEN

SAM, ZOE = "sam@example.com", "zoe@example.com"
BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"


def doc_of(engine: Services, report: str) -> Any:
    return engine.registry.find_one({"docket_kind": "one_on_one", "docket_report": report})


def records(engine: Services, report: str) -> dict[str, str]:
    doc = doc_of(engine, report)
    return {k: v for k, v in engine.registry.get(doc.id).properties.items() if k.startswith(("docket_pto_", "docket_nudge_"))}


def statuses(report) -> list[tuple[str, str, str]]:  # noqa: ANN001
    return [(d.report, d.key, d.status) for d in report.delivered]


def test_one_reminder_the_day_before_with_the_handbook_questions_and_none_on_a_rerun(store, engine, receiver, run_daily) -> None:  # noqa: ANN001
    seed_primary(store, ZOE, NEW_YORK, out_of_office("ooo", date(2026, 11, 19), 2, NEW_YORK))
    assert run_daily(date(2026, 11, 17)).delivered == ()  # two days ahead: not yet
    report = run_daily(date(2026, 11, 18))
    assert report.ok and statuses(report) == [(ZOE, "docket_pto_2026-11-19", "sent")]
    [text] = receiver.texts()
    assert "Zoë 👩🏽‍💻 Okafor" in text and "Thu 19 Nov 2026 – Fri 20 Nov 2026" in text and "tomorrow" in text
    assert all(question in text for question in COVERAGE_QUESTIONS)
    assert "https://handbook.example.com/handbook/support/support-time-off" in text
    doc = doc_of(engine, ZOE)
    assert f"/local/docs/{doc.id}#h." in text  # the pair's current week section
    assert "surgery" not in text  # an event's title is private: never read, never sent
    assert records(engine, ZOE) == {"docket_pto_2026-11-19": "sent"}

    again = run_daily(date(2026, 11, 18))
    assert statuses(again) == [(ZOE, "docket_pto_2026-11-19", "already sent")]
    assert len(receiver.posts) == 1 and len(receiver.texts()) == 1


def test_a_monday_start_is_reminded_on_the_friday_and_a_missed_friday_is_caught_up(store, engine, receiver, run_daily) -> None:  # noqa: ANN001
    seed_primary(store, SAM, BERLIN, out_of_office("ooo", date(2026, 11, 23), 5, BERLIN))
    assert run_daily(date(2026, 11, 19)).delivered == ()
    # Friday's run never happened; Saturday's catches up, Sunday's and Monday's send nothing more.
    assert statuses(run_daily(date(2026, 11, 21))) == [(SAM, "docket_pto_2026-11-23", "sent")]
    assert statuses(run_daily(date(2026, 11, 22))) == [(SAM, "docket_pto_2026-11-23", "already sent")]
    assert run_daily(date(2026, 11, 23)).delivered == ()
    assert len(receiver.texts()) == 1 and "Mon 23 Nov 2026 – Fri 27 Nov 2026" in receiver.texts()[0]


def test_time_off_across_the_dst_change_is_told_in_local_days(store, receiver, run_daily) -> None:  # noqa: ANN001
    # Sat 24 to Tue 27 Oct 2026, midnight to midnight in Berlin (73 hours: the clocks go back on the 25th).
    seed_primary(store, SAM, BERLIN, out_of_office("ooo", date(2026, 10, 24), 3, BERLIN))
    report = run_daily(date(2026, 10, 23))
    assert statuses(report) == [(SAM, "docket_pto_2026-10-24", "sent")]
    assert "Sat 24 Oct 2026 – Mon 26 Oct 2026" in receiver.texts()[0]


def test_the_team_calendar_counts_what_the_engineer_created_or_attends(store, receiver, run_daily) -> None:  # noqa: ANN001
    def all_day(event_id: str, first: str, end: str, **who: Any) -> dict:
        return {"id": event_id, "summary": "PTO", "start": {"date": first}, "end": {"date": end}, **who}

    seed_team(store,
              all_day("sam-attends", "2026-11-25", "2026-11-27", attendees=[{"email": SAM, "responseStatus": "accepted"}]),
              all_day("sam-declined", "2026-11-19", "2026-11-20", attendees=[{"email": SAM, "responseStatus": "declined"}]),
              all_day("zoe-made", "2026-11-25", "2026-11-26", creator={"email": ZOE}, organizer={"email": ZOE}),
              all_day("someone-else", "2026-11-25", "2026-11-26", attendees=[{"email": "kim@example.com"}]))
    assert run_daily(date(2026, 11, 18)).delivered == ()  # Sam declined the 19th
    report = run_daily(date(2026, 11, 24))
    assert sorted(statuses(report)) == [(SAM, "docket_pto_2026-11-25", "sent"), (ZOE, "docket_pto_2026-11-25", "sent")]


def test_the_prep_nudge_goes_on_the_meeting_day_once(engine, receiver, run_daily) -> None:  # noqa: ANN001
    pairs = tuple(dataclasses.replace(p, prep_nudge=p.report == SAM) for p in engine.settings.one_on_ones)
    nudging = dataclasses.replace(engine, settings=dataclasses.replace(engine.settings, one_on_ones=pairs))
    assert run_daily(date(2026, 11, 16), services=nudging).delivered == ()
    assert statuses(run_daily(date(2026, 11, 17), services=nudging)) == [(SAM, "docket_nudge_2026-11-17", "sent")]
    assert statuses(run_daily(date(2026, 11, 17), services=nudging)) == [(SAM, "docket_nudge_2026-11-17", "already sent")]
    [text] = receiver.texts()
    assert text.startswith("*1:1 today with Sam Lee*") and "#h." in text


def test_a_lost_chat_response_is_resent_with_the_same_request_id_and_makes_one_message(store, engine, receiver, run_daily) -> None:  # noqa: ANN001
    seed_primary(store, ZOE, NEW_YORK, out_of_office("ooo", date(2026, 11, 19), 1, NEW_YORK))
    receiver.fail_next("lost", "lost", "lost")  # Chat makes the message, the answer never arrives (every attempt)
    first = run_daily(date(2026, 11, 18))
    assert not first.ok and "connection failed" in first.failures[0].reason
    assert records(engine, ZOE) == {"docket_pto_2026-11-19": "pending"}
    second = run_daily(date(2026, 11, 18))
    assert statuses(second) == [(ZOE, "docket_pto_2026-11-19", "sent")]
    assert len(receiver.posts) == 4 and len({p.query["requestId"][0] for p in receiver.posts}) == 1
    assert len(receiver.texts()) == 1
    assert records(engine, ZOE) == {"docket_pto_2026-11-19": "sent"}


class DriveUpdates:
    """Fails Drive files.update (the ledger's writes) from the `fail_from`-th one on, while armed."""

    def __init__(self, fail_from: int) -> None:
        self.fail_from, self.seen, self.armed = fail_from, 0, True

    def __call__(self, identity: str, api: str, method: str, path: str) -> None:
        if api == "drive" and method == "PATCH":
            self.seen += 1
            if self.armed and self.seen >= self.fail_from:
                raise ApiError(503, "The service is currently unavailable.", status="UNAVAILABLE", reason="backendError")


@pytest.mark.parametrize("fail_from, posts_in_first_run", [(1, 0), (2, 1)], ids=["drive fails before the send", "drive fails after the send"])
def test_a_drive_failure_on_either_side_of_the_send_still_gives_one_message(fail_from, posts_in_first_run, settings, store, receiver,
                                                                           run_daily) -> None:  # noqa: ANN001
    seed_primary(store, ZOE, NEW_YORK, out_of_office("ooo", date(2026, 11, 19), 1, NEW_YORK))
    failing = DriveUpdates(fail_from)
    services = Services.build(settings, google_on(create_emulator_app(store, before_request=failing)))
    services.writer.sleep = lambda _s: None
    first = run_daily(date(2026, 11, 18), services=services)
    assert not first.ok and "503" in first.failures[0].reason
    assert len(receiver.posts) == posts_in_first_run
    failing.armed = False
    second = run_daily(date(2026, 11, 18), services=services)
    assert statuses(second) == [(ZOE, "docket_pto_2026-11-19", "sent")]
    assert len(receiver.texts()) == 1 and len({p.query["requestId"][0] for p in receiver.posts}) == 1
    assert records(services, ZOE) == {"docket_pto_2026-11-19": "sent"}


def test_one_pairs_unreadable_calendar_does_not_stop_the_others(store, receiver, run_daily) -> None:  # noqa: ANN001
    seed_primary(store, ZOE, NEW_YORK, out_of_office("ooo", date(2026, 11, 19), 1, NEW_YORK))
    store.seed_calendar("team-pto@group.calendar.example.com", summary="Team PTO", time_zone=NEW_YORK, owner=None,
                        acl=[{"scope": {"type": "user", "value": ZOE}, "role": "reader"}])  # Sam may not read it
    report = run_daily(date(2026, 11, 18))
    assert statuses(report) == [(ZOE, "docket_pto_2026-11-19", "sent")]
    [failure] = report.failures
    assert SAM in failure.title and "not found" in failure.reason


@pytest.mark.parametrize("env", [
    {WEBHOOK_ENV: f"https://chat.example.org/v1/spaces/A/messages?key={KEY}&token={TOKEN}"},
    {WEBHOOK_ENV: f"https://chat.googleapis.com/v1/spaces/A/messages?key={KEY}"},
    {},
], ids=["another host", "no token", "unset"])
def test_a_bad_webhook_stops_the_run_before_anything_is_read_written_or_sent(env, store, docs, receiver, run_daily) -> None:  # noqa: ANN001
    seed_primary(store, ZOE, NEW_YORK, out_of_office("ooo", date(2026, 11, 19), 1, NEW_YORK))
    before = docs.snapshot()
    with pytest.raises(ConfigError) as caught:
        run_daily(date(2026, 11, 18), env=env)
    assert WEBHOOK_ENV in caught.value.message and KEY not in caught.value.message and TOKEN not in caught.value.message
    assert docs.snapshot() == before and receiver.posts == []


def test_a_pairs_own_webhook_is_used_and_checked(engine, store, receiver, run_daily) -> None:  # noqa: ANN001
    seed_primary(store, ZOE, NEW_YORK, out_of_office("ooo", date(2026, 11, 19), 1, NEW_YORK))
    pairs = tuple(dataclasses.replace(p, chat_webhook="env:MARIA_ZOE_HOOK") if p.report == ZOE else p for p in engine.settings.one_on_ones)
    own = dataclasses.replace(engine, settings=dataclasses.replace(engine.settings, one_on_ones=pairs))
    with pytest.raises(ConfigError, match="MARIA_ZOE_HOOK"):
        run_daily(date(2026, 11, 18), services=own)
    # Sam's pair still uses the default, which goes to another space of the receiver.
    run = run_daily(date(2026, 11, 18), services=own, env={WEBHOOK_ENV: receiver.url(space="AAAAother"), "MARIA_ZOE_HOOK": receiver.url()})
    assert statuses(run) == [(ZOE, "docket_pto_2026-11-19", "sent")]
    assert [p.path for p in receiver.posts] == ["/v1/spaces/AAAAdocket/messages"]


def test_without_a_webhook_a_local_backend_prints_and_records(engine, store, receiver, run_daily) -> None:  # noqa: ANN001
    seed_primary(store, ZOE, NEW_YORK, out_of_office("ooo", date(2026, 11, 19), 1, NEW_YORK))
    quiet = dataclasses.replace(engine, settings=dataclasses.replace(
        engine.settings, reminders=dataclasses.replace(engine.settings.reminders, chat_webhook=None)))
    with pytest.raises(ConfigError, match="no Chat webhook for maria@example.com"):
        run_daily(date(2026, 11, 18), services=quiet, env={})  # no printer: nowhere to deliver
    printed: list[tuple[str, str]] = []
    report = run_daily(date(2026, 11, 18), services=quiet, env={}, printer=lambda heading, text: printed.append((heading, text)))
    assert statuses(report) == [(ZOE, "docket_pto_2026-11-19", "printed")] and report.delivered[0].text == printed[0][1]
    assert "this is what it would post" in printed[0][0] and receiver.posts == []
    assert statuses(run_daily(date(2026, 11, 18), services=quiet, env={}, printer=lambda *_: None)) == [
        (ZOE, "docket_pto_2026-11-19", "already sent")]


def _set_properties(engine: Services, report: str, properties: dict[str, str | None]) -> None:
    doc = doc_of(engine, report)
    engine.google.files.update(fileId=doc.id, body={"appProperties": properties}, supportsAllDrives=True).execute()


def test_old_records_are_pruned_in_the_claiming_write(engine, store, receiver, run_daily) -> None:  # noqa: ANN001
    seed_primary(store, ZOE, NEW_YORK, out_of_office("ooo", date(2026, 11, 19), 1, NEW_YORK))
    OneOnOnes(engine).ensure_week(next(p for p in engine.settings.one_on_ones if p.report == ZOE), Week.of(date(2026, 11, 18)))
    _set_properties(engine, ZOE, {"docket_pto_2026-11-02": "sent", "docket_pto_2026-11-18": "pending", "docket_pto_2026-12-01": "sent",
                                  "docket_nudge_2026-11-12": "sent", "docket_nudge_2026-11-18": "sent", "docket_pto_someday": "x"})
    run_daily(date(2026, 11, 18))
    assert records(engine, ZOE) == {"docket_pto_2026-11-19": "sent", "docket_pto_2026-12-01": "sent",
                                    "docket_nudge_2026-11-18": "sent", "docket_pto_someday": "x"}


def test_a_doc_with_no_room_for_a_record_is_refused_before_sending(engine, store, docs, receiver, run_daily) -> None:  # noqa: ANN001
    seed_primary(store, ZOE, NEW_YORK, out_of_office("ooo", date(2026, 11, 19), 1, NEW_YORK))
    OneOnOnes(engine).ensure_week(next(p for p in engine.settings.one_on_ones if p.report == ZOE), Week.of(date(2026, 11, 18)))
    _set_properties(engine, ZOE, {f"other_{n}": "v" for n in range(MAX_PROPERTIES - 3)})  # 3 identify the doc: 30 in all
    before = docs.snapshot()
    report = run_daily(date(2026, 11, 18))
    assert "Drive allows 30" in report.failures[0].reason and receiver.posts == []
    assert docs.snapshot() == before
