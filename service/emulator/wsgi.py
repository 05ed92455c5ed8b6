"""The emulator's WSGI app: every API's paths (service.emulator.apis.ROUTES) routed to handlers, one store transaction per request."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, Map, RequestRedirect, Rule
from werkzeug.wrappers import Request, Response

from service.emulator.apis import ROUTES
from service.emulator.call import SYSTEM_PARAMETERS, Call, Route
from service.emulator.errors import ApiError, unmodelled
from service.emulator.fields import apply_selection, parse_fields
from service.emulator.media import read_upload
from service.emulator.schema import check_request_body, check_selection, parameter_type
from service.emulator.store import Store, StoreDamaged

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

DEFAULT_IDENTITY = "docket@docket-emulator.iam.gserviceaccount.com"
IDENTITY_HEADER = "X-Emulator-Identity"
# An in-process transport (EmulatorHttp) puts a list in the environ under this key; a request that
# finds the store damaged appends the StoreDamaged and the transport raises it to its caller: in
# process, a damaged store is the caller's to report, not a Google 500 to retry. (A list, because
# werkzeug's run_wsgi_app hands the app a shallow copy of the environ.)
STORE_DAMAGED_KEY = "docket.emulator.store_damaged"

# Fault-injection hook point: called as before_request(identity, api, method, path) before the store
# transaction; raising ApiError answers the request with that error and changes nothing.
BeforeRequest = Callable[[str, str, str, str], None]
# Called as after_request(identity, api, method, path, status) once the request's transaction has
# committed; raising ApiError answers with that error although the change stands (a lost response).
AfterRequest = Callable[[str, str, str, str, int], None]


class _IdConverter(BaseConverter):
    """Google ids: anything but '/' and ':' (so `{documentId}:batchUpdate` splits cleanly)."""

    regex = "[^/:]+"


def _api_of(path: str) -> str:
    return "docs" if path.startswith("/v1/") else "drive"


def _json_response(status: int, body: dict | None) -> Response:
    if body is None:
        return Response(status=status)
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json; charset=UTF-8")


def _error_response(error: ApiError) -> Response:
    return _json_response(error.code, error.envelope())


class EmulatorApp:
    """A WSGI callable over one Store. Build it with create_emulator_app()."""

    def __init__(self, store: Store, *, default_identity: str, before_request: BeforeRequest | None,
                 after_request: AfterRequest | None = None) -> None:
        self.store = store
        self.default_identity = default_identity
        self.before_request = before_request
        self.after_request = after_request
        self._routes = {route.name: route for route in ROUTES}
        self._map = Map(
            [Rule(rule, endpoint=r.name, methods=[r.method]) for r in ROUTES for rule in (r.rule, r.upload_rule) if rule],
            converters={"fid": _IdConverter},
            strict_slashes=False,
            merge_slashes=False,
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self._dispatch(request)
        except ApiError as error:
            response = _error_response(error)
        except StoreDamaged as damage:
            # Not a bug but the files under the data dir: say which, once, without a traceback.
            log.error("emulator store damaged: %s", damage)
            environ.get(STORE_DAMAGED_KEY, []).append(damage)
            reason = "backendError" if _api_of(request.path) == "drive" else None
            response = _error_response(ApiError(500, "Internal error encountered.", reason=reason))
        except Exception:  # a bug in the emulator: answer like Google's 500, keep the traceback in the log
            log.exception("emulator error on %s %s", request.method, request.path)
            # Drive's legacy envelope carries an errors[] entry; Docs (google.rpc style) does not.
            reason = "backendError" if _api_of(request.path) == "drive" else None
            response = _error_response(ApiError(500, "Internal error encountered.", reason=reason))
        return response(environ, start_response)

    def _route(self, request: Request) -> tuple[Route, dict[str, str]]:
        what = f"{request.method} {request.path}"
        if request.path.startswith("/resumable/upload/"):
            raise unmodelled(f"resumable upload ({what})")
        if request.path.startswith("/batch/"):
            raise unmodelled(f"batch requests ({what})")
        adapter = self._map.bind_to_environ(request.environ)
        try:
            name, args = adapter.match()
        except (HTTPException, RequestRedirect):
            raise unmodelled(what) from None
        return self._routes[str(name)], args

    def _dispatch(self, request: Request) -> Response:
        route, path_args = self._route(request)
        identity = (request.headers.get(IDENTITY_HEADER) or self.default_identity).strip()
        params = {key: request.args.get(key, "") for key in request.args}
        self._check_params(route, params)
        # Parse the selector before touching state: a bad `fields` must change nothing.
        fields = params.get("fields")
        selection = parse_fields(fields) if fields and fields.strip() else None
        if selection is not None:
            check_selection(route.api, route.name, selection)
        media = None
        if request.path.startswith("/upload/"):
            # Only methods with an upload URI route here (Route.upload_rule).
            metadata, media = read_upload(params.get("uploadType"), request.content_type, request.get_data(),
                                          f"{request.method} {request.path}")
            body = self._json(metadata, route) if metadata is not None else None
        else:
            body = self._json(request.get_data(), route)
        if body is not None:
            # Google's JSON front end types the body before the method runs: nothing is written on a 400.
            body = check_request_body(route.api, route.name, body)
        # The emulator's own test hooks (api "emulator") are not Google's: no faults are injected there.
        hooked = route.api != "emulator"
        if self.before_request is not None and hooked:
            self.before_request(identity, route.api, request.method, request.path)
        with self.store.transaction() as state:
            repeated = {key: tuple(request.args.getlist(key)) for key in request.args}
            reply = route.handler(Call(state, identity, params, body, dict(path_args), media, repeated))
        if self.after_request is not None and hooked:
            self.after_request(identity, route.api, request.method, request.path, reply.status)
        result = reply.body
        if result is not None:
            if selection is not None:
                result = apply_selection(result, selection)
            elif reply.default_fields:
                result = apply_selection(result, parse_fields(reply.default_fields))
        return _json_response(reply.status, result)

    @staticmethod
    def _check_params(route: Route, params: dict[str, str]) -> None:
        alt = params.get("alt", "json")
        if alt not in ("json", "media") or (alt == "media" and route.name != "drive.files.get"):
            raise unmodelled(f"alt={alt} on {route.name}")
        if "callback" in params:
            raise unmodelled("JSONP (callback)")
        for name, value in params.items():
            if name in SYSTEM_PARAMETERS or name in route.params:
                continue
            if name in route.unmodelled:
                if value.lower() == "false" and parameter_type(route.name, name) == "boolean":
                    continue  # a boolean at its default, so nothing to model
                raise unmodelled(f"the parameter `{name}` of {route.name}")
            # Divergence for Drive (Google's handling of unknown Drive parameters is not pinned down):
            # both APIs reject them, with the Docs (OnePlatform) wording, so typos surface.
            raise ApiError(400, f"Invalid JSON payload received. Unknown name \"{name}\": Cannot bind query "
                           f"parameter. Field '{name}' could not be found in request message.")

    @staticmethod
    def _json(raw: bytes, route: Route) -> dict | None:
        """A JSON request body (or an upload's metadata part), parsed as Google's front end would."""
        if not raw.strip():
            return None
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            if route.api == "drive":
                raise ApiError(400, "Parse Error", reason="parseError") from None
            raise ApiError(400, "Invalid JSON payload received. Unexpected token.") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Invalid JSON payload received. Expected an object.")
        try:
            # A "\ud800" escape parses to a lone surrogate, which is not Unicode text: Google's parser
            # refuses it, and the store could not write it as UTF-8. Refused here, before anything runs.
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            if route.api == "drive":
                raise ApiError(400, "Parse Error", reason="parseError") from None
            raise ApiError(400, "Invalid JSON payload received. Invalid UTF-8 in a string.") from None
        return body


def create_emulator_app(
    store: Store,
    *,
    default_identity: str = DEFAULT_IDENTITY,
    before_request: BeforeRequest | None = None,
    after_request: AfterRequest | None = None,
) -> WSGIApplication:
    """The emulator as a WSGI app over `store`; callers without `X-Emulator-Identity` act as `default_identity`."""
    return EmulatorApp(store, default_identity=default_identity, before_request=before_request, after_request=after_request)
