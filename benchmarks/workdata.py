"""Work data benchmark: Zendesk and GitLab requests per pair-week, and the weekly job's extra wall time at 100 pairs.

Run: .venv/bin/python benchmarks/workdata.py [--pairs 100] [--latency-ms 100]   (prints figures; nothing is asserted)

Everything goes through zenpy and python-gitlab against Docket's Zendesk and GitLab emulators,
seeded with the example team's demo activity (about 12 tickets a week per engineer, 10-15
comments of theirs). Three kinds of week: an ordinary one, the first meeting of a month (adds
the previous month) and the first of a quarter (adds the previous month and quarter).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

import logging

logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log lines in the figures

from service.calendar import Week
from service.emulator.demo_team import API_USER_EMAIL, API_USER_ID, TEAM
from service.emulator.gitlab.api import create_gitlab_app
from service.emulator.gitlab.demo import demo_state as gitlab_demo
from service.emulator.rest_faults import RestFaults
from service.emulator.zendesk.api import create_zendesk_app
from service.emulator.zendesk.demo import demo_state as zendesk_demo
from service.services import Services
from service.meetings.weekly import run_weekly
from service.settings import load_settings
from service.workdata import prepare
from service.emulator.zendesk.export import PATH as EXPORT_PATH, ExportLimit
from service.workdata.config import GitLabConfig, Limits, PairSources, WorkDataConfig, ZendeskInstance
from service.workdata.shared_export import PairDemand, SharedZendesk
from service.workdata.window import rollup_windows, week_window

# Tuesdays: ordinary weeks, first meetings of a month, first meetings of a quarter.
ORDINARY = [date(2026, 11, 17), date(2026, 11, 24), date(2026, 5, 19), date(2026, 2, 24)]
FIRST_OF_MONTH = [date(2026, 12, 1), date(2026, 9, 1), date(2026, 6, 2), date(2026, 3, 3)]
FIRST_OF_QUARTER = [date(2026, 10, 6), date(2026, 7, 7), date(2026, 4, 7), date(2027, 1, 5)]
KINDS = (("ordinary week", ORDINARY), ("first of a month", FIRST_OF_MONTH), ("first of a quarter", FIRST_OF_QUARTER))
ENV = {"DOCKET_ZENDESK_TOKEN": "bench", "DOCKET_GITLAB_TOKEN": "bench"}


class Counting:
    """A WSGI wrapper counting requests by API (/api/v2: Zendesk, /api/v4: GitLab)."""

    def __init__(self, app: Any) -> None:
        self.app, self.counts, self._lock = app, Counter(), threading.Lock()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        with self._lock:
            path = environ["PATH_INFO"]
            self.counts["export" if path == EXPORT_PATH else "zendesk" if path.startswith("/api/v2/") else "gitlab"] += 1
        return self.app(environ, start_response)

    def take(self) -> Counter:
        with self._lock:
            counts, self.counts = self.counts, Counter()
        return counts


@contextmanager
def served(app: Any) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def both_apis(anchor: date, latency: float) -> Counting:
    until = datetime.combine(anchor + timedelta(days=7), datetime.min.time(), tzinfo=timezone.utc)
    faults = (lambda: RestFaults(latency=latency)) if latency else (lambda: None)
    # The export's "now" is an hour past the world, and its 10-a-minute limit off: pacing is computed from the counts.
    zendesk = create_zendesk_app(zendesk_demo(anchor, until), faults=faults(), export_limit=ExportLimit(per_minute=None),
                                 clock=lambda: until.timestamp() + 3600)
    gitlab = create_gitlab_app(gitlab_demo(anchor, until), api_user_id=API_USER_ID, faults=faults())

    def route(environ: Any, start_response: Any) -> Any:
        return (zendesk if environ["PATH_INFO"].startswith("/api/v2/") else gitlab)(environ, start_response)

    return Counting(route)


def config(url: str, limits: Limits) -> WorkDataConfig:
    # Unpaced: these runs measure latency; the pace an account's limit imposes is computed from the counts.
    instance = ZendeskInstance("default", url, API_USER_EMAIL, 15, "DOCKET_ZENDESK_TOKEN", requests_per_minute=100_000,
                               export_requests_per_minute=100_000)
    return WorkDataConfig({"default": instance}, GitLabConfig(url, requests_per_minute=100_000), {}, limits)


def sources(cfg: WorkDataConfig, n: int) -> PairSources:
    engineer = TEAM[n % len(TEAM)]
    return PairSources(str(engineer.zendesk_id), cfg.zendesk["default"], engineer.gitlab_username)


def calls_per_pair_week(pairs: int) -> None:
    print("## Requests per pair-week (each engineer of the demo team, 4 meetings of each kind)\n")
    print(f"| week | Zendesk mean | Zendesk max | GitLab mean | GitLab max | tickets searched (mean) "
          f"| Zendesk minutes for {pairs} pairs at 200/min | at 700/min |")
    print("|---|---|---|---|---|---|---|---|")
    for label, meetings in KINDS:
        zendesk, gitlab, tickets = [], [], []
        for meeting in meetings:
            counting = both_apis(meeting, 0.0)
            with served(counting) as url:
                cfg = config(url, Limits())
                for n in range(len(TEAM)):
                    work = prepare(cfg, sources(cfg, n), meeting, "Europe/Berlin",
                                   datetime.combine(meeting, datetime.min.time(), tzinfo=timezone.utc) + timedelta(days=1),
                                   env=ENV)
                    assert not work.unavailable, work.unavailable
                    counts = counting.take()
                    zendesk.append(counts["zendesk"])
                    gitlab.append(counts["gitlab"])
                    tickets.append(counts["zendesk"] - 1)  # one search page (under 100 results), then one list per ticket
        total = statistics.mean(zendesk) * pairs
        print(f"| {label} | {statistics.mean(zendesk):.1f} | {max(zendesk)} | {statistics.mean(gitlab):.1f} | {max(gitlab)} "
              f"| {statistics.mean(tickets):.1f} | {total / 200:.1f} | {total / 700:.1f} |")
    print()


def shared_export_calls(pairs: int) -> None:
    """The weekly run's plan: one shared export per run, then show_many per pair (same worlds as above)."""
    print(f"## Requests per pair-week with the weekly run's shared export ({pairs} pairs a run, the demo team's "
          "activity repeated over them)\n")
    print("| week | Zendesk per pair-week mean (max) | export pages per run | export minutes at 10/min "
          f"| Zendesk minutes for {pairs} pairs at 200/min, export included |")
    print("|---|---|---|---|---|")
    zones = ("Europe/Berlin", "America/New_York", "Asia/Tokyo")
    for label, meetings in KINDS:
        per_pair, pages = [], []
        for meeting in meetings:
            counting = both_apis(meeting, 0.0)
            with served(counting) as url:
                cfg = config(url, Limits())
                team = [(sources(cfg, n), zones[n % len(zones)]) for n in range(pairs)]
                demands = [PairDemand(s, meeting, (week_window(meeting, z), *rollup_windows(meeting, z))) for s, z in team]
                shared = SharedZendesk(cfg, demands, env=ENV)
                now = datetime.combine(meeting, datetime.min.time(), tzinfo=timezone.utc) + timedelta(days=1)
                for s, z in team:
                    work = prepare(cfg, replace(s, gitlab_username=None), meeting, z, now, env=ENV, shared=shared)
                    assert not work.unavailable and shared.notices() == (), work.unavailable
                    counts = counting.take()
                    pages.append(counts["export"]) if counts["export"] else None
                    per_pair.append(counts["zendesk"])
        mean_pages = statistics.mean(pages)
        total = statistics.mean(per_pair) * pairs + mean_pages
        print(f"| {label} | {statistics.mean(per_pair):.2f} ({max(per_pair)}) | {mean_pages:.1f} | {mean_pages / 10:.1f} "
              f"| {total / 200:.1f} |")
    print()


