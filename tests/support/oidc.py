"""A local stand-in for Google's OIDC signer: a test RSA key, its certs served over HTTP, and token minting.

Tokens are real RS256 JWTs and the certs are served in Google's v1 format
(`{kid: PEM certificate}`) from a real HTTP server on 127.0.0.1, so code under
test verifies them with google-auth exactly as in production, only with
`certs_url` (DOCKET_AUTH_CERTS_URL) pointed here.

Use the `oidc` fixture (session-scoped), e.g.::

    def test_x(oidc):
        verifier = IdTokenVerifier(audiences=[AUDIENCE], certs_url=oidc.certs_url)
        caller = verifier.verify(oidc.bearer(email="scheduler@proj.iam.gserviceaccount.com"))

The certs URL accepts query parameters for cache and failure tests (each
distinct URL is a distinct cache entry): `cache_control=<header value>`,
`status=<code>`, `body=garbage` (not JSON) or `body=jwks` (an empty JWK set).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt, jwt

GOOGLE_ISSUER = "https://accounts.google.com"
# Defaults that match the bundled example's [auth] section shape.
DEFAULT_AUDIENCE = "https://docket.example.run.app"
SCHEDULER_EMAIL = "scheduler@proj.iam.gserviceaccount.com"
CERTS_PATH = "/oauth2/v1/certs"
DEFAULT_MAX_AGE = 300


@dataclass(frozen=True)
class SigningKey:
    """An RSA key pair with its key id and a self-signed certificate, as Google publishes them."""

    kid: str
    private_pem: bytes
    cert_pem: bytes

    @classmethod
    def generate(cls, common_name: str) -> SigningKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .sign(key, hashes.SHA256())
        )
        return cls(
            kid=uuid.uuid4().hex,
            private_pem=key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        )

    def signer(self, kid: str | None = None) -> crypt.RSASigner:
        signer: crypt.RSASigner = crypt.RSASigner.from_string(  # type: ignore[no-untyped-call]
            self.private_pem, key_id=kid or self.kid
        )
        return signer


def _numeric_subject(email: str) -> str:
    """A stable 21-digit `sub`, shaped like Google's, derived from the email."""
    return str(int(hashlib.sha256(email.encode()).hexdigest(), 16) % 10**21).zfill(21)


class _CertsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, certs: Mapping[str, str]) -> None:
        super().__init__(("127.0.0.1", 0), _CertsHandler)
        self.certs_body = json.dumps(dict(certs)).encode()
        self.hits = 0
        self.hits_lock = threading.Lock()


class _CertsHandler(BaseHTTPRequestHandler):
    server: _CertsServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlsplit(self.path)
        if url.path != CERTS_PATH:
            self._send(404, b'{"error": "not found"}', {})
            return
        with self.server.hits_lock:
            self.server.hits += 1
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        status = int(query.get("status", "200"))
        bodies = {"garbage": b"<html>not json", "jwks": b'{"keys": []}'}
        body = bodies.get(query.get("body", ""), self.server.certs_body)
        cache_control = query.get("cache_control", f"public, max-age={DEFAULT_MAX_AGE}, must-revalidate, no-transform")
        self._send(status, body, {"Cache-Control": cache_control})

    def _send(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep pytest output clean


class OidcProvider:
    """The trusted key (published at certs_url), an attacker key (never published), and a minting helper."""

    def __init__(self) -> None:
        self.key = SigningKey.generate("docket-test-oidc")
        self.attacker_key = SigningKey.generate("docket-test-attacker")
        self._server = _CertsServer({self.key.kid: self.key.cert_pem.decode()})
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc-certs", daemon=True)

    def start(self) -> OidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def certs_url(self) -> str:
        """Where the trusted key's certificate is served (max-age 300)."""
        return self.base_url + CERTS_PATH

    def certs_url_with(self, **query: str | int) -> str:
        """The certs URL with test knobs: cache_control=..., status=..., body="garbage" | "jwks"."""
        return f"{self.certs_url}?{urlencode(query)}"

    @property
    def hits(self) -> int:
        """GETs of the certs path so far (all query variants); compare deltas, the fixture is shared."""
        with self._server.hits_lock:
            return self._server.hits

    def mint(
        self,
        *,
        email: str | None = SCHEDULER_EMAIL,
        audience: str | list[str] = DEFAULT_AUDIENCE,
        issuer: str | None = GOOGLE_ISSUER,
        email_verified: bool | str | None = True,
        expires_in: int = 3600,
        issued_at: float | None = None,
        subject: str | None = None,
        hosted_domain: str | None = None,
        extra_claims: Mapping[str, Any] | None = None,
        kid: str | None = None,
        key: SigningKey | None = None,
    ) -> str:
        """A signed ID token shaped like Google's; a claim given as None is left out.

        `key=oidc.attacker_key` signs with the unpublished key (by default under
        the trusted kid, as a forger would); `kid` overrides the header's key id.
        """
        signing_key = key or self.key
        iat = int(time.time() if issued_at is None else issued_at)
        claims: dict[str, Any] = {
            "iss": issuer,
            "aud": audience,
            "sub": subject or _numeric_subject(email or "anonymous"),
            "email": email,
            "email_verified": email_verified,
            "hd": hosted_domain,
            "iat": iat,
            "exp": iat + expires_in,
        }
        claims.update(extra_claims or {})
        claims = {k: v for k, v in claims.items() if v is not None}
        token: bytes = jwt.encode(signing_key.signer(kid or self.key.kid), claims)  # type: ignore[no-untyped-call]
        return token.decode("ascii")

    def bearer(self, **mint_kwargs: Any) -> str:
        """An Authorization header value carrying a freshly minted token."""
        return "Bearer " + self.mint(**mint_kwargs)


@pytest.fixture(scope="session")
def oidc() -> Iterator[OidcProvider]:
    """A running local OIDC cert server with its trusted key and an attacker key."""
    provider = OidcProvider().start()
    try:
        yield provider
    finally:
        provider.stop()
