"""Property tests of the doc's memory: random weeks of typed items, statuses, struck lines and ratings."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from service.calendar import Week
from service.emulator.bootstrap import DEFAULT_IDENTITY, SHARED_DRIVE_NAME
from service.emulator.store import Store
from service.emulator.wsgi import create_emulator_app
from service.services import Services
from service.meetings.check_in import RATINGS, STATUS, sparkline, trend_line
from service.meetings.one_on_one import OneOnOnes
from tests.conftest import SHARED_DRIVE, google_on
from tests.history.conftest import Person, chip_value, plain

FIRST = date(2026, 11, 18)
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz éü🚀", min_size=1, max_size=12).map(str.strip).filter(bool)
ITEM = st.tuples(WORDS, st.sampled_from(["Not started", "In progress", "Done", "struck", "typed-done"]))
WEEK = st.tuples(st.lists(ITEM, max_size=2, unique_by=lambda i: i[0]),  # the week has two blank items
                 st.one_of(st.none(), st.integers(1, 5)))


def _world(settings):
    """A fresh in-memory emulator and Services for one example (hypothesis reruns the test body)."""
    store = Store(None)
    store.seed_shared_drive(SHARED_DRIVE_NAME, {DEFAULT_IDENTITY: "organizer"}, drive_id=SHARED_DRIVE)
    app = create_emulator_app(store, default_identity=DEFAULT_IDENTITY)
    services = Services.build(settings, google_on(app))
    services.writer.sleep = lambda _s: None
    return services, app


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(weeks=st.lists(WEEK, min_size=1, max_size=4))
def test_every_open_item_is_carried_exactly_once_and_typed_text_never_moves(settings, weeks):
    services, app = _world(settings)
    pair = settings.one_on_ones[0]
    one_on_ones = OneOnOnes(services)
    doc_id = one_on_ones.ensure_week(pair, Week.of(FIRST)).document_id
    sam = Person(google_on(app, "sam@example.com"), doc_id)
    open_items: dict[str, str] = {}  # text -> the week it first appeared
    for n, (items, mood) in enumerate(weeks):
        week = (FIRST + timedelta(weeks=n) - timedelta(days=1)).isoformat()  # Sam meets on Tuesdays
        carried = sorted(plain(e) for e in sam.section(week) if "(from " in plain(e))
        assert carried == sorted(f"{text} (from {since})" for text, since in open_items.items())
        if mood is not None:
            sam.pick(sam.line(week, "Mood, 1 to 5"), str(mood))
        for words, status in items:
            text = f"{words} w{n}"  # unique across weeks: each typed item is its own
            blank = next(e for e in sam.section(week) if chip_value(e) == "Not started" and not plain(e))
            if status in ("Not started", "In progress", "Done"):
                sam.type_at_end(blank, f" {text}")
                if status != "Not started":
                    sam.pick(sam.line(week, f"\ue907 {text}"), status)
                if status != "Done":
                    open_items.setdefault(text, week)
            else:
                line = f"[x] {text}" if status == "typed-done" else text
                sam.new_line_after(blank, line)
                if status == "struck":
                    sam.strike(sam.line(week, line))
        before = sam.doc()["tabs"][0]["documentTab"]["body"]["content"]
        one_on_ones.ensure_week(pair, Week.of(FIRST + timedelta(weeks=n + 1)))
        after = sam.doc()["tabs"][0]["documentTab"]["body"]["content"]
        assert after[: len(before) - 1] == before[:-1]  # everything typed stays, byte for byte, in place


@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=1, max_size=8))
def test_the_trend_line_shows_each_week_and_one_spark_per_week(values):
    mood = RATINGS[0]
    line = trend_line(mood, values)
    assert line.startswith(f"Mood, last {len(values)} week")
    assert len(sparkline(mood, values)) == len(values)
    shown = line.split(": ", 1)[1].split("  ")[0].split(" ")
    assert shown == ["–" if v is None else str(v) for v in values]
    answered = [v for v in values if v is not None]
    if "⚠" in line:
        assert values[-1] is not None and sum(answered[:-1]) / len(answered[:-1]) - values[-1] >= 2


@given(st.text(max_size=30))
def test_a_rating_is_read_only_within_its_scale(typed):
    for rating in RATINGS:
        value = rating.read(f"{rating.label}: {typed}")
        assert value is None or rating.low <= value <= rating.high


def test_status_options_are_docs_presets():
    assert [value for _, value in STATUS.options] == ["Not started", "In progress", "Done"]
