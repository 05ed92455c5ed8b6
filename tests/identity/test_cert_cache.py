"""CachingRequest: the signing certs are fetched once per max-age, not once per request."""

from __future__ import annotations

import threading

import pytest

from service.errors import GoogleApiError
from service.identity import CachingRequest, IdTokenVerifier
from tests.support.oidc import DEFAULT_AUDIENCE, OidcProvider


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _verifier(oidc: OidcProvider, url: str, clock: FakeClock | None = None) -> IdTokenVerifier:
    request = CachingRequest(cacheable_urls=[url], clock=clock or FakeClock())
    return IdTokenVerifier(audiences=[DEFAULT_AUDIENCE], certs_url=url, request=request)


def test_second_verify_does_not_refetch_the_certs(oidc: OidcProvider) -> None:
    verifier = IdTokenVerifier(audiences=[DEFAULT_AUDIENCE], certs_url=oidc.certs_url)
    before = oidc.hits
    verifier.verify(oidc.bearer())
    verifier.verify(oidc.bearer(email="other@proj.iam.gserviceaccount.com"))
    assert oidc.hits - before == 1


def test_max_age_is_honoured(oidc: OidcProvider) -> None:
    clock = FakeClock()
    verifier = _verifier(oidc, oidc.certs_url_with(cache_control="public, max-age=60"), clock)
    before = oidc.hits
    verifier.verify(oidc.bearer())
    clock.now += 59
    verifier.verify(oidc.bearer())
    assert oidc.hits - before == 1
    clock.now += 2
    verifier.verify(oidc.bearer())
    assert oidc.hits - before == 2


def test_default_max_age_without_cache_control(oidc: OidcProvider) -> None:
    clock = FakeClock()
    verifier = _verifier(oidc, oidc.certs_url_with(cache_control=""), clock)
    before = oidc.hits
    verifier.verify(oidc.bearer())
    clock.now += 299
    verifier.verify(oidc.bearer())
    assert oidc.hits - before == 1
    clock.now += 2
    verifier.verify(oidc.bearer())
    assert oidc.hits - before == 2


@pytest.mark.parametrize("cache_control", ["no-store", "no-cache", "max-age=0", "public, max-age=0"])
def test_uncacheable_responses_are_fetched_each_time(oidc: OidcProvider, cache_control: str) -> None:
    verifier = _verifier(oidc, oidc.certs_url_with(cache_control=cache_control))
    before = oidc.hits
    verifier.verify(oidc.bearer())
    verifier.verify(oidc.bearer())
    assert oidc.hits - before == 2


def test_failures_are_not_cached(oidc: OidcProvider) -> None:
    verifier = _verifier(oidc, oidc.certs_url_with(status=503))
    before = oidc.hits
    for _ in range(2):
        with pytest.raises(GoogleApiError):
            verifier.verify(oidc.bearer())
    assert oidc.hits - before == 2


def test_invalidate_forces_a_refetch(oidc: OidcProvider) -> None:
    request = CachingRequest(cacheable_urls=[oidc.certs_url])
    verifier = IdTokenVerifier(audiences=[DEFAULT_AUDIENCE], certs_url=oidc.certs_url, request=request)
    before = oidc.hits
    verifier.verify(oidc.bearer())
    request.invalidate()
    verifier.verify(oidc.bearer())
    assert oidc.hits - before == 2


def test_other_urls_pass_through_uncached(oidc: OidcProvider) -> None:
    request = CachingRequest(cacheable_urls=[oidc.certs_url])
    other = oidc.certs_url_with(cache_control="max-age=300")
    before = oidc.hits
    assert request(other).status == 200
    assert request(other).status == 200
    assert oidc.hits - before == 2


def test_cached_response_is_what_the_server_sent(oidc: OidcProvider) -> None:
    request = CachingRequest(cacheable_urls=[oidc.certs_url])
    first, second = request(oidc.certs_url), request(oidc.certs_url)
    assert first.status == second.status == 200
    assert first.data == second.data and oidc.key.kid.encode() in second.data
    assert second.headers["Cache-Control"].startswith("public, max-age=300")


def test_a_burst_of_concurrent_verifies_fetches_once(oidc: OidcProvider) -> None:
    verifier = IdTokenVerifier(audiences=[DEFAULT_AUDIENCE], certs_url=oidc.certs_url)
    headers = [oidc.bearer() for _ in range(16)]
    barrier = threading.Barrier(len(headers))
    errors: list[BaseException] = []

    def run(header: str) -> None:
        barrier.wait()
        try:
            verifier.verify(header)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    before = oidc.hits
    threads = [threading.Thread(target=run, args=(h,)) for h in headers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert oidc.hits - before == 1
