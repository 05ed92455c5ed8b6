"""Who Docket acts as: learned from Drive's about.get when the backend's credentials do not say, once, lazily.

Against an emulator (or proxy) acting as another service account or as a person, the leadership run
works, the shared-drive warning names only real others, and the confidential check passes for Docket.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone
from typing import Any

import pytest
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp

from service.calendar import Week
from service.emulator.bootstrap import open_store
from service.emulator.errors import ApiError
from service.emulator.transport import EmulatorHttp
from service.emulator.wsgi import create_emulator_app
from service.errors import Forbidden
from service.google.calls import Backoff
from service.google.clients import Google
from service.meetings.leadership import Leadership
from service.meetings.weekly import run_weekly
from service.services import Services
from tests.conftest import SHARED_DRIVE, Docs
from tests.support.concurrency import run_concurrently

OTHER_SERVICE_ACCOUNT = "docs-bot@other-project.iam.gserviceaccount.com"
PERSON = "docket.ops@example.com"
WEEK = Week.of(date(2026, 11, 18))


def _learning(app: Any, backend: str = "endpoint") -> Google:
    """A Google that is not told who it is, as on the endpoint backend."""
    return Google(lambda: EmulatorHttp(app), backend=backend, backoff=Backoff(sleep=lambda _s: None))


def test_the_identity_is_asked_of_drive_once_however_many_threads_need_it(store: Any) -> None:
    app = create_emulator_app(store, default_identity=OTHER_SERVICE_ACCOUNT)
    google = _learning(app)
    assert google.stats.counts == {}  # nothing asked until something needs it
    assert set(run_concurrently(lambda: google.identity, 8)) == {OTHER_SERVICE_ACCOUNT}
    assert google.identity == OTHER_SERVICE_ACCOUNT
    assert google.stats.counts == {"drive.about.get": 1}


def test_a_failed_lookup_is_translated_and_not_remembered(store: Any) -> None:
    refusing = {"on": True}

    def hook(identity: str, api: str, method: str, path: str) -> None:
        if refusing["on"] and path == "/drive/v3/about":
            raise ApiError(403, "The user does not have sufficient permissions for this file.", reason="forbidden")

    google = _learning(create_emulator_app(store, default_identity=PERSON, before_request=hook))
    with pytest.raises(Forbidden, match="about.get"):
        _ = google.identity
    refusing["on"] = False
    assert google.identity == PERSON


def test_credentials_that_name_no_account_learn_it_from_drive(store: Any) -> None:
    # A person's OAuth credentials (their ADC, say) carry a token but no email: the real Google
    # backend's transport, AuthorizedHttp, over the in-process emulator acting as that person.
    credentials = Credentials(token="ya29.a-person")
    app = create_emulator_app(store, default_identity=PERSON)
    google = Google(lambda: AuthorizedHttp(credentials, http=EmulatorHttp(app)), backend="google")
    assert google.identity == PERSON


def test_a_given_identity_is_not_asked_for(store: Any) -> None:
    google = Google(lambda: EmulatorHttp(create_emulator_app(store)), backend="embedded", identity="Docket@Example.com")
    assert google.identity == "docket@example.com" and google.stats.counts == {}


def _engine(settings: Any, identity: str, *, folder: bool = True) -> tuple[Services, Any]:
    """Docket on the endpoint-style backend against an emulator whose callers are `identity` by default."""
    if not folder:
        settings = dataclasses.replace(settings, google=dataclasses.replace(settings.google, folder_id=None))
    store = open_store(settings.data_dir, shared_drive_id=settings.google.folder_id, identity=identity)
    engine = Services.build(settings, _learning(create_emulator_app(store, default_identity=identity)))
    engine.writer.sleep = lambda _s: None
    return engine, store


@pytest.mark.parametrize("identity", [OTHER_SERVICE_ACCOUNT, PERSON])
def test_the_weekly_run_works_as_whoever_the_backend_acts_as(settings: Any, identity: str) -> None:
    engine, store = _engine(settings, identity)
    first = run_weekly(engine, WEEK)
    assert first.ok, first.failures
    assert first.warnings == ()  # Docket is the shared drive's only member: nobody to warn about
    assert {o.kind for o in first.outcomes} >= {"leadership_agenda", "leadership_confidential"}
    assert {o.action for o in first.outcomes} == {"created"}
    again = run_weekly(engine, WEEK)
    assert again.ok and {o.action for o in again.outcomes} == {"present"}

    # Someone else joins the shared drive: the warning names them, and only them.
    store.add_drive_member(SHARED_DRIVE, "eve@elsewhere.org", "reader")
    warned = run_weekly(engine, WEEK)
    assert len(warned.warnings) == 1
    assert "eve@elsewhere.org" in warned.warnings[0] and identity not in warned.warnings[0]


@pytest.mark.parametrize("identity", [OTHER_SERVICE_ACCOUNT, PERSON])
def test_the_confidential_check_passes_for_docket_itself(settings: Any, identity: str) -> None:
    engine, _ = _engine(settings, identity)
    leadership = Leadership(engine, clock=lambda: datetime(2026, 11, 18, 15, 4, tzinfo=timezone.utc))
    outcome = leadership.add_item(author="vp@example.com", text="Promotion case for Sam 🤫", kind="confidential",
                                  week=WEEK)
    assert outcome.created
    confidential = engine.registry.find_one({"docket_kind": "leadership_confidential"})
    assert confidential is not None
    assert "Promotion case for Sam 🤫" in Docs(engine.google, None).text(confidential.id)


def test_a_person_without_a_shared_drive_keeps_the_documents_in_their_my_drive(settings: Any) -> None:
    # Domain-wide delegation: Docket acts as a user, who owns what it creates, in their My Drive.
    engine, _ = _engine(settings, PERSON, folder=False)
    first = run_weekly(engine, WEEK)
    assert first.ok, first.failures
    assert first.warnings == ()  # no folder configured: nothing to check
    files = engine.google.files.list(q="'root' in parents and trashed = false",
                                     fields="files(id,ownedByMe,appProperties)").execute()["files"]
    assert len(files) == len(first.outcomes) and all(f["ownedByMe"] for f in files)
    assert {o.action for o in run_weekly(engine, WEEK).outcomes} == {"present"}
