"""Verifies Google-signed OIDC ID tokens (Cloud Scheduler, Cloud Tasks, the Docs add-on) into a Caller."""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import google.auth.exceptions
import google.auth.transport
import google.auth.transport.requests
from google.oauth2 import id_token

from service.errors import ConfigError, Forbidden, GoogleApiError, Unauthenticated

# google-auth's default (the v1 `{kid: PEM certificate}` format); kept here so
# the override and the default go through the same code path and issuer check.
GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
# What verify_oauth2_token accepts; we repeat the check ourselves because we
# call verify_token (to honour a certs_url override), which does not check `iss`.
GOOGLE_ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})

# Google's ID tokens live exactly one hour (exp = iat + 3600: Cloud Scheduler's and Cloud Tasks' OIDC
# tokens, Apps Script's ScriptApp.getIdentityToken()). A longer-lived token was not minted by Google's
# token service for these callers, and would stay replayable for longer if it leaked.
GOOGLE_TOKEN_LIFETIME_SECONDS = 3600

# Real Google ID tokens are ~1 KB; anything far larger is not one, and refusing
# it early keeps base64/JSON work bounded for unauthenticated callers.
_MAX_TOKEN_CHARS = 16_384


@dataclass(frozen=True, slots=True)
class Caller:
    """A verified identity: the token's signature, lifetime, issuer and audience all checked."""

    email: str  # lower-cased; Google treats account emails case-insensitively
    subject: str
    audience: str
    issuer: str
    # The `hd` claim: the Google Workspace / Cloud organisation domain, present
    # only for managed accounts. None for consumer and service accounts.
    hosted_domain: str | None = None


class _CachedResponse(google.auth.transport.Response):
    """An immutable snapshot of a response, safe to hand to many threads."""

    def __init__(self, status: int, headers: Mapping[str, str], data: bytes) -> None:
        self._status = status
        self._headers = dict(headers)
        self._data = data

    @property
    def status(self) -> int:
        return self._status

    @property
    def headers(self) -> Mapping[str, str]:
        return dict(self._headers)

    @property
    def data(self) -> bytes:
        return self._data


@dataclass(frozen=True, slots=True)
class _Entry:
    response: _CachedResponse
    fresh_until: float


def _freshness_seconds(headers: Mapping[str, str], default: float) -> float:
    """Seconds a response stays fresh per Cache-Control max-age minus Age; 0 means do not cache."""
    lowered = {k.lower(): v for k, v in headers.items()}
    max_age = default
    for directive in lowered.get("cache-control", "").split(","):
        name, _, value = directive.strip().lower().partition("=")
        if name in ("no-store", "no-cache"):
            # We never revalidate, so "must revalidate" means "do not keep".
            return 0.0
        if name == "max-age":
            try:
                max_age = max(0, int(value.strip().strip('"')))
            except ValueError:
                max_age = default
    try:
        age = max(0, int(lowered.get("age", "0")))
    except ValueError:
        age = 0
    return max(0.0, float(max_age) - age)


