"""Builds the Docs and Drive clients for the three backends (docs/configuration.md), one set per thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Protocol

import httplib2
from googleapiclient.discovery import build

from service.errors import ConfigError, GoogleApiError
from service.google.calls import Backoff, CallStats, execute
from service.google.circuit import Circuit
from service.google.timeouts import Timeouts, TimedHttp
from service.settings import Settings

SCOPES = ("https://www.googleapis.com/auth/documents", "https://www.googleapis.com/auth/drive")
# Reading an engineer's calendar as the engineer (domain-wide delegation): the one scope it needs.
CALENDAR_SCOPES = ("https://www.googleapis.com/auth/calendar.readonly",)



class HttpTransport(Protocol):
    """The transport seam under google-api-python-client: httplib2.Http's `request()`.

    Three things provide it: httplib2.Http (an endpoint), google-auth-httplib2's AuthorizedHttp (real
    Google), and the emulator's in-process EmulatorHttp (the embedded default, tests). Like httpx's
    BaseTransport, it is the one place a backend plugs in; nothing above it knows which is used.
    """

    def request(self, uri: str, method: str = "GET", body: bytes | str | None = None,
                headers: dict[str, str] | None = None, redirections: int = ...,
                connection_type: Any = None) -> tuple[httplib2.Response, bytes]: ...


HttpFactory = Callable[[], HttpTransport]
# A transport acting as another identity: (subject, scopes) -> transport. Real Google: the service
# account's credentials delegated to `subject`; the emulator: its identity header.
ActingHttpFactory = Callable[[str, tuple[str, ...]], HttpTransport]


class Google:
    """Hands out Docs and Drive resources; every call goes through `call()` (translation, retries, circuit).

    httplib2 connections are not thread-safe, so each thread gets its own transport and
    resources, built once per thread (building a resource costs tens of milliseconds). The
    circuit is shared: once an API is unreachable, every thread's calls to it fail at once.

    `identity` is who Docket acts as. When the backend's credentials say (a delegated user, a
    service account's email, the embedded emulator Docket set up itself) it is given here;
    otherwise (None) it is learned from Drive on first use: see the `identity` property.
    """

    def __init__(self, http_factory: HttpFactory, *, backend: str, identity: str | None = None, endpoint: str | None = None,
                 backoff: Backoff | None = None, stats: CallStats | None = None, emulator: Callable[..., Any] | None = None,
                 pacer: Callable[[], None] | None = None, acting: ActingHttpFactory | None = None,
                 circuit: Circuit | None = None) -> None:
        self._http_factory = http_factory
        self._acting = acting
        self._endpoint = endpoint
        self._local = threading.local()
        self.backend = backend
        self._identity = identity.lower() if identity else None
        self._identity_lock = threading.Lock()
        self.backoff = backoff or Backoff()
        self.stats = stats or CallStats()
        self.emulator = emulator  # the in-process emulator app (embedded default only): tests reach it as other people
        self.pacer = pacer
        self.circuit = circuit or Circuit(clock=self.backoff.clock)

    def _services(self) -> tuple[Any, Any, Any, Any]:
        services = getattr(self._local, "services", None)
        if services is None:
            docs_opts = {"api_endpoint": self._endpoint} if self._endpoint else None
            drive_opts = {"api_endpoint": self._endpoint + "/drive/v3/"} if self._endpoint else None
            docs = build("docs", "v1", http=self._http_factory(), static_discovery=True, client_options=docs_opts, cache_discovery=False)
            drive = build("drive", "v3", http=self._http_factory(), static_discovery=True, client_options=drive_opts, cache_discovery=False)
            # Resource objects are rebuilt from the discovery document on every drive.files() call
            # (~1.5 ms): build each once per thread.
            services = self._local.services = (docs.documents(), drive, drive.files(), drive.permissions())
        return services

    @property
    def documents(self) -> Any:
        return self._services()[0]

    @property
    def drive(self) -> Any:
        return self._services()[1]

    @property
    def files(self) -> Any:
        """Drive's files() resource."""
        return self._services()[2]

    @property
    def permissions(self) -> Any:
        """Drive's permissions() resource."""
        return self._services()[3]

    @property
    def identity(self) -> str:
        """Who Docket acts as, lower-cased: given at construction, else asked of Drive once (about.get).

        The shared-drive warning and the confidential doc's permission check compare grantees
        against it, so it must be the account the backend really acts as: an emulator or proxy
        serving another identity, or credentials that name no account (a person's ADC), are only
        known by asking. One Google per process (Services), so one about.get per process, and
        only when something needs the identity. Errors are translated at the one seam (`call`);
        a failure is not remembered, so the next use asks again.
        """
        if self._identity is None:
            with self._identity_lock:
                if self._identity is None:
                    self._identity = self._learn_identity()
        return self._identity

    def _learn_identity(self) -> str:
        request = self.drive.about().get(fields="user(emailAddress)")
        about = self.call(request, "about.get", method="drive.about.get")
        email = str((about.get("user") or {}).get("emailAddress") or "").strip().lower()
        if not email:
            # DRIVE-DD User.emailAddress: "may not be present in certain contexts".
            raise GoogleApiError("about.get: Drive did not say which account Docket acts as (no user.emailAddress)")
        return email

    # -- Calendar and Sheets (the daily job's reminders, the roster sheet) ------------------------

    def _resource(self, api: str, version: str, path: tuple[str, ...], service_path: str, as_user: str | None,
                  scopes: tuple[str, ...]) -> Any:
        """A resource of `api`, built once per thread and acting identity (like Docs and Drive above)."""
        cache: dict = self._local.__dict__.setdefault("resources", {})
        key = (api, path, as_user)
        if key not in cache:
            if as_user is None:
                http = self._http_factory()
            elif self._acting is not None:
                http = self._acting(as_user, scopes)
            elif self.emulator is not None:  # the in-process emulator: its identity header stands for delegation
                from service.emulator.transport import EmulatorHttp

                http = EmulatorHttp(self.emulator, identity=as_user)
            else:
                raise ConfigError(f"this backend cannot act as another user ({as_user})")
            options = {"api_endpoint": self._endpoint + service_path} if self._endpoint else None
            resource = build(api, version, http=http, static_discovery=True, client_options=options, cache_discovery=False)
            for name in path:
                resource = getattr(resource, name)()
            cache[key] = resource
        return cache[key]

    def calendar_events(self, *, as_user: str) -> Any:
        """Calendar v3 `events()`, acting as `as_user`: an engineer's own calendar is read as the engineer."""
        return self._resource("calendar", "v3", ("events",), "/calendar/v3/", as_user.strip().lower(), CALENDAR_SCOPES)

    def sheet_values(self) -> Any:
        """Sheets v4 `spreadsheets().values()`, as Docket (the roster sheet is shared with Docket's identity)."""
        return self._resource("sheets", "v4", ("spreadsheets", "values"), "", None, ())

    def pace_write(self) -> None:
        """Wait, if needed, to stay under the Docs write quota (60 per minute per identity)."""
        if self.pacer is not None:
            self.pacer()

    def call(self, request: Any, what: str, *, method: str, retry: bool = True) -> Any:
        return execute(request, what, method=method, backoff=self.backoff, stats=self.stats, retry=retry,
                       circuit=self.circuit)


