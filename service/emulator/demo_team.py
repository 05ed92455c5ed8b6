"""The example team the Zendesk and GitLab emulators seed demo activity for (the pairs of service/example/docket.toml).

Deterministic by construction: every figure derives from a seed made of the engineer and the ISO
week, so any week shows the same data whenever and wherever it is generated.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

EPOCH = date(2020, 1, 6)  # a Monday: week numbers count from here


@dataclass(frozen=True)
class DemoEngineer:
    zendesk_id: int
    gitlab_username: str
    name: str
    email: str
    work_start_utc: int  # the UTC hour their working day starts (about 09:00 local)


TEAM = (
    DemoEngineer(361234567, "sam-lee", "Sam Lee", "sam@example.com", 8),  # Europe/Berlin
    DemoEngineer(361234568, "zoe-okafor", "Zoë Okafor", "zoe@example.com", 13),  # America/New_York
    DemoEngineer(361234569, "amir-haddad", "Amir Haddad", "amir@example.com", 0),  # Asia/Tokyo
)
COLLEAGUES = (
    DemoEngineer(361234580, "priya-nair", "Priya Nair", "priya@example.com", 4),
    DemoEngineer(361234581, "tomas-ruiz", "Tomás Ruiz", "tomas@example.com", 15),
    DemoEngineer(361234582, "lena-fischer", "Lena Fischer", "lena@example.com", 8),
)
API_USER_EMAIL = "docket-api@example.com"
API_USER_ID = 361230001


def week_index(day: date) -> int:
    """Weeks since EPOCH (negative before it) of the ISO week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return (monday - EPOCH).days // 7


def week_start(index: int) -> datetime:
    return datetime.combine(EPOCH + timedelta(weeks=index), datetime.min.time(), tzinfo=timezone.utc)


def rng(*parts: object) -> random.Random:
    """A generator seeded by `parts` alone (stable across processes, unlike hash())."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def working_instant(r: random.Random, engineer: DemoEngineer, day: datetime) -> datetime:
    """A moment in `engineer`'s working day on the UTC day of `day`, whole seconds."""
    seconds = r.randrange(0, 9 * 3600)
    return day.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(hours=engineer.work_start_utc, seconds=seconds)


def span(anchor: date, weeks_before: int = 17, weeks_after: int = 1) -> range:
    """The week indexes a demo world anchored at `anchor` covers (enough for a previous quarter's roll-up)."""
    here = week_index(anchor)
    return range(here - weeks_before, here + weeks_after + 1)
