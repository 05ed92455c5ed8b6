"""Fixtures for the HTTP tests: the app over the emulator, its test client, and real OIDC tokens from the local signer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.app import create_app
from service.google.clients import Google
from service.settings import Settings, load_settings
from tests.support.oidc import OidcProvider

AUDIENCE = "https://docket.example.run.app"
SCHEDULER = "scheduler@proj.iam.gserviceaccount.com"
ADDON_CLIENT = "1234-abc.apps.googleusercontent.com"
# Wednesday 2026-11-18, noon UTC: the Berlin pair's section is Tue 2026-11-17, the leadership sync Wed 2026-11-18.
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)
CONFIDENTIAL_CANARY = "CANARY-7f3a Dana is on a performance plan 🤫"


@pytest.fixture
def settings(settings_file: Path, data_dir: Path, oidc: OidcProvider, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The shared test roster, with ID-token certs served by the local OIDC signer."""
    monkeypatch.delenv("DOCKET_SECRET_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_CLOUD_PROJECT", raising=False)
    return load_settings(str(settings_file), env={"DOCKET_DATA_DIR": str(data_dir), "DOCKET_AUTH_CERTS_URL": oidc.certs_url})


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return lambda: NOW


@pytest.fixture
def app(settings: Settings, google: Google, clock: Callable[[], datetime]) -> Flask:
    app = create_app(settings, google=google, clock=clock)
    app.extensions["docket"].writer.sleep = lambda _s: None
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Tokens:
    """Authorization headers for each kind of caller, minted by the local OIDC signer."""

    def __init__(self, oidc: OidcProvider) -> None:
        self.oidc = oidc

    def scheduler(self, **claims: Any) -> dict[str, str]:
        claims.setdefault("email", SCHEDULER)
        claims.setdefault("audience", AUDIENCE)
        return {"Authorization": self.oidc.bearer(**claims)}

    def person(self, email: str, **claims: Any) -> dict[str, str]:
        """An Apps Script identity token of a Workspace user (hd = the email's domain)."""
        claims.setdefault("audience", ADDON_CLIENT)
        claims.setdefault("hosted_domain", email.rpartition("@")[2])
        return {"Authorization": self.oidc.bearer(email=email, **claims)}


@pytest.fixture
def tokens(oidc: OidcProvider) -> Tokens:
    return Tokens(oidc)


@pytest.fixture
def weekly_done(client: FlaskClient, tokens: Tokens) -> dict[str, Any]:
    """This week's documents, made by one authenticated /tasks/weekly call; returns its body."""
    response = client.post("/tasks/weekly", headers=tokens.scheduler())
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def doc_of(body: dict[str, Any], kind: str, index: int = 0) -> str:
    return [r["document_id"] for r in body["results"] if r["kind"] == kind][index]
