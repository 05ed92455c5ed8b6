"""Docket's benchmark: Google calls per operation, bytes read per ensure, write-quota throughput, own CPU per section, peak memory.

Run: .venv/bin/python benchmarks/bench.py [--docs 1000] [--latency-ms 150]   (prints tables; nothing is asserted)
Everything runs against the in-process emulator through the real google-api-python-client.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

from service.calendar import Week
from service.emulator.bootstrap import DEFAULT_IDENTITY, SHARED_DRIVE_NAME
from service.emulator.call import Call
from service.emulator.drive import files as drive
from service.emulator.drive import permissions
from service.emulator.faults import Faults, SlidingWindow
from service.emulator.store import Store
from service.emulator.transport import EmulatorHttp
from service.services import Services
from service.google.calls import Backoff
from service.google.clients import Google
from service.google.outline import OUTLINE_FIELDS
from service.google.pacer import WritePacer
from service.meetings.leadership import Leadership
from service.meetings.one_on_one import OneOnOnes, properties_of, title_of
from service.meetings.weekly import run_weekly
from service.settings import Settings, load_settings

DRIVE_ID = "0ABenchSharedDrive"
MONDAY = date(2026, 1, 5)
MEMBERS = ("vp@example.com", "director@example.com")


@dataclass
class SimClock:
    """Simulated seconds shared by the pacer, the backoff and the emulator's quota: sleeping only moves it."""

    now: float = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


