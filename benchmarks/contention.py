"""Docket's contention benchmark: many people adding agenda items to one agenda at once, as outside testing did.

Run: .venv/bin/python benchmarks/contention.py [--callers 24] [--writes-per-minute 58] [--instances 1]
Prints a table; nothing is asserted. Each caller runs the same use case as POST /addon/items (after
authentication) in its own thread, against the in-process emulator through the real client library,
with the write pacer of a quota-bound backend (real sleeping). `--instances 2` splits the callers over
two Services (two Cloud Run instances: no shared queue, only the revision guard between them).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from service.calendar import Week
from service.emulator.bootstrap import DEFAULT_IDENTITY, SHARED_DRIVE_NAME
from service.emulator.store import Store
from service.emulator.transport import EmulatorHttp
from service.emulator.wsgi import create_emulator_app
from service.errors import DocketError
from service.google.clients import Google
from service.google.pacer import WritePacer
from service.meetings.leadership import Leadership
from service.services import Services
from service.settings import load_settings

CONFIG = """
[organization]
name = "Bench Support"
timezone = "America/New_York"
domains = ["example.com"]

[google]
folder_id = "0ABenchSharedDrive"

[leadership]
weekday = "wednesday"
members = ["vp@example.com", "director@example.com"]

[dispatch]
writes_per_minute = {rate}
"""
WEEK = Week.of(date(2026, 11, 18))


def run(callers: int, rate: int, instances: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="docket-contention-"))
    (folder / "docket.toml").write_text(CONFIG.format(rate=rate), encoding="utf-8")
    settings = load_settings(str(folder / "docket.toml"), env={"DOCKET_DATA_DIR": str(folder / "data")})
    store = Store(None)
    store.seed_shared_drive(SHARED_DRIVE_NAME, {DEFAULT_IDENTITY: "organizer"}, drive_id="0ABenchSharedDrive")
    app = create_emulator_app(store, default_identity=DEFAULT_IDENTITY)
    services = []
    for _ in range(instances):
        google = Google(lambda: EmulatorHttp(app), backend="embedded", identity=DEFAULT_IDENTITY,
                        pacer=WritePacer(rate) if rate else None)
        services.append(Services.build(settings, google))
    Leadership(services[0]).ensure_week(WEEK)
    services[0].google.stats.counts.clear()
    barrier = threading.Barrier(callers)
    latencies: list[float] = []
    refused: list[str] = []
    lock = threading.Lock()

    def caller(n: int) -> None:
        leadership = Leadership(services[n % instances])
        kind = ("discussion", "fyi", "confidential")[n % 3]
        barrier.wait()
        started = time.monotonic()
        try:
            leadership.add_item(author=("vp@example.com", "director@example.com")[n % 2], text=f"Item {n}", kind=kind,
                                week=WEEK, item_id=f"click-{n}")
        except DocketError as error:
            with lock:
                refused.append(error.code)
        with lock:
            latencies.append(time.monotonic() - started)

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writes = sum(s.google.stats.counts.get("docs.batchUpdate", 0) for s in services)
    reads = sum(s.google.stats.counts.get("docs.get", 0) for s in services)
    return {"adds": callers - len(refused), "refused": len(refused), "max": max(latencies),
            "median": statistics.median(latencies), "writes": writes, "reads": reads}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callers", type=int, default=24)
    parser.add_argument("--writes-per-minute", type=int, default=58)
    parser.add_argument("--instances", type=int, default=1)
    args = parser.parse_args()
    print(f"{args.callers} concurrent agenda items (a third confidential), paced at {args.writes_per_minute} writes/min, "
          f"{args.instances} instance(s)")
    print("| instances | adds | refused | median latency | max latency | batchUpdates | documents.get |")
    print("|---|---|---|---|---|---|---|")
    for instances in sorted({1, args.instances}):
        r = run(args.callers, args.writes_per_minute, instances)
        print(f"| {instances} | {r['adds']:.0f} | {r['refused']:.0f} | {r['median']:.1f} s | {r['max']:.1f} s "
              f"| {r['writes']:.0f} | {r['reads']:.0f} |")


if __name__ == "__main__":
    main()