_DEFAULT = object()


def default_pacer(settings: Settings) -> Callable[[], None] | None:
    """A quota-bound backend paces this process's writes under the Docs quota, in either dispatch mode.

    In cloud-tasks mode the queue paces the fan-out, but this process still writes for the menu,
    links, the leadership sync and new documents, all under the same service-account quota.
    """
    if settings.backend == "embedded" or settings.dispatch.writes_per_minute == 0:
        return None
    from service.google.pacer import WritePacer

    return WritePacer(settings.dispatch.writes_per_minute)


def google_for(settings: Settings, *, backoff: Backoff | None = None, pacer: Any = _DEFAULT,
               timeouts: Timeouts = Timeouts()) -> Google:
    """The Google of the configured backend; `pacer` is called before every write (quota pacing).

    By default the pacer follows the settings (`default_pacer`), so the CLI's weekly job and the
    service pace alike. `timeouts` bound each HTTP attempt (connect, then each read); the
    backoff's deadline and the circuit bound a call and a run.
    """
    if pacer is _DEFAULT:
        pacer = default_pacer(settings)
    if settings.backend == "endpoint":
        assert settings.google.endpoint
        # Whatever serves the endpoint (a `docket emulator` acting as any identity, a proxy) says who
        # Docket is there: the identity is learned from about.get when first needed.
        return Google(lambda: TimedHttp(timeouts), backend="endpoint", endpoint=settings.google.endpoint,
                      backoff=backoff, pacer=pacer,
                      acting=lambda subject, _scopes: IdentityHttp(TimedHttp(timeouts), subject))
    if settings.backend == "google":
        credentials = _credentials(settings)
        from google_auth_httplib2 import AuthorizedHttp

        return Google(lambda: AuthorizedHttp(credentials, http=TimedHttp(timeouts)), backend="google",
                      identity=_identity(settings, credentials), backoff=backoff, pacer=pacer,
                      acting=_delegating(settings))
    return embedded_google(settings, backoff=backoff)