class MeteredHttp(EmulatorHttp):
    """The in-process transport, counting response bytes and the emulator's CPU time (thread time inside the app)."""

    def __init__(self, app: Any, meter: Meter) -> None:
        super().__init__(app)
        self.meter = meter

    def request(self, uri: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        response, content = super().request(uri, method, *args, **kwargs)
        self.meter.emulator_cpu += time.thread_time() - started
        self.meter.bytes += len(content)
        return response, content


@dataclass
class Meter:
    bytes: int = 0
    emulator_cpu: float = 0.0


def roster(pairs: int) -> str:
    lines = ['[organization]', 'name = "Bench Support"', 'timezone = "America/New_York"', 'domains = ["example.com"]',
             'zendesk_url = "https://acme.zendesk.com"', '', '[google]', f'folder_id = "{DRIVE_ID}"']
    for n in range(pairs):
        lines += ['', '[[one_on_one]]', f'manager = "manager{n % 25}@example.com"', f'manager_name = "Manager {n % 25}"',
                  f'report = "engineer{n}@example.com"', f'report_name = "Engineer {n} 🛠️"', f'zendesk_user_id = "{360000000 + n}"',
                  f'weekday = "{("monday", "tuesday", "wednesday", "thursday", "friday")[n % 5]}"']
    lines += ['', '[leadership]', 'weekday = "wednesday"', f'members = {list(MEMBERS)!r}'.replace("'", '"'),
              '', '[[leadership.standing_item]]', 'title = "Metrics and KPIs"', 'cadence = "weekly"',
              '', '[[leadership.standing_item]]', 'title = "Upcoming promotions"', 'cadence = "monthly"', 'confidential = true']
    return "\n".join(lines) + "\n"


@dataclass
class World:
    """An in-memory emulator with Faults as its counter/quota, and an Services over the metered transport."""

    settings: Settings
    store: Store
    faults: Faults
    app: Any
    meter: Meter = field(default_factory=Meter)
    engine: Services | None = None

    @classmethod
    def make(cls, pairs: int, faults: Faults) -> World:
        folder = Path(tempfile.mkdtemp(prefix="docket-bench-"))
        (folder / "docket.toml").write_text(roster(pairs), encoding="utf-8")
        settings = load_settings(str(folder / "docket.toml"), env={"DOCKET_DATA_DIR": str(folder / "data")})
        store = Store(None)  # in memory: no fsync per request in the figures
        store.seed_shared_drive(SHARED_DRIVE_NAME, {DEFAULT_IDENTITY: "organizer"}, drive_id=DRIVE_ID)
        return cls(settings, store, faults, faults.app(store))

    def connect(self, *, backoff: Backoff | None = None, pacer: Callable[[], None] | None = None,
                sleep: Callable[[float], None] = lambda _s: None) -> Services:
        google = Google(lambda: MeteredHttp(self.app, self.meter), backend="embedded", identity=DEFAULT_IDENTITY,
                        backoff=backoff or Backoff(sleep=sleep), pacer=pacer)
        engine = Services.build(self.settings, google)
        engine.writer.sleep = sleep
        self.engine = engine
        return engine

    def seed_documents(self) -> None:
        """Every pair's doc, made and shared through the emulator's own handlers in one transaction (fast setup)."""
        flags = {"supportsAllDrives": "true"}
        with self.store.transaction() as state:
            for pair in self.settings.one_on_ones:
                body = {"name": title_of(pair), "mimeType": "application/vnd.google-apps.document",
                        "appProperties": properties_of(pair), "parents": [DRIVE_ID]}
                doc = drive.files_create(Call(state, DEFAULT_IDENTITY, flags, body, {})).body or {}
                for email in (pair.manager, pair.report):
                    grant = {"type": "user", "role": "writer", "emailAddress": email}
                    permissions.permissions_create(Call(state, DEFAULT_IDENTITY, {**flags, "sendNotificationEmail": "false"},
                                                        grant, {"fileId": doc["id"]}))


def week(n: int) -> Week:
    return Week.of(MONDAY + timedelta(weeks=n))


def measure(world: World, action: Callable[[], object]) -> tuple[Counter[str], int]:
    """Emulator-side requests by kind and response bytes for one action."""
    before, bytes_before = Counter(world.faults.requests), world.meter.bytes
    action()
    return Counter(world.faults.requests) - before, world.meter.bytes - bytes_before


def calls_per_operation() -> list[tuple[str, ...]]:
    world = World.make(3, Faults(write_quota=None))
    engine = world.connect()
    one_on_ones, leadership = OneOnOnes(engine), Leadership(engine)
    pair = engine.settings.one_on_ones[0]
    operations: list[tuple[str, int, int, Callable[[], object]]] = [  # (name, docs touched, minimum, action)
        ("create a 1:1 doc (+ header and week)", 1, 2, lambda: one_on_ones.ensure_week(pair, week(0))),
        ("ensure section, new week", 1, 2, lambda: one_on_ones.ensure_week(pair, week(1))),
        ("ensure section, existing week", 1, 1, lambda: one_on_ones.ensure_week(pair, week(1))),
        ("leadership week, first (creates both)", 2, 4, lambda: leadership.ensure_week(week(0))),
        ("leadership week (agenda + confidential)", 2, 4, lambda: leadership.ensure_week(week(1))),
        ("leadership week, already there", 2, 2, lambda: leadership.ensure_week(week(1))),
        ("agenda item", 1, 2, lambda: leadership.add_item(author=MEMBERS[0], text="Hiring plan", kind="discussion", week=week(1))),
        ("confidential item", 2, 4, lambda: leadership.add_item(author=MEMBERS[0], text="Sam's promotion case", kind="confidential",
                                                                 week=week(1))),
    ]
    rows = []
    for name, touched, minimum, action in operations:
        counts, _ = measure(world, action)
        total = sum(counts.values())
        rows.append((name, str(counts["docs.read"]), str(counts["docs.write"]), str(counts["drive.read"]), str(counts["drive.write"]),
                     str(total), str(touched), str(minimum), f"{total / minimum:.1f}×"))
    return rows


def bytes_per_ensure(weeks: int) -> list[tuple[str, ...]]:
    world = World.make(1, Faults(write_quota=None))
    engine = world.connect()
    one_on_ones, pair = OneOnOnes(engine), engine.settings.one_on_ones[0]
    for n in range(weeks):
        one_on_ones.ensure_week(pair, week(n))
    doc_id = engine.registry.find_one(properties_of(pair))
    assert doc_id is not None
    docs = engine.google.documents
    _, full = measure(world, lambda: docs.get(documentId=doc_id.id).execute())
    _, masked = measure(world, lambda: docs.get(documentId=doc_id.id, fields=OUTLINE_FIELDS).execute())
    _, present = measure(world, lambda: one_on_ones.ensure_week(pair, week(weeks - 1)))
    _, new = measure(world, lambda: one_on_ones.ensure_week(pair, week(weeks)))
    return [
        (f"full documents.get ({weeks} weekly sections)", f"{full:,}", "1.00"),
        ("outline read (OUTLINE_FIELDS mask)", f"{masked:,}", f"{masked / full:.3f}"),
        ("ensure, existing week (all responses, Drive included)", f"{present:,}", f"{present / full:.3f}"),
        ("ensure, new week (all responses, Drive included)", f"{new:,}", f"{new / full:.3f}"),
    ]


def throughput(docs: int, latency: float) -> tuple[list[tuple[str, ...]], dict[str, float]]:
    clock = SimClock()
    faults = Faults(write_quota=None, clock=clock, sleep=clock.sleep)
    world = World.make(docs, faults)
    world.seed_documents()
    quota = 60
    faults.writes = SlidingWindow(quota, 60.0, clock)  # Google's per-identity Docs write quota, on the simulated clock
    faults.latency = latency  # every request takes this long in simulated time
    pacer = WritePacer(world.settings.dispatch.writes_per_minute, clock=clock, sleep=clock.sleep)
    engine = world.connect(backoff=Backoff(sleep=clock.sleep), pacer=pacer, sleep=clock.sleep)
    started_cpu, started_wall, started_sim = time.process_time(), time.perf_counter(), clock.now
    tracemalloc.start()
    report = run_weekly(engine, week(0))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started_wall
    times = faults.writes.admitted.get(DEFAULT_IDENTITY, [])
    span = clock.now - started_sim
    rate = len(times) / span * 60 if span else 0.0
    docket_cpu = cpu - world.meter.emulator_cpu
    rows = [
        ("documents", f"{docs:,}"),
        ("Docs writes admitted / refused by the quota (429)", f"{len(times):,} / {faults.injected['quota']}"),
        ("failures in the report", str(len(report.failures))),
        ("pacer (dispatch.writes_per_minute)", f"{world.settings.dispatch.writes_per_minute}/min"),
        ("simulated latency per request", f"{latency * 1000:.0f} ms"),
        ("simulated duration", f"{span / 60:.1f} min"),
        ("sustained writes per minute", f"{rate:.2f}"),
        ("busiest rolling minute", f"{faults.writes.peak(DEFAULT_IDENTITY)}"),
        ("throughput / quota (target ≥ 0.95)", f"{rate / quota:.3f}"),
    ]
    figures = {"docket_cpu": docket_cpu, "emulator_cpu": world.meter.emulator_cpu, "wall": wall, "peak": peak,
               "sections": len(report.outcomes)}
    return rows, figures


def own_time_per_section(sections: int) -> list[tuple[str, ...]]:
    """Docket's CPU per new weekly section with zero latency: process time minus the emulator's thread time."""
    world = World.make(sections, Faults(write_quota=None))
    world.seed_documents()
    engine = world.connect()
    one_on_ones = OneOnOnes(engine)
    per_section, emulator_share = [], []
    for pair in engine.settings.one_on_ones:
        emulator_before, started = world.meter.emulator_cpu, time.process_time()
        one_on_ones.ensure_week(pair, week(0))
        spent, emulator = time.process_time() - started, world.meter.emulator_cpu - emulator_before
        per_section.append(spent - emulator)
        emulator_share.append(emulator)
    per_section.sort()
    return [
        ("sections (header + week into a shared, empty doc)", str(sections)),
        ("Docket CPU per section, median", f"{statistics.median(per_section) * 1000:.1f} ms"),
        ("Docket CPU per section, p95", f"{per_section[int(len(per_section) * 0.95) - 1] * 1000:.1f} ms"),
        ("emulator CPU per section, median (excluded)", f"{statistics.median(emulator_share) * 1000:.1f} ms"),
    ]


def machine() -> list[tuple[str, ...]]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    return [("CPU", f"{model} × {os.cpu_count()}"), ("RAM", f"{mem_kb / 1024 / 1024:.1f} GiB"),
            ("Python", platform.python_version()), ("OS", platform.platform())]


def table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    print(f"\n### {title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the throughput run (default 1000)")
    parser.add_argument("--weeks", type=int, default=156, help="weekly sections in the bytes-read document (default 156)")
    parser.add_argument("--latency-ms", type=float, default=150.0, help="simulated latency per request in the throughput run")
    parser.add_argument("--sections", type=int, default=200, help="sections timed for Docket's own CPU time")
    args = parser.parse_args()
    progress = lambda what: print(f"… {what}", file=sys.stderr, flush=True)  # noqa: E731

    table("Machine", ("", ""), machine())
    progress("calls per operation")
    table("Google API calls per operation (emulator-side count; no faults)",
          ("operation", "docs reads", "docs writes", "drive reads", "drive writes", "total", "docs touched", "minimum", "÷ minimum"),
          calls_per_operation())
    progress(f"bytes read on a document with {args.weeks} weekly sections")
    table("Bytes read per ensure (response bodies at the transport)", ("read", "bytes", "÷ full get"), bytes_per_ensure(args.weeks))
    progress("Docket's own CPU time per section")
    table("Docket's own time per section, zero API latency", ("", ""), own_time_per_section(args.sections))
    progress(f"weekly job over {args.docs} documents against the write quota (simulated clock)")
    rows, figures = throughput(args.docs, args.latency_ms / 1000)
    table("Weekly job throughput against the Docs write quota (60/min per identity, simulated clock)", ("", ""), rows)
    rusage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table("Memory and CPU of that run", ("", ""), [
        ("Python heap peak during the job (tracemalloc; emulator included)", f"{figures['peak'] / 2**20:.1f} MiB"),
        ("process peak RSS (ru_maxrss; whole benchmark, emulator included)", f"{rusage:.0f} MiB"),
        ("Docket CPU per section in the job (traced, so slower)", f"{figures['docket_cpu'] / max(1, figures['sections']) * 1000:.1f} ms"),
        ("emulator CPU per section in the job", f"{figures['emulator_cpu'] / max(1, figures['sections']) * 1000:.1f} ms"),
        ("wall time of the job", f"{figures['wall']:.0f} s"),
    ])


if __name__ == "__main__":
    main()
