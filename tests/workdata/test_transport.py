"""The transport seam's rules: Retry-After in both its forms, the shared pacer under an account's rate limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import requests

from service.workdata import prepare
from service.workdata.transport import RatePacer, retry_after

from .conftest import ENV, MEETING, NOW, TZ, config_for, gitlab_app, served, zendesk_app


def answer(header: str | None) -> requests.Response:
    response = requests.Response()
    if header is not None:
        response.headers["Retry-After"] = header
    return response


def test_retry_after_as_seconds_or_as_an_http_date():
    assert retry_after(answer("7")) == 7.0
    assert retry_after(answer(None)) is None and retry_after(answer("soon")) is None
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    assert 80 <= retry_after(answer(later)) <= 90
    earlier = format_datetime(datetime.now(timezone.utc) - timedelta(seconds=90), usegmt=True)
    assert retry_after(answer(earlier)) == 0.0


def test_the_pacer_allows_a_burst_then_spaces_requests():
    pacer = RatePacer(60)  # one a second
    waits = [pacer.reserve(0.0) for _ in range(RatePacer.BURST + 3)]
    assert waits[:RatePacer.BURST] == [0.0] * RatePacer.BURST
    assert waits[RatePacer.BURST:] == [1.0, 2.0, 3.0]
    assert pacer.reserve(1000.0) == 0.0  # an idle minute refills the burst


def test_pairs_in_one_process_share_the_accounts_pace(limits, sleeps):
    with served(zendesk_app()) as zendesk_url:
        config, pair = config_for(zendesk_url, None, replace(limits, pair_seconds=600))
        slow = replace(config, zendesk={"default": replace(config.zendesk["default"], requests_per_minute=6)})
        pair = replace(pair, zendesk=slow.zendesk["default"])
        works = [prepare(slow, pair, MEETING, TZ, NOW, env=ENV) for _ in range(4)]  # 7 requests each: 28 > the burst
    assert all(w.unavailable == () and w.zendesk[0].replies.total == 9 for w in works)
    assert sleeps.slept and all(s == 10.0 for s in sleeps.slept[:1])  # 6 a minute: 10 s apart once the burst is spent


def test_gitlab_is_paced_too(limits, sleeps):
    with served(gitlab_app()) as gitlab_url:
        config, pair = config_for(None, gitlab_url, replace(limits, pair_seconds=600))
        slow = replace(config, gitlab=replace(config.gitlab, requests_per_minute=60))
        works = [prepare(slow, pair, MEETING, TZ, NOW, env=ENV) for _ in range(12)]  # 2 requests each: 24
    assert all(w.unavailable == () for w in works)
    assert sum(sleeps.slept) >= 3.0
