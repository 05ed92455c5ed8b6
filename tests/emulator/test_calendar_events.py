"""Calendar v3 events.list through the real client, checked against responses recorded from the real API.

captures/calendar/events_list_single_events_page.json is a real events.list page (Aurelain/destiny,
sw/endpoints/getList_MOCK.js): the replay seeds the same calendar (its three all-day events and the
two yearly series whose instances the page shows) and compares every item. out_of_office_event.json
is a real out-of-office event (grafana/oncall's test fixture of what events.list gave it).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from service.emulator.transport import EmulatorHttp

CAPTURES = Path(__file__).parent / "captures" / "calendar"
SAM = "sam@example.com"


def calendar_for(app: Any, identity: str) -> Any:
    return build("calendar", "v3", http=EmulatorHttp(app, identity=identity), static_discovery=True, cache_discovery=False)


def _capture(name: str) -> dict:
    return json.loads((CAPTURES / name).read_text(encoding="utf-8"))


def _eid(link: str) -> str:
    token = parse_qs(urlsplit(link).query)["eid"][0]
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()


def test_a_recorded_page_of_instances_is_answered_item_for_item(emu_store, emu_app) -> None:  # noqa: ANN001
    recorded = _capture("events_list_single_events_page.json")["response"]["body"]
    by_id = {item["id"]: item for item in recorded["items"]}
    singles = [dict(by_id[i]) for i in ("52uj3nelsca3bgar5ii0ua2vgn", "74sj6o9m70pj0b9kc4s36b9k6gom8b9pcli6ab9g6tgjcopo75hjep1kcc",
                                       "c8o3ec1gc9hm2b9jcoo68b9k6dgm2b9o71h64b9o70s30pb16gpjee9mcc")]
    series = []
    for instance_id, first in (("7v4283n2ou3502agsp3t6re7pi_20231018T053000Z", "2020-10-18T08:30:00+03:00"),
                               ("627u09v22a8381m7itejqtkmuk_20240727T110000Z", "2015-07-27T14:00:00+03:00")):
        item = dict(by_id[instance_id])
        end = item["end"]["dateTime"].replace(item["start"]["dateTime"][:10], first[:10])
        series.append({**{k: v for k, v in item.items() if k not in ("recurringEventId", "originalStartTime")},
                       "id": item["recurringEventId"], "recurrence": ["RRULE:FREQ=YEARLY"],
                       "start": {"dateTime": first, "timeZone": "Europe/Bucharest"},
                       "end": {"dateTime": end, "timeZone": "Europe/Bucharest"}})
    owner = "foo@gmail.com"
    emu_store.seed_calendar(owner, summary=recorded["summary"], time_zone=recorded["timeZone"], owner=owner,
                            events=[{k: v for k, v in e.items() if k not in ("kind", "etag", "htmlLink")} for e in singles + series])
    with emu_store.transaction() as state:  # the calendar-level fields the page shows
        state.drive["calendars"][owner].update(updated=recorded["updated"], description=recorded["description"],
                                               defaultReminders=recorded["defaultReminders"])

    got = calendar_for(emu_app, owner).events().list(calendarId="primary", singleEvents=True, orderBy="startTime", maxResults=10,
                                                    timeMin="2023-09-17T00:00:00+03:00").execute()

    assert set(got) == set(recorded)
    for key in ("kind", "summary", "description", "updated", "timeZone", "accessRole", "defaultReminders"):
        assert got[key] == recorded[key], key
    assert re.fullmatch(r'"p3[0-9a-z]{14}"', got["etag"]) and re.fullmatch(r'"p3[0-9a-z]{14}"', recorded["etag"])
    assert [i["id"] for i in got["items"]] == [i["id"] for i in recorded["items"]]
    for mine, theirs in zip(got["items"], recorded["items"]):
        assert set(mine) == set(theirs), mine["id"]
        for key in set(theirs) - {"etag", "htmlLink"}:
            assert mine[key] == theirs[key], (mine["id"], key)
        # Opaque values in their recorded shapes: a quoted number; an eid naming the event (the capture's
        # calendar id is abbreviated by Google, "aurelain@m", and unredacted there).
        assert re.fullmatch(r'"\d{16}"', mine["etag"]) and re.fullmatch(r'"\d{16}"', theirs["etag"])
        assert _eid(mine["htmlLink"]).split(" ")[0] == _eid(theirs["htmlLink"]).split(" ")[0] == mine["id"]


def test_an_out_of_office_event_has_the_recorded_shape(emu_store, emu_app) -> None:  # noqa: ANN001
    recorded = _capture("out_of_office_event.json")["event"]
    owner = recorded["creator"]["email"]
    seeded = {k: v for k, v in recorded.items() if k not in ("kind", "etag", "htmlLink", "iCalUID")}
    seeded["start"] = {"dateTime": "2024-03-27T09:00:00-04:00", "timeZone": "America/New_York"}
    seeded["end"] = {"dateTime": "2024-03-27T09:50:00-04:00", "timeZone": "America/New_York"}
    emu_store.seed_calendar(owner, summary=owner, time_zone="America/New_York", owner=owner, events=[seeded])
    got = calendar_for(emu_app, owner).events().list(calendarId="primary", eventTypes="outOfOffice", singleEvents=True,
                                                    orderBy="startTime").execute()
    [item] = got["items"]
    assert set(item) == set(recorded)
    for key in set(recorded) - {"etag", "start", "end"}:
        assert item[key] == recorded[key], key
    assert item["etag"] == f'"{recorded["etag"]}"'  # 2 × updated in microseconds, as recorded (quoted, as Google sends it)
    assert item["start"] == seeded["start"]


@pytest.fixture
def seeded(emu_store) -> Any:  # noqa: ANN001
    """Sam's primary calendar (Berlin) and a team PTO calendar the domain may read."""
    ooo = {"eventType": "outOfOffice", "outOfOfficeProperties": {"autoDeclineMode": "declineAllConflictingInvitations"},
           "summary": "Out of office"}
    emu_store.seed_calendar(SAM, summary=SAM, time_zone="Europe/Berlin", owner=SAM, events=[
        {"id": "ooo1", **ooo, "start": {"dateTime": "2026-11-20T00:00:00+01:00"}, "end": {"dateTime": "2026-11-24T00:00:00+01:00"}},
        {"id": "meet", "summary": "Standup", "start": {"dateTime": "2026-10-19T09:00:00+02:00", "timeZone": "Europe/Berlin"},
         "end": {"dateTime": "2026-10-19T09:15:00+02:00", "timeZone": "Europe/Berlin"}, "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=4"]},
        {"id": "gone", **ooo, "status": "cancelled", "start": {"dateTime": "2026-11-25T00:00:00+01:00"},
         "end": {"dateTime": "2026-11-26T00:00:00+01:00"}},
        {"id": "later", **ooo, "start": {"dateTime": "2026-12-01T00:00:00+01:00"}, "end": {"dateTime": "2026-12-02T00:00:00+01:00"}},
    ])
    emu_store.seed_calendar("team-pto@group.calendar.example.com", summary="Team PTO", time_zone="America/New_York", owner=None,
                            acl=[{"scope": {"type": "domain", "value": "example.com"}, "role": "reader"}],
                            events=[{"id": "pto1", "summary": "Sam: PTO", "start": {"date": "2026-11-20"}, "end": {"date": "2026-11-21"},
                                     "attendees": [{"email": SAM, "responseStatus": "accepted"}], "creator": {"email": "zoe@example.com"}}])
    return emu_store