def prepare_wall_time(pairs: int, latency_ms: int) -> None:
    print(f"## prepare() alone, pairs one after the other (inline mode), {latency_ms} ms added to every API request\n")
    print("| week | pairs run | median s/pair | p95 s/pair | total s | × 100 pairs (s) |")
    print("|---|---|---|---|---|---|")
    for label, meetings in KINDS:
        meeting = meetings[0]
        run = pairs if label == "ordinary week" else max(3, pairs // 10)
        counting = both_apis(meeting, latency_ms / 1000)
        with served(counting) as url:
            cfg = config(url, Limits(pair_seconds=300))
            times = []
            began = time.perf_counter()
            for n in range(run):
                start = time.perf_counter()
                work = prepare(cfg, sources(cfg, n), meeting, "Europe/Berlin",
                               datetime.combine(meeting, datetime.min.time(), tzinfo=timezone.utc) + timedelta(days=1), env=ENV)
                times.append(time.perf_counter() - start)
                assert not work.unavailable, work.unavailable
            total = time.perf_counter() - began
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        print(f"| {label} | {run} | {statistics.median(times):.2f} | {p95:.2f} | {total:.1f} | {total / run * 100:.0f} |")
    print()


ROSTER_HEAD = """
[organization]
name = "Bench Support"
timezone = "Europe/Berlin"

[google]
folder_id = "0ABenchWorkData"
"""
SOURCES = """
[zendesk]
url = "https://example.zendesk.com"
email = "docket-api@example.com"
weekly_ticket_baseline = 15

[gitlab]
url = "https://gitlab.example.com"
"""


def roster(pairs: int, with_sources: bool) -> str:
    lines = [ROSTER_HEAD, SOURCES if with_sources else ""]
    for n in range(pairs):
        engineer = TEAM[n % len(TEAM)]
        lines.append(f'''
[[one_on_one]]
manager = "manager{n // 8}@example.com"
manager_name = "Manager {n // 8}"
report = "engineer{n}@example.com"
report_name = "Engineer {n}"
zendesk_user_id = "{engineer.zendesk_id}"
weekday = "tuesday"
''' + (f'gitlab_username = "{engineer.gitlab_username}"\n' if with_sources else ""))
    return "\n".join(lines)


def weekly_job_wall_time(pairs: int) -> None:
    print(f"## The weekly job (run_weekly) over {pairs} new 1:1 docs, embedded default (no API latency)\n")
    print("| week | without work data s | with work data s | extra s | extra per pair ms |")
    print("|---|---|---|---|---|")
    for label, meetings in KINDS:
        meeting = meetings[0]
        seconds = {}
        for with_sources in (False, True):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "docket.toml"
                path.write_text(roster(pairs, with_sources), encoding="utf-8")
                settings = load_settings(str(path), env={"DOCKET_DATA_DIR": str(Path(tmp) / "data")})
                engine = Services.build(settings)
                began = time.perf_counter()
                report = run_weekly(engine, Week.of(meeting))
                seconds[with_sources] = time.perf_counter() - began
                assert report.ok and not [w for w in report.warnings if "unavailable" in w], report.warnings
        extra = seconds[True] - seconds[False]
        print(f"| {label} | {seconds[False]:.1f} | {seconds[True]:.1f} | {extra:.1f} | {extra / pairs * 1000:.0f} |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=100, help="added to every Zendesk/GitLab request")
    parser.add_argument("--skip-weekly", action="store_true", help="skip the run_weekly comparison (the slowest part)")
    parser.add_argument("--calls-only", action="store_true", help="only the request counts (a minute)")
    args = parser.parse_args()
    print(f"# Work data benchmark — {datetime.now().date()}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs\n")
    calls_per_pair_week(args.pairs)
    shared_export_calls(args.pairs)
    if args.calls_only:
        return
    prepare_wall_time(args.pairs, args.latency_ms)
    if not args.skip_weekly:
        weekly_job_wall_time(args.pairs)


if __name__ == "__main__":
    sys.exit(main())
