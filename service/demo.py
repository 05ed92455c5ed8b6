"""The embedded default's demo data: the example team's roster sheet and time off, so the daily job shows something offline.

Only the embedded default (the in-process emulator) is seeded, through the emulator store's
seeding helpers; on any other backend these functions do nothing.

- The roster sheet (`[roster] sheet_id = "docket-demo-roster-sheet"`, as in
  service/example/docket-sheet.toml): the example team's three pairs, shared with Docket.
- Time off, when `[reminders] demo_time_off = true` (the bundled example): seeded relative to the
  day the daily job acts on (D, `--date` or today), replacing the previous run's, so the demo
  reads the same on any date: Zoë's out-of-office starts on D+1 (the one reminder due on D),
  Sam's began on D-1 (already under way: no reminder), and Amir's all-day entry on the team PTO
  calendar starts on D+8 (not due yet). Rerunning on D sends nothing: the reminder is recorded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from service.google.clients import Google
from service.settings import Settings

DEMO_ROSTER_SHEET_ID = "docket-demo-roster-sheet"
DEMO_ROSTER_ROWS = [
    ["manager", "manager_name", "report", "report_name", "zendesk_user_id", "weekday", "timezone", "chat_webhook", "prep_nudge"],
    ["maria@example.com", "María García", "sam@example.com", "Sam Lee", 361234567, "tuesday", "Europe/Berlin", "", True],
    ["maria@example.com", "María García", "zoe@example.com", "Zoë Okafor", 361234568, "thursday", "", "", False],
    ["kenji@example.com", "Kenji Watanabe", "amir@example.com", "Amir Haddad", 361234569, "monday", "Asia/Tokyo", "", False],
]
_OOO = {"eventType": "outOfOffice", "summary": "Out of office", "transparency": "opaque",
        "outOfOfficeProperties": {"autoDeclineMode": "declineAllConflictingInvitations", "declineMessage": "I am out of office."}}


def _store(google: Google) -> object | None:
    app = google.emulator if google.backend == "embedded" else None
    return getattr(app, "store", None)


def seed_demo_roster(google: Google, sheet_id: str) -> None:
    """The demo roster sheet, when the configured sheet is the demo's and the backend is the embedded default."""
    store = _store(google)
    if store is None or sheet_id != DEMO_ROSTER_SHEET_ID:
        return
    store.seed_spreadsheet("Docket demo roster", {"Pairs": DEMO_ROSTER_ROWS}, owner="maria@example.com",  # type: ignore[attr-defined]
                           readers=[google.identity], file_id=DEMO_ROSTER_SHEET_ID)


def _out_of_office(event_id: str, first: date, days: int, zone: str) -> dict:
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(), tzinfo=tz)
    end = datetime.combine(first + timedelta(days=days), time(), tzinfo=tz)
    return {**_OOO, "id": event_id, "start": {"dateTime": start.isoformat(), "timeZone": zone},
            "end": {"dateTime": end.isoformat(), "timeZone": zone}}


def seed_demo_time_off(google: Google, settings: Settings, on: date) -> None:
    """The demo team's time off around `on` (see the module's docstring), replacing earlier demo events."""
    store = _store(google)
    if store is None or not settings.reminders.demo_time_off:
        return
    zoe_zone, sam_zone = settings.organization.timezone, "Europe/Berlin"
    store.seed_calendar("zoe@example.com", summary="zoe@example.com", time_zone=zoe_zone, owner="zoe@example.com",  # type: ignore[attr-defined]
                        events=[_out_of_office(f"demozoe{on + timedelta(days=1):%Y%m%d}", on + timedelta(days=1), 2, zoe_zone)],
                        replace=True)
    store.seed_calendar("sam@example.com", summary="sam@example.com", time_zone=sam_zone, owner="sam@example.com",  # type: ignore[attr-defined]
                        events=[_out_of_office(f"demosam{on - timedelta(days=1):%Y%m%d}", on - timedelta(days=1), 3, sam_zone)],
                        replace=True)
    team = settings.reminders.pto_calendar_id
    if team:
        first = on + timedelta(days=8)
        store.seed_calendar(team, summary="Team PTO", time_zone=settings.organization.timezone, owner=None,  # type: ignore[attr-defined]
                            acl=[{"scope": {"type": "domain", "value": "example.com"}, "role": "reader"}], replace=True,
                            events=[{"id": f"demoamir{first:%Y%m%d}", "summary": "Amir: vacation",
                                     "start": {"date": first.isoformat()}, "end": {"date": (first + timedelta(days=3)).isoformat()},
                                     "creator": {"email": "kenji@example.com"}, "organizer": {"email": "kenji@example.com"},
                                     "attendees": [{"email": "amir@example.com", "responseStatus": "accepted"}]}])
