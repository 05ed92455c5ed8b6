"""Creating a document under rate limits and lost answers: retried, never made twice.

Outside testing found creates were never retried, even after a 429 (which Google did not
execute), so under rate limiting a pair got no doc until the next week.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from service.calendar import Week
from service.emulator.bootstrap import DEFAULT_IDENTITY
from service.emulator.errors import ApiError
from service.emulator.wsgi import create_emulator_app
from service.meetings.one_on_one import OneOnOnes, properties_of
from service.services import Services
from tests.conftest import google_on

WEEK = Week.of(date(2026, 11, 18))


def _is_create(api: str, method: str, path: str) -> bool:
    return api == "drive" and method == "POST" and path.rstrip("/").endswith("/drive/v3/files")


class _Refusals:
    """Refuse the first `count` files.create calls before they run (429), or lose the answer after they ran (503)."""

    def __init__(self, count: int, error: ApiError) -> None:
        self.count, self.error, self.seen = count, error, 0

    def __call__(self, identity: str, api: str, method: str, path: str, *status: Any) -> None:
        if _is_create(api, method, path) and self.seen < self.count:
            self.seen += 1
            raise self.error


def _services(settings, store, **hooks) -> Services:
    services = Services.build(settings, google_on(create_emulator_app(store, default_identity=DEFAULT_IDENTITY, **hooks)))
    services.writer.sleep = lambda _s: None
    return services


def test_a_rate_limited_create_is_sent_again_and_makes_one_doc(settings, store, docs):
    refusals = _Refusals(3, ApiError(429, "Rate limit exceeded.", status="RESOURCE_EXHAUSTED", reason="rateLimitExceeded"))
    services = _services(settings, store, before_request=refusals)
    pair = settings.one_on_ones[0]
    outcome = OneOnOnes(services).ensure_week(pair, WEEK)
    assert outcome.action == "created" and refusals.seen == 3
    assert [d.id for d in services.registry.find(properties_of(pair))] == [outcome.document_id]
    assert services.google.stats.counts["drive.files.create"] == 4


def test_a_create_whose_answer_was_lost_is_found_not_made_again(settings, store, docs):
    lost = _Refusals(1, ApiError(503, "The service is currently unavailable.", status="UNAVAILABLE"))
    services = _services(settings, store, after_request=lost)
    pair = settings.one_on_ones[0]
    outcome = OneOnOnes(services).ensure_week(pair, WEEK)
    (doc,) = services.registry.find(properties_of(pair))
    assert outcome.document_id == doc.id and lost.seen == 1
    assert services.google.stats.counts["drive.files.create"] == 1  # found by its properties instead
    # And it was shared with the pair, as a created doc is.
    writers = {p.email for p in services.registry.permissions(doc.id) if p.role == "writer"}
    assert writers == {pair.manager, pair.report}