class CachingRequest(google.auth.transport.Request):
    """A google-auth transport that caches GETs of the given URLs (the signing certs).

    google-auth fetches the certs on every verify_token call; Google serves them
    with `Cache-Control: max-age=<hours>`, so a busy service need not refetch per
    request. Other URLs and methods pass straight through. Thread-safe; at most
    one fetch per URL is in flight, so a burst after expiry costs one request.
    """

    def __init__(
        self,
        inner: google.auth.transport.Request | None = None,
        *,
        cacheable_urls: Collection[str],
        default_max_age: float = 300.0,
        max_max_age: float = 86_400.0,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # google-auth's requests transport defaults to a 120 s timeout; a cert
        # fetch that slow should fail the request instead of holding a worker.
        self._inner = inner if inner is not None else google.auth.transport.requests.Request()
        self._cacheable = frozenset(cacheable_urls)
        self._default_max_age = default_max_age
        self._max_max_age = max_max_age
        self._timeout = timeout
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._entries_lock = threading.Lock()
        self._fetch_locks: dict[str, threading.Lock] = {url: threading.Lock() for url in self._cacheable}

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> google.auth.transport.Response:
        timeout = self._timeout if timeout is None else timeout
        if method.upper() != "GET" or body is not None or url not in self._cacheable:
            passed: google.auth.transport.Response = self._inner(
                url, method=method, body=body, headers=headers, timeout=timeout, **kwargs
            )
            return passed
        cached = self._fresh(url)
        if cached is not None:
            return cached
        with self._fetch_locks[url]:
            cached = self._fresh(url)  # another thread may have fetched while we waited
            if cached is not None:
                return cached
            raw = self._inner(url, method="GET", headers=headers, timeout=timeout, **kwargs)
            response = _CachedResponse(raw.status, raw.headers, raw.data)
            if response.status == 200:
                ttl = min(_freshness_seconds(response.headers, self._default_max_age), self._max_max_age)
                if ttl > 0:
                    with self._entries_lock:
                        self._entries[url] = _Entry(response, self._clock() + ttl)
            return response

    def invalidate(self) -> None:
        """Forget every cached response (e.g. after a known key rotation)."""
        with self._entries_lock:
            self._entries.clear()

    def _fresh(self, url: str) -> _CachedResponse | None:
        with self._entries_lock:
            entry = self._entries.get(url)
            if entry is not None and self._clock() < entry.fresh_until:
                return entry.response
            return None


def _json_segment(segment: str) -> object:
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def _claims_unverified(token: str) -> Mapping[str, Any]:
    """The payload of a JWT-shaped token, unverified; raises Unauthenticated when it is not one.

    Run before google-auth so that garbage never costs a cert fetch, and so that
    google-auth's messages (which quote the token) are never reached for it.
    """
    parts = token.split(".")
    if len(token) > _MAX_TOKEN_CHARS or len(parts) != 3 or not all(parts[:2]):
        raise Unauthenticated("malformed ID token")
    try:
        header, payload = _json_segment(parts[0]), _json_segment(parts[1])
    except (ValueError, binascii.Error, UnicodeError):
        raise Unauthenticated("malformed ID token") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise Unauthenticated("malformed ID token")
    return payload


def _rejection_reason(claims: Mapping[str, Any], audiences: Collection[str], skew: int) -> str:
    """A short, token-free reason for a failed verification.

    The claims are unverified here: the reason is a hint for whoever configures
    the caller, and every branch is a 401 anyway. google-auth's own messages are
    not used because some quote the token or list our accepted audiences.
    """
    now = time.time()
    exp, iat = claims.get("exp"), claims.get("iat")
    if isinstance(exp, int | float) and exp + skew < now:
        return "ID token has expired"
    if isinstance(iat, int | float) and iat - skew > now:
        return "ID token is not valid yet (issued in the future)"
    if claims.get("aud") not in audiences:
        return "ID token was issued for another audience"
    return "ID token could not be verified"


def _bearer_token(authorization_header: str | None) -> str:
    if not authorization_header or not authorization_header.strip():
        raise Unauthenticated("missing Authorization header")
    scheme, _, token = authorization_header.strip().partition(" ")
    token = token.strip()
    # The auth scheme is case-insensitive (RFC 9110 §11.1).
    if scheme.lower() != "bearer" or not token or " " in token:
        raise Unauthenticated("Authorization header must be 'Bearer <Google ID token>'")
    return token


class IdTokenVerifier:
    """Checks `Authorization: Bearer <ID token>` with google-auth against a fixed set of audiences.

    Authentication only: which verified identities may do what is the caller's
    decision (see require_email_in, require_domain_in).
    """

    def __init__(
        self,
        *,
        audiences: Sequence[str],
        certs_url: str | None = None,
        request: google.auth.transport.Request | None = None,
        clock_skew_seconds: int = 10,
    ) -> None:
        if isinstance(audiences, str):
            # A bare string is a Sequence[str] of characters; accepting it would
            # turn "https://x" into eight one-letter audiences.
            raise TypeError("audiences must be a sequence of strings, not a string")
        accepted = tuple(a.strip() for a in audiences if isinstance(a, str) and a.strip())
        if not accepted or len(accepted) != len(audiences):
            # google-auth treats audience=None as "do not check"; an empty list
            # must never degrade into that.
            raise ConfigError("no valid OIDC audience configured (auth.audience, auth.addon_client_ids)")
        if not 0 <= clock_skew_seconds <= 300:
            raise ConfigError("clock skew must be between 0 and 300 seconds")
        self.audiences: tuple[str, ...] = accepted
        self.certs_url = certs_url or GOOGLE_CERTS_URL
        self._request = request if request is not None else CachingRequest(cacheable_urls=[self.certs_url])
        self._skew = clock_skew_seconds

    def verify(self, authorization_header: str | None) -> Caller:
        """Return the verified Caller of a request's Authorization header.

        Raises:
            Unauthenticated: no/malformed header or token, bad signature, expired
                or future token, wrong issuer or audience, no verified email.
            GoogleApiError: the signing certificates could not be fetched.
        """
        token = _bearer_token(authorization_header)
        unverified = _claims_unverified(token)
        try:
            claims = id_token.verify_token(
                token,
                self._request,
                audience=list(self.audiences),
                certs_url=self.certs_url,
                clock_skew_in_seconds=self._skew,
            )
        except ImportError:
            # google-auth needs pyjwt only for JWK-format certs (e.g. Google's v3 URL).
            raise ConfigError("auth.certs_url must serve the v1 {kid: PEM certificate} format") from None
        except google.auth.exceptions.TransportError:
            raise GoogleApiError("could not fetch Google's ID-token signing certificates") from None
        except json.JSONDecodeError:
            # Only the certs response reaches json.loads unwrapped: google-auth
            # wraps token-segment errors in MalformedError, and we pre-parse them.
            raise GoogleApiError("Google's ID-token signing certificates are not valid JSON") from None
        except (google.auth.exceptions.GoogleAuthError, ValueError, TypeError, KeyError):
            # `from None`: the google-auth exception text may quote the token.
            raise Unauthenticated(_rejection_reason(unverified, self.audiences, self._skew)) from None
        _check_validity(claims, time.time(), self._skew)
        return _caller_from(claims)


def _check_validity(claims: Mapping[str, Any], now: float, skew: int) -> None:
    """What google-auth leaves unchecked: `nbf` (RFC 7519 §4.1.5) and a lifetime no longer than Google's.

    google-auth checks `iat` and `exp` against the clock, but not `nbf`, and accepts any `exp`
    however far from `iat`. Both get the same clock skew as google-auth's own checks.
    """
    if "nbf" in claims:
        not_before = claims["nbf"]
        if not isinstance(not_before, int | float) or isinstance(not_before, bool):
            raise Unauthenticated("ID token has a malformed nbf claim")
        if not_before - skew > now:
            raise Unauthenticated("ID token is not valid yet (nbf is in the future)")
    issued, expires = claims["iat"], claims["exp"]  # both present and numeric: google-auth checked them
    if expires - issued > GOOGLE_TOKEN_LIFETIME_SECONDS + skew:
        raise Unauthenticated(f"ID token lives longer than Google's ({GOOGLE_TOKEN_LIFETIME_SECONDS // 60} minutes); "
                              "it was not issued by Google's token service")


def _caller_from(claims: Mapping[str, Any]) -> Caller:
    if claims.get("iss") not in GOOGLE_ISSUERS:
        raise Unauthenticated("ID token was not issued by Google")
    email, subject = claims.get("email"), claims.get("sub")
    if not isinstance(email, str) or "@" not in email:
        # Apps Script identity tokens carry `email` only with the userinfo.email scope.
        raise Unauthenticated("ID token carries no email (is the userinfo.email scope granted?)")
    # Old Google tokens sent the string "true"; anything else is not verified.
    # Unverified email is a 401, not a 403: the identity itself is unproven.
    verified = claims.get("email_verified")
    if not (verified is True or verified == "true"):  # `is`: 1 == True in Python
        raise Unauthenticated("ID token email is not verified")
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("ID token carries no subject")
    hosted_domain = claims.get("hd")
    return Caller(
        email=email.lower(),
        subject=subject,
        audience=str(claims["aud"]),
        issuer=str(claims["iss"]),
        hosted_domain=hosted_domain.lower() if isinstance(hosted_domain, str) and hosted_domain else None,
    )


def require_email_in(caller: Caller, allowed: Collection[str]) -> None:
    """Raise Forbidden unless the caller's email is one of `allowed` (case-insensitive)."""
    if isinstance(allowed, str):
        raise TypeError("allowed must be a collection of emails, not a string")
    if caller.email not in {a.strip().lower() for a in allowed}:
        raise Forbidden(f"{caller.email} is not allowed to call this endpoint")


def require_domain_in(caller: Caller, domains: Collection[str], *, require_hosted_domain: bool = True) -> None:
    """Raise Forbidden unless the caller belongs to one of `domains`.

    The email's domain alone is not proof of membership: a consumer Google
    account can be registered on a work address (and outlive the employment).
    Google's advice is to check the `hd` claim, present only for accounts the
    domain's Workspace organisation manages, so by default both must match.
    """
    if isinstance(domains, str):
        raise TypeError("domains must be a collection of domains, not a string")
    accepted = {d.strip().lower().lstrip("@") for d in domains}
    email_domain = caller.email.rpartition("@")[2]
    if email_domain not in accepted:
        raise Forbidden(f"{caller.email} is not in an allowed domain")
    if require_hosted_domain and caller.hosted_domain not in accepted:
        raise Forbidden(f"{caller.email} is not managed by an allowed Google Workspace domain")