def _ids(response: dict) -> list[str]:
    return [i["id"] for i in response["items"]]


def test_filters_by_type_window_and_status(seeded, emu_app) -> None:  # noqa: ANN001
    events = calendar_for(emu_app, SAM).events()
    window = {"timeMin": "2026-11-01T00:00:00Z", "timeMax": "2026-12-01T00:00:00+01:00"}
    assert _ids(events.list(calendarId="primary", eventTypes="outOfOffice", **window).execute()) == ["ooo1"]
    assert _ids(events.list(calendarId="primary", eventTypes="outOfOffice", showDeleted=True, **window).execute()) == ["ooo1", "gone"]
    # timeMax bounds the start, exclusively: an event starting at timeMax is out; timeMin bounds the end, exclusively.
    assert _ids(events.list(calendarId="primary", eventTypes="outOfOffice", timeMin="2026-11-24T00:00:00+01:00").execute()) == ["later"]
    # Without singleEvents a series is listed itself when one of its instances falls in the window.
    assert _ids(events.list(calendarId="primary", eventTypes=["outOfOffice", "default"], **window).execute()) == ["ooo1", "meet"]
    everything = events.list(calendarId="primary", singleEvents=True, orderBy="startTime").execute()
    assert _ids(everything)[:4] == ["meet_20261019T070000Z"] + [f"meet_2026{d}T080000Z" for d in ("1026", "1102", "1109")]


def test_recurring_instances_keep_local_time_across_dst(seeded, emu_app) -> None:  # noqa: ANN001
    items = calendar_for(emu_app, SAM).events().list(calendarId="primary", singleEvents=True, eventTypes="default").execute()["items"]
    assert [i["start"]["dateTime"] for i in items] == ["2026-10-19T09:00:00+02:00", "2026-10-26T09:00:00+01:00",
                                                       "2026-11-02T09:00:00+01:00", "2026-11-09T09:00:00+01:00"]
    assert all(i["originalStartTime"] == i["start"] and i["recurringEventId"] == "meet" for i in items)
    series = calendar_for(emu_app, SAM).events().list(calendarId="primary", eventTypes="default").execute()["items"]
    assert [(i["id"], i["recurrence"]) for i in series] == [("meet", ["RRULE:FREQ=WEEKLY;COUNT=4"])]