class IdentityHttp:
    """httplib2.Http that names the acting identity to an emulator over HTTP (`X-Emulator-Identity`),
    where real Google would see a delegated token: the endpoint backend's stand-in for delegation."""

    HEADER = "X-Emulator-Identity"

    def __init__(self, http: httplib2.Http, identity: str) -> None:
        self._http = http
        self.identity = identity

    def request(self, uri: str, method: str = "GET", body: bytes | str | None = None, headers: dict[str, str] | None = None,
                redirections: int = 5, connection_type: Any = None) -> tuple[httplib2.Response, bytes]:
        sent = {k: v for k, v in (headers or {}).items() if k.lower() != self.HEADER.lower()}
        sent[self.HEADER] = self.identity
        return self._http.request(uri, method, body=body, headers=sent, redirections=redirections,
                                  connection_type=connection_type)

    def __getattr__(self, name: str) -> Any:  # timeout, close(), ...: the wrapped Http's
        return getattr(self._http, name)


def _delegating(settings: Settings) -> ActingHttpFactory:
    """Transports acting as a user through domain-wide delegation, one set of credentials per (user, scopes)."""
    from google_auth_httplib2 import AuthorizedHttp

    made: dict[tuple[str, tuple[str, ...]], Any] = {}
    lock = threading.Lock()

    def acting(subject: str, scopes: tuple[str, ...]) -> HttpTransport:
        with lock:
            if (subject, scopes) not in made:
                made[(subject, scopes)] = _credentials(settings, scopes=scopes, subject=subject)
            credentials = made[(subject, scopes)]
        return AuthorizedHttp(credentials, http=httplib2.Http(timeout=60))

    return acting


def embedded_google(settings: Settings, *, backoff: Backoff | None = None) -> Google:
    """The built-in emulator, in process, persisted under DOCKET_DATA_DIR.

    Opening it checks the whole store: a damaged one is a ConfigError (exit 2) before anything is written.
    """
    from service.emulator.bootstrap import DEFAULT_IDENTITY, open_emulator
    from service.emulator.transport import EmulatorHttp

    # Docket sets this emulator up itself, so it knows who it acts as there.
    with embedded_store_errors(settings):
        app = open_emulator(Path(settings.data_dir), shared_drive_id=settings.google.folder_id, identity=DEFAULT_IDENTITY)
    return Google(lambda: _EmbeddedHttp(EmulatorHttp(app), settings), backend="embedded", identity=DEFAULT_IDENTITY,
                  backoff=backoff, emulator=app,
                  acting=lambda subject, _scopes: _EmbeddedHttp(EmulatorHttp(app, identity=subject), settings))


