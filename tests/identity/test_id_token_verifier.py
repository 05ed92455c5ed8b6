"""IdTokenVerifier against real RS256 tokens, verified by google-auth through a local cert server."""

from __future__ import annotations

import base64
import importlib.util
import json
import time

import pytest

from service.errors import ConfigError, GoogleApiError, Unauthenticated
from service.identity import Caller, IdTokenVerifier
from tests.support.oidc import DEFAULT_AUDIENCE, SCHEDULER_EMAIL, OidcProvider

ADDON_CLIENT_ID = "1234-abc.apps.googleusercontent.com"


@pytest.fixture
def verifier(oidc: OidcProvider) -> IdTokenVerifier:
    return IdTokenVerifier(audiences=[DEFAULT_AUDIENCE], certs_url=oidc.certs_url)


def _b64(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def _rejected(verifier: IdTokenVerifier, header: str | None) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as info:
        verifier.verify(header)
    exc = info.value
    assert exc.status == 401
    # The message never echoes the token or any of its segments.
    if header:
        for piece in header.replace("Bearer ", "").split("."):
            if len(piece) > 8:
                assert piece not in exc.message
    # google-auth exceptions (whose text may quote the token) are not chained.
    assert exc.__cause__ is None and (exc.__context__ is None or exc.__suppress_context__)
    return exc


def test_valid_token_gives_the_caller(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    caller = verifier.verify(oidc.bearer(email="Scheduler@Proj.iam.gserviceaccount.com", subject="1077"))
    assert caller == Caller(
        email="scheduler@proj.iam.gserviceaccount.com",
        subject="1077",
        audience=DEFAULT_AUDIENCE,
        issuer="https://accounts.google.com",
        hosted_domain=None,
    )


def test_issuer_without_scheme_is_also_google(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    assert verifier.verify(oidc.bearer(issuer="accounts.google.com")).issuer == "accounts.google.com"


def test_hosted_domain_is_carried(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    caller = verifier.verify(oidc.bearer(email="sam@example.com", hosted_domain="Example.com"))
    assert caller.hosted_domain == "example.com"


def test_bearer_scheme_is_case_insensitive(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    assert verifier.verify("bearer " + oidc.mint()).email == SCHEDULER_EMAIL


def test_expired_token(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    header = oidc.bearer(issued_at=time.time() - 7200, expires_in=3600)
    assert _rejected(verifier, header).message == "ID token has expired"


def test_expiry_within_clock_skew_is_accepted(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    assert verifier.verify(oidc.bearer(issued_at=time.time() - 3605, expires_in=3600))


def test_token_issued_in_the_future(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    header = oidc.bearer(issued_at=time.time() + 3600)
    assert _rejected(verifier, header).message == "ID token is not valid yet (issued in the future)"


def test_token_issued_slightly_ahead_is_within_skew(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    assert verifier.verify(oidc.bearer(issued_at=time.time() + 5))


def test_not_before_in_the_future_is_refused(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    # google-auth checks iat and exp but not nbf: a token valid only from tomorrow must not work today.
    header = oidc.bearer(extra_claims={"nbf": int(time.time()) + 86_400})
    assert _rejected(verifier, header).message == "ID token is not valid yet (nbf is in the future)"


def test_not_before_within_clock_skew_or_past_is_accepted(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    assert verifier.verify(oidc.bearer(extra_claims={"nbf": int(time.time()) + 5}))
    assert verifier.verify(oidc.bearer(extra_claims={"nbf": int(time.time()) - 60}))


@pytest.mark.parametrize("nbf", ["soon", True, None])
def test_malformed_not_before_is_refused(oidc: OidcProvider, verifier: IdTokenVerifier, nbf: object) -> None:
    # None means JSON null, present but not a time (mint() drops None claims, so that token is signed here).
    header = "Bearer " + _with_null_nbf(oidc) if nbf is None else oidc.bearer(extra_claims={"nbf": nbf})
    assert _rejected(verifier, header).message == "ID token has a malformed nbf claim"


def _with_null_nbf(oidc: OidcProvider) -> str:
    from google.auth import jwt

    now = int(time.time())
    claims = {"iss": "https://accounts.google.com", "aud": DEFAULT_AUDIENCE, "sub": "1", "email": SCHEDULER_EMAIL,
              "email_verified": True, "iat": now, "exp": now + 3600, "nbf": None}
    return jwt.encode(oidc.key.signer(), claims).decode("ascii")


@pytest.mark.parametrize("lifetime", [3600 * 24 * 365 * 10, 7200, 3600 + 11])
def test_a_token_living_longer_than_googles_hour_is_refused(oidc: OidcProvider, verifier: IdTokenVerifier,
                                                            lifetime: int) -> None:
    header = oidc.bearer(expires_in=lifetime)
    assert _rejected(verifier, header).message.startswith("ID token lives longer than Google's (60 minutes)")


@pytest.mark.parametrize("lifetime", [3600, 3600 + 10, 300])
def test_googles_hour_and_shorter_lifetimes_are_accepted(oidc: OidcProvider, verifier: IdTokenVerifier,
                                                         lifetime: int) -> None:
    assert verifier.verify(oidc.bearer(expires_in=lifetime)).email == SCHEDULER_EMAIL


def test_wrong_audience(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    exc = _rejected(verifier, oidc.bearer(audience="https://someone-else.run.app"))
    assert exc.message == "ID token was issued for another audience"
    assert DEFAULT_AUDIENCE not in exc.message  # do not tell callers what we accept


def test_any_of_several_audiences_is_accepted(oidc: OidcProvider) -> None:
    verifier = IdTokenVerifier(audiences=[DEFAULT_AUDIENCE, ADDON_CLIENT_ID], certs_url=oidc.certs_url)
    assert verifier.verify(oidc.bearer(audience=ADDON_CLIENT_ID)).audience == ADDON_CLIENT_ID
    assert verifier.verify(oidc.bearer(audience=DEFAULT_AUDIENCE)).audience == DEFAULT_AUDIENCE
    _rejected(verifier, oidc.bearer(audience="other.apps.googleusercontent.com"))


def test_audience_list_claim_is_rejected(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    _rejected(verifier, oidc.bearer(audience=[DEFAULT_AUDIENCE, "https://other"]))


@pytest.mark.parametrize("issuer", ["https://evil.example.com", "https://securetoken.google.com/p", None])
def test_wrong_or_missing_issuer(oidc: OidcProvider, verifier: IdTokenVerifier, issuer: str | None) -> None:
    assert _rejected(verifier, oidc.bearer(issuer=issuer)).message == "ID token was not issued by Google"


def test_signed_by_attacker_under_trusted_kid(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    assert _rejected(verifier, oidc.bearer(key=oidc.attacker_key)).message == "ID token could not be verified"


def test_signed_by_attacker_under_its_own_kid(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    _rejected(verifier, oidc.bearer(key=oidc.attacker_key, kid=oidc.attacker_key.kid))


def test_tampered_payload(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    header, _, signature = oidc.mint(email="intern@example.com").split(".")
    forged_claims = {
        "iss": "https://accounts.google.com", "aud": DEFAULT_AUDIENCE, "sub": "1",
        "email": SCHEDULER_EMAIL, "email_verified": True,
        "iat": int(time.time()), "exp": int(time.time()) + 3600,
    }
    _rejected(verifier, f"Bearer {header}.{_b64(forged_claims)}.{signature}")


@pytest.mark.parametrize("alg", ["none", "HS256", "RS512", None])
def test_unsupported_algorithms(oidc: OidcProvider, verifier: IdTokenVerifier, alg: str | None) -> None:
    genuine = oidc.mint()
    _, payload, signature = genuine.split(".")
    header = {"typ": "JWT", "kid": oidc.key.kid} | ({"alg": alg} if alg else {})
    _rejected(verifier, f"Bearer {_b64(header)}.{payload}.")
    _rejected(verifier, f"Bearer {_b64(header)}.{payload}.{signature}")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "missing Authorization header"),
        ("", "missing Authorization header"),
        ("   ", "missing Authorization header"),
        ("Bearer", "Authorization header must be 'Bearer <Google ID token>'"),
        ("Bearer ", "Authorization header must be 'Bearer <Google ID token>'"),
        ("Basic dXNlcjpwYXNz", "Authorization header must be 'Bearer <Google ID token>'"),
        ("Token abc.def.ghi", "Authorization header must be 'Bearer <Google ID token>'"),
        ("Bearer a.b c.d", "Authorization header must be 'Bearer <Google ID token>'"),
        ("Bearer garbage", "malformed ID token"),
        ("Bearer a.b.c", "malformed ID token"),
        ("Bearer ..", "malformed ID token"),
        ("Bearer " + _b64([1]) + "." + _b64({}) + ".sig", "malformed ID token"),
        ("Bearer " + _b64({"alg": "RS256"}) + "." + _b64("str") + ".sig", "malformed ID token"),
        ("Bearer " + "é.ü.ö", "malformed ID token"),
        ("Bearer " + "x" * 20_000 + ".a.b", "malformed ID token"),
    ],
)
def test_missing_or_malformed_header(
    oidc: OidcProvider, verifier: IdTokenVerifier, header: str | None, message: str
) -> None:
    hits = oidc.hits
    assert _rejected(verifier, header).message == message
    assert oidc.hits == hits  # garbage never costs a cert fetch


def test_token_without_bearer_prefix(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    _rejected(verifier, oidc.mint())


def test_missing_exp_or_iat(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    now = int(time.time())
    for claims in ({"iat": now, "exp": None}, {"iat": None, "exp": now + 60}):
        token = oidc.mint(extra_claims=claims)
        _rejected(verifier, "Bearer " + token)


@pytest.mark.parametrize("verified", [False, "false", None, 1])
def test_unverified_email_is_401(oidc: OidcProvider, verifier: IdTokenVerifier, verified: object) -> None:
    header = oidc.bearer(email_verified=verified)
    assert _rejected(verifier, header).message == "ID token email is not verified"


def test_legacy_string_true_email_verified_is_accepted(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    assert verifier.verify(oidc.bearer(email_verified="true"))


def test_missing_email_names_the_scope(oidc: OidcProvider, verifier: IdTokenVerifier) -> None:
    exc = _rejected(verifier, oidc.bearer(email=None, subject="42"))
    assert "userinfo.email" in exc.message


@pytest.mark.parametrize("audiences", [[], [""], ["  "], [DEFAULT_AUDIENCE, ""], [None]])
def test_empty_audiences_are_a_configuration_error(audiences: list[object]) -> None:
    with pytest.raises(ConfigError):
        IdTokenVerifier(audiences=audiences)  # type: ignore[arg-type]


def test_a_bare_string_audience_is_refused() -> None:
    with pytest.raises(TypeError):
        IdTokenVerifier(audiences=DEFAULT_AUDIENCE)


def test_unreasonable_clock_skew_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError):
        IdTokenVerifier(audiences=[DEFAULT_AUDIENCE], clock_skew_seconds=3600)


def test_default_certs_url_is_googles() -> None:
    verifier = IdTokenVerifier(audiences=[DEFAULT_AUDIENCE])
    assert verifier.certs_url == "https://www.googleapis.com/oauth2/v1/certs"


def test_cert_server_error_is_a_google_api_error(oidc: OidcProvider) -> None:
    verifier = IdTokenVerifier(audiences=[DEFAULT_AUDIENCE], certs_url=oidc.certs_url_with(status=500))
    with pytest.raises(GoogleApiError) as info:
        verifier.verify(oidc.bearer())
    assert info.value.status == 502


def test_unreachable_cert_server_is_a_google_api_error(oidc: OidcProvider) -> None:
    verifier = IdTokenVerifier(audiences=[DEFAULT_AUDIENCE], certs_url="http://127.0.0.1:9/oauth2/v1/certs")
    with pytest.raises(GoogleApiError):
        verifier.verify(oidc.bearer())


@pytest.mark.skipif(importlib.util.find_spec("jwt") is not None, reason="google-auth reads JWK sets with pyjwt")
def test_jwk_format_certs_url_is_a_configuration_error(oidc: OidcProvider) -> None:
    verifier = IdTokenVerifier(audiences=[DEFAULT_AUDIENCE], certs_url=oidc.certs_url_with(body="jwks"))
    with pytest.raises(ConfigError):
        verifier.verify(oidc.bearer())


def test_garbage_certs_are_a_google_api_error(oidc: OidcProvider) -> None:
    verifier = IdTokenVerifier(audiences=[DEFAULT_AUDIENCE], certs_url=oidc.certs_url_with(body="garbage"))
    with pytest.raises(GoogleApiError):
        verifier.verify(oidc.bearer())