def test_the_time_zone_parameter_rewrites_date_times_not_dates(seeded, emu_app) -> None:  # noqa: ANN001
    events = calendar_for(emu_app, SAM).events()
    [ooo] = events.list(calendarId="primary", eventTypes="outOfOffice", timeZone="America/New_York", maxResults=1).execute()["items"]
    assert ooo["start"] == {"dateTime": "2026-11-19T18:00:00-05:00"}
    [pto] = events.list(calendarId="team-pto@group.calendar.example.com", timeZone="Asia/Tokyo").execute()["items"]
    assert pto["start"] == {"date": "2026-11-20"}
    assert pto["attendees"] == [{"email": SAM, "responseStatus": "accepted", "self": True}]


def test_pages_add_up_to_the_whole_listing(seeded, emu_app) -> None:  # noqa: ANN001
    events = calendar_for(emu_app, SAM).events()
    whole = _ids(events.list(calendarId="primary", singleEvents=True, showDeleted=True).execute())
    paged, token = [], None
    while True:
        page = events.list(calendarId="primary", singleEvents=True, showDeleted=True, maxResults=2, pageToken=token).execute()
        paged += _ids(page)
        token = page.get("nextPageToken")
        if not token:
            assert "nextSyncToken" in page
            break
        assert "nextSyncToken" not in page
    assert paged == whole and len(whole) == 7


def test_calendars_are_private_unless_shared(seeded, emu_app) -> None:  # noqa: ANN001
    with pytest.raises(HttpError) as caught:
        calendar_for(emu_app, "zoe@example.com").events().list(calendarId=SAM).execute()
    assert caught.value.resp.status == 404
    assert json.loads(caught.value.content) == {"error": {"errors": [{"domain": "global", "reason": "notFound", "message": "Not Found"}],
                                                          "code": 404, "message": "Not Found"}}
    team = calendar_for(emu_app, "zoe@example.com").events().list(calendarId="team-pto@group.calendar.example.com").execute()
    assert team["accessRole"] == "reader" and _ids(team) == ["pto1"]
    with pytest.raises(HttpError):
        calendar_for(emu_app, "eve@elsewhere.org").events().list(calendarId="team-pto@group.calendar.example.com").execute()
    # Everyone has a primary calendar: one never seeded is empty.
    assert calendar_for(emu_app, "new@example.com").events().list(calendarId="primary").execute()["items"] == []


@pytest.mark.parametrize("params, status, reason", [
    ({"timeMin": "2026-11-01T00:00:00"}, 400, "badRequest"),  # no offset
    ({"timeMin": "2026-11-01"}, 400, "badRequest"),
    ({"timeMin": "2026-12-01T00:00:00Z", "timeMax": "2026-11-01T00:00:00Z"}, 400, "timeRangeEmpty"),
    ({"orderBy": "startTime"}, 400, "badRequest"),  # needs singleEvents=true
    ({"pageToken": "not-a-token"}, 400, "invalid"),
    ({"q": "vacation"}, 501, None),
    ({"syncToken": "abc"}, 501, None),
])
def test_bad_or_unmodelled_parameters_are_refused_and_change_nothing(params, status, reason, seeded, emu_app) -> None:  # noqa: ANN001
    before = (seeded.data_dir / "drive.json").read_text()
    with pytest.raises(HttpError) as caught:
        calendar_for(emu_app, SAM).events().list(calendarId="primary", **params).execute()
    assert caught.value.resp.status == status
    error = json.loads(caught.value.content)["error"]
    if reason:
        assert error["errors"][0]["reason"] == reason
    else:
        assert "does not model" in error["message"]
    assert (seeded.data_dir / "drive.json").read_text() == before


def test_the_time_range_error_is_the_documented_one(seeded, emu_app) -> None:  # noqa: ANN001
    with pytest.raises(HttpError) as caught:
        calendar_for(emu_app, SAM).events().list(calendarId="primary", timeMin="2026-12-01T00:00:00Z",
                                                 timeMax="2026-12-01T00:00:00Z").execute()
    # developers.google.com/calendar/api/guides/errors, "400: Bad Request".
    assert json.loads(caught.value.content) == {"error": {"errors": [{
        "domain": "calendar", "reason": "timeRangeEmpty", "message": "The specified time range is empty.",
        "locationType": "parameter", "location": "timeMax"}], "code": 400, "message": "The specified time range is empty."}}