@contextmanager
def embedded_store_errors(settings: Settings, *, opening: bool = True) -> Iterator[None]:
    """The emulator's StoreDamaged, translated into Docket's ConfigError (the CLI's exit 2).

    ConfigError, not a GoogleApiError: no retry or other document can help; the operator must fix
    the files under DOCKET_DATA_DIR, as they fix docket.toml, before Docket can run. `opening`: the
    store was being opened, when nothing has been written yet.
    """
    from service.emulator.bootstrap import emulator_dir
    from service.emulator.store import StoreDamaged

    try:
        yield
    except StoreDamaged as damage:
        changed = " Docket changed nothing." if opening else ""
        raise ConfigError(
            f"the embedded document store is damaged: {damage.path.name} {damage.problem}.{changed} Restore the "
            f"file from a backup, or move {emulator_dir(Path(settings.data_dir))} aside to start without documents "
            "(Docket would no longer find the ones in it)", file=str(damage.path)) from None


class _EmbeddedHttp:
    """The in-process transport, with a store damaged mid-run reported as Docket's ConfigError."""

    def __init__(self, http: Any, settings: Settings) -> None:
        self._http = http
        self._settings = settings

    def request(self, *args: Any, **kwargs: Any) -> tuple[httplib2.Response, bytes]:
        with embedded_store_errors(self._settings, opening=False):
            return self._http.request(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._http, name)


def _identity(settings: Settings, credentials: Any) -> str | None:
    """Who Docket acts as, when the credentials say: the delegated user, else the service account's email.

    Cloud Run's metadata credentials report the placeholder "default" until their first refresh,
    which asks the metadata server for the real email. Credentials that name no account (a
    person's application default credentials) give None: Google.identity then asks Drive.
    """
    if settings.google.delegated_subject:
        return settings.google.delegated_subject
    email = getattr(credentials, "service_account_email", None)
    if email == "default":
        import google.auth.transport.requests

        credentials.refresh(google.auth.transport.requests.Request())
        email = credentials.service_account_email
    return str(email).lower() if email else None


_CONFIGURED = object()


def _credentials(settings: Settings, *, scopes: tuple[str, ...] = SCOPES, subject: Any = _CONFIGURED) -> Any:
    """ADC or a service-account key for `scopes`, with domain-wide delegation to `subject` (by default the
    configured `delegated_subject`; the reminders pass each engineer, with CALENDAR_SCOPES)."""
    import google.auth
    from google.auth import impersonated_credentials
    from google.oauth2 import service_account

    source = settings.google.credentials
    subject = settings.google.delegated_subject if subject is _CONFIGURED else subject
    if source and source != "adc":
        path = Path(source)
        if not path.is_file():
            raise ConfigError(f"service-account key '{source}' does not exist", key="google.credentials", file=settings.source)
        creds = service_account.Credentials.from_service_account_file(str(path), scopes=list(scopes))
        return creds.with_subject(subject) if subject else creds
    creds, _project = google.auth.default(scopes=list(scopes))
    if not subject:
        return creds
    if hasattr(creds, "with_subject"):
        return creds.with_subject(subject)
    # Metadata-server credentials (Cloud Run) have no with_subject: sign the delegation JWT through
    # the IAM Credentials API as our own service account instead (google-apis.md §8).
    if not hasattr(creds, "service_account_email"):
        raise ConfigError("delegated_subject needs service-account credentials (a key, or Cloud Run's service account); "
                          "application default credentials here are a user's", key="google.delegated_subject", file=settings.source)
    email = creds.service_account_email
    if not email or email == "default":
        import google.auth.transport.requests

        # Metadata-server credentials learn their email on the first refresh.
        creds.refresh(google.auth.transport.requests.Request())
        email = creds.service_account_email
    source_creds, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
    return impersonated_credentials.Credentials(source_credentials=source_creds, target_principal=email,
                                                target_scopes=list(scopes), subject=subject, lifetime=3600)
