"""Issue 5.4 (HTTP): every bad input to /tasks/weekly, /tasks/section, /addon/section, /addon/items and /links/<token>
is a clear 4xx in the pinned error shape, names the field, never echoes item text or credentials, and leaves the
emulator's whole state (every document and all Drive metadata) exactly as it was.

Extends tests/service (which has a handful of these per endpoint): here the same table runs against every endpoint.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest

from service.app import MAX_BODY_BYTES, create_app
from service.google.registry import Registry
from service.meetings.catalog import BUILTIN_KINDS
from service.meetings.agenda_items import MAX_ITEM_LENGTH
from tests.conftest import SHARED_DRIVE, google_on
from tests.robustness.conftest import ADDON_CLIENT, AUDIENCE, SCHEDULER, rejected
from tests.service.conftest import CONFIDENTIAL_CANARY, doc_of

CANARY = "CANARY-5e1d"


@dataclasses.dataclass(frozen=True)
class Endpoint:
    path: str
    who: str | None          # None: the Cloud Scheduler identity; else a person of the add-on
    body: Callable[[dict[str, str]], dict[str, Any]]
    required: tuple[str, ...]
    strings: tuple[str, ...]


ENDPOINTS = {
    "tasks/weekly": Endpoint("/tasks/weekly", None, lambda ids: {"date": "2026-11-25"}, (), ("date",)),
    "tasks/section": Endpoint("/tasks/section", None, lambda ids: {"documentId": ids["sam"], "date": "2026-11-25"},
                              ("documentId",), ("documentId", "date")),
    "addon/section": Endpoint("/addon/section", "maria@example.com", lambda ids: {"documentId": ids["sam"]},
                              ("documentId",), ("documentId",)),
    "addon/items": Endpoint("/addon/items", "maria@example.com",
                            lambda ids: {"documentId": ids["agenda"], "text": f"{CANARY} budget 🎯", "kind": "fyi", "itemId": "c-1"},
                            ("documentId", "text"), ("documentId", "text", "kind", "itemId")),
}
WITH_DOCUMENT = ["tasks/section", "addon/section", "addon/items"]


@pytest.fixture
def data_dir(made_data_dir):
    """Overrides tests/conftest.py's: a private copy of this week's documents, made once per session."""
    return made_data_dir


@pytest.fixture
def weekly_done(made, data_dir) -> dict:
    return made[1]


@pytest.fixture
def ids(weekly_done) -> dict[str, str]:
    return {"sam": doc_of(weekly_done, "one_on_one", 0), "zoe": doc_of(weekly_done, "one_on_one", 1),
            "agenda": doc_of(weekly_done, "leadership_agenda"), "confidential": doc_of(weekly_done, "leadership_confidential")}


@pytest.fixture
def call(client, tokens, docs) -> Callable[..., dict]:
    """POST to an endpoint as its rightful caller; asserts the pinned error shape and that nothing changed.

    The state before is taken once: as long as every call changes nothing, it is also the state before the next call.
    """
    initial: list[str] = []

    def post(name: str, *, data: bytes | None = None, json_body: Any = None, content_type: str = "application/json",
             status: int, code: str | None = None, names: str | None = None, headers: dict[str, str] | None = None) -> dict:
        endpoint = ENDPOINTS[name]
        if headers is None:
            headers = tokens.scheduler() if endpoint.who is None else tokens.person(endpoint.who)
        raw = data if data is not None else json.dumps(json_body).encode()
        if not initial:
            initial.append(docs.snapshot())
        before = initial[0]
        response = client.post(endpoint.path, data=raw, content_type=content_type, headers=headers)
        error = rejected(response, status, code)
        if names is not None:
            assert names in error["message"], error
        body = response.get_data(as_text=True)
        assert CANARY not in body and "CANARY" not in body
        assert docs.snapshot() == before
        return error
    return post


# --- the body: JSON, shape, types --------------------------------------------------------------------------------

def _body(name: str, ids: dict[str, str]) -> dict[str, Any]:
    return ENDPOINTS[name].body(ids)


MALFORMED: dict[str, tuple[Callable[[bytes], bytes], int, str, str | None]] = {
    # name → (bytes from a valid body, status, code, a word the message must hold)
    "truncated": (lambda b: b[:-4], 400, "bad_request", "JSON"),
    "trailing garbage": (lambda b: b + b"}", 400, "bad_request", "JSON"),
    "single quotes": (lambda b: b.replace(b'"', b"'"), 400, "bad_request", "JSON"),
    "invalid UTF-8": (lambda b: b[:-2] + b'\xff"}', 400, "bad_request", "JSON"),
    "a list": (lambda b: b"[" + b + b"]", 400, "invalid_argument", "body"),
    "a string": (lambda b: json.dumps(b.decode()).encode(), 400, "invalid_argument", "body"),
    "a number": (lambda b: b"42", 400, "invalid_argument", "body"),
    "null": (lambda b: b"null", 400, "invalid_argument", "body"),
    "true": (lambda b: b"true", 400, "invalid_argument", "body"),
    "nesting within the size limit": (lambda b: b"[" * 500 + b"]" * 500, 400, "invalid_argument", "body"),
}


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_malformed_json_is_400(call, ids, name):
    for case, (make, status, code, word) in MALFORMED.items():
        try:
            call(name, data=make(json.dumps(_body(name, ids)).encode()), status=status, code=code, names=word)
        except AssertionError as exc:
            raise AssertionError(f"{name}, {case}: {exc}") from None


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_json_nested_deeper_than_the_parser_allows_is_400(call, name):
    call(name, data=b"[" * 60_000, status=400, code="bad_request")


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_a_body_that_is_not_declared_json_is_415(call, ids, name):
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp",
                         "text/json"]:
        call(name, data=json.dumps(_body(name, ids)).encode(), content_type=content_type, status=415, code="unsupported_media_type",
             names="application/json")


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_a_multi_megabyte_body_is_413_before_it_is_read(call, ids, name):
    body = _body(name, ids)
    field = "text" if name == "addon/items" else next(iter(body))
    body[field] = "x" * 3_000_000
    call(name, json_body=body, status=413, code="payload_too_large")
    call(name, data=b" " * (MAX_BODY_BYTES + 1), status=413, code="payload_too_large")


@pytest.mark.parametrize("name", [n for n in sorted(ENDPOINTS) if ENDPOINTS[n].required])
def test_each_missing_required_field_is_named(call, ids, name):
    for field in ENDPOINTS[name].required:
        body = {k: v for k, v in _body(name, ids).items() if k != field}
        call(name, json_body=body, status=400, code="invalid_argument", names=f"{field}: is required")


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_an_unknown_field_is_refused_without_quoting_its_name(call, ids, name):
    # A field's name is content the caller sent: a confidential item pasted as a key must not come back.
    for extra in ["admin", "documentID", "author", "Date", "__proto__", "date\u0000", f"{CANARY} Dana is on a PIP"]:
        body = {**_body(name, ids), extra: "vp@example.com"}
        error = call(name, json_body=body, status=400, code="invalid_argument", names="unknown field")
        assert extra not in error["message"] and "PIP" not in error["message"], error
        accepted = ", ".join(ENDPOINTS[name].strings)
        assert error["message"] == f"body: has 1 unknown field(s); the fields are {accepted}", error


WRONG_TYPES = {"number": 42, "float": 2026.11, "list": ["x"], "bool": True, "object": {"value": "x"}, "NaN": float("nan"),
               "Infinity": float("inf")}


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_every_string_field_of_the_wrong_type_is_named(call, ids, name):
    for value in WRONG_TYPES.values():
        for field in ENDPOINTS[name].strings:
            body = {**_body(name, ids), field: value}
            call(name, json_body=body, status=400, code="invalid_argument", names=f"{field}: must be a string")


@pytest.mark.parametrize("name", [n for n in sorted(ENDPOINTS) if ENDPOINTS[n].required])
def test_null_for_a_required_field_is_named(call, ids, name):
    for field in ENDPOINTS[name].required:
        call(name, json_body={**_body(name, ids), field: None}, status=400, code="invalid_argument", names=f"{field}: is required")


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_empty_strings_are_named(call, ids, name):
    for value in ["", "   ", "\t\n"]:
        for field in ENDPOINTS[name].strings:
            call(name, json_body={**_body(name, ids), field: value}, status=400, code="invalid_argument", names=field)


# --- dates --------------------------------------------------------------------------------------------------------

BAD_DATES = ["2026-02-30", "2026-13-01", "2026-00-10", "2026-11-31", "yesterday", "2026/11/18", "18-11-2026", "2026-1-5",
             "\u0662\u0660\u0662\u0666-11-18", "2026-11-18T00:00:00Z", "+2026-11-18", "2026-322", " 2026-11-18", "2026-11-18\u0000"]
@pytest.mark.parametrize("name", ["tasks/weekly", "tasks/section"])
def test_an_invalid_date_is_400_naming_the_field(call, ids, name):
    for value in BAD_DATES:
        call(name, json_body={**_body(name, ids), "date": value}, status=400, code="invalid_argument", names="date")


def test_an_iso_week_date_is_not_yyyy_mm_dd(call, ids):
    call("tasks/section", json_body={**_body("tasks/section", ids), "date": "2026-W48-3"}, status=400, code="invalid_argument",
         names="date")


@pytest.mark.parametrize("value", [20261118, 2026.1118, None])
def test_a_date_that_is_not_a_string_is_refused_or_absent(call, client, tokens, ids, value):
    if value is None:  # null counts as absent: today's week, which the weekly job already made
        response = client.post("/tasks/weekly", json={"date": None}, headers=tokens.scheduler())
        assert response.status_code == 200 and {r["action"] for r in response.get_json()["results"]} == {"present"}
        return
    call("tasks/weekly", json_body={"date": value}, status=400, code="invalid_argument", names="date: must be a string")


# --- document ids -------------------------------------------------------------------------------------------------

def _not_docket(emulator: Any) -> dict[str, str]:
    """Files Docket did not make: one in the shared drive without appProperties, one a person keeps in their own Drive,
    and one of Docket's with a kind Docket does not know."""
    docket = Registry(google_on(emulator), SHARED_DRIVE, BUILTIN_KINDS.ids)
    plain = docket.create("Team notes (made by hand)", {})
    odd = docket.create("Something else", {"docket_kind": "retro"})
    person = google_on(emulator, "maria@example.com").drive.files().create(
        body={"name": "María's private notes", "mimeType": "application/vnd.google-apps.document"}, fields="id").execute()
    return {"plain": plain.id, "odd kind": odd.id, "in a person's drive": person["id"]}


@pytest.mark.parametrize("name", WITH_DOCUMENT)
def test_unknown_and_foreign_document_ids_are_404(call, app, ids, name):
    foreign = _not_docket(app.extensions["docket"].google.emulator)
    for document_id in ["1NoSuchDocument", "1" + "A" * 43, *foreign.values()]:
        error = call(name, json_body={**_body(name, ids), "documentId": document_id}, status=404, code="not_found")
        assert "Docket document" in error["message"] or "not found" in error["message"]


@pytest.mark.parametrize("name", WITH_DOCUMENT)
def test_a_trashed_docket_document_is_404(call, app, ids, name):
    docket = Registry(google_on(app.extensions["docket"].google.emulator), SHARED_DRIVE, BUILTIN_KINDS.ids)
    target = ids["agenda"] if name == "addon/items" else ids["sam"]
    docket.trash(target)
    call(name, json_body={**_body(name, ids), "documentId": target}, status=404, code="not_found")


@pytest.mark.parametrize("name", WITH_DOCUMENT)
def test_an_overlong_document_id_is_400(call, ids, name):
    call(name, json_body={**_body(name, ids), "documentId": "1" * 257}, status=400, code="invalid_argument", names="documentId")


@pytest.mark.parametrize("name", WITH_DOCUMENT)
@pytest.mark.parametrize("shape", ["lone surrogate", "path suffix", "dot segments"])
def test_a_document_id_outside_drives_alphabet_is_400(call, ids, name, shape):
    value = {"lone surrogate": "\ud800", "path suffix": ids["sam"] + "/permissions", "dot segments": "abc/../permissions"}[shape]
    raw = json.dumps({**_body(name, ids), "documentId": value}).encode()  # ASCII escapes: "\ud800" reaches the parser
    call(name, data=raw, status=400, code="invalid_argument", names="documentId")


@pytest.mark.parametrize("name", WITH_DOCUMENT)
def test_odd_document_ids_are_refused_without_a_write(client, tokens, docs, ids, name):
    # Not Drive ids: refused by the body check before any Google call.
    endpoint = ENDPOINTS[name]
    headers = tokens.scheduler() if endpoint.who is None else tokens.person(endpoint.who)
    before = docs.snapshot()
    for value in ["x\u0000y", "%2e%2e", "1abc?fields=*", "1abc#x", "1abc def", "*", "'", "1abc' or name contains '"]:
        response = client.post(endpoint.path, data=json.dumps({**_body(name, ids), "documentId": value}),
                               content_type="application/json", headers=headers)
        assert response.status_code == 400, (value, response.get_data(as_text=True))
        rejected(response, response.status_code)
    assert docs.snapshot() == before


# --- agenda item text and kinds -----------------------------------------------------------------------------------

BAD_TEXT = {
    "NUL": ("a\u0000b", "U+0000"), "escape": ("red\u001b[31m", "U+001B"), "newline": ("one\ntwo", "U+000A"),
    "bidi override": ("invoice\u202egnp.exe", "U+202E"), "zero-width space": ("a\u200bb", "U+200B"),
    "lone surrogate": ("a\ud800b", "U+D800"), "private use": ("a\ue000b", "U+E000"), "line separator": ("a\u2028b", "U+2028"),
    "one over the limit": ("x" * (MAX_ITEM_LENGTH + 1), f"limit is {MAX_ITEM_LENGTH}"),
    "only an FYI prefix": ("FYI:", "after the FYI prefix"),
}


@pytest.mark.parametrize("kind", ["discussion", "fyi", "confidential"])
def test_bad_item_text_is_400_by_code_point_never_quoting_it(call, ids, kind):
    for case, (text, words) in BAD_TEXT.items():
        if case == "only an FYI prefix":
            if kind != "fyi":
                continue  # only FYI items strip the prefix
        elif len(text) < 50:
            text = f"{CANARY} {text}"
        body = {"documentId": ids["agenda"], "text": text, "kind": kind}
        error = call("addon/items", data=json.dumps(body).encode(), status=400, code="invalid_argument", names="text")
        assert words in error["message"], (case, error)


def test_noncharacters_are_kept_as_typed(client, tokens, docs, ids):
    """Decision: U+FFFF (a noncharacter, category Cn) is not refused — validate() refuses Cc/Cf/Co/Cs/Zl/Zp only. It is
    written once, exactly as sent; the reply and logs still never quote it."""
    text = "Budget \uffff review"
    response = client.post("/addon/items", json={"documentId": ids["agenda"], "text": text}, headers=tokens.person("vp@example.com"))
    assert response.status_code == 200, response.get_json()
    assert docs.text(ids["agenda"]).count(text) == 1


def test_an_unknown_item_kind_or_malformed_item_id_is_named(call, ids):
    for kind in ["Confidential", "FYI", " fyi", "urgent", "discussion\u0000", "décision", "c" * 33]:
        call("addon/items", json_body={"documentId": ids["agenda"], "text": "x", "kind": kind}, status=400, code="invalid_argument",
             names="kind")
    for item_id in ["../etc", "a b", "x" * 65, "é", "a\u0000"]:
        call("addon/items", json_body={"documentId": ids["agenda"], "text": "x", "itemId": item_id}, status=400,
             code="invalid_argument", names="item")


def test_a_confidential_item_is_refused_when_anyone_with_the_link_can_read_the_confidential_doc(app, client, tokens, docs, ids, capsys):
    docket = google_on(app.extensions["docket"].google.emulator)
    docket.drive.permissions().create(fileId=ids["confidential"], body={"type": "anyone", "role": "reader"},
                                      supportsAllDrives=True).execute()
    capsys.readouterr()
    before = docs.snapshot()
    response = client.post("/addon/items", json={"documentId": ids["agenda"], "text": CONFIDENTIAL_CANARY, "kind": "confidential"},
                           headers=tokens.person("maria@example.com"))
    error = rejected(response, 403, "confidential_doc_exposed")
    assert "anyone with the link" in error["message"]
    assert "CANARY" not in response.get_data(as_text=True) and "CANARY" not in "".join(capsys.readouterr())
    assert docs.snapshot() == before  # nothing written anywhere: neither the entry nor the agenda's placeholder
    # A discussion item is not confidential: the agenda still takes it.
    assert client.post("/addon/items", json={"documentId": ids["agenda"], "text": "Rota"},
                       headers=tokens.person("maria@example.com")).status_code == 200



def test_the_menu_on_an_exposed_confidential_doc_writes_nothing_and_says_so(app, client, tokens, docs, ids):
    docket = google_on(app.extensions["docket"].google.emulator)
    docket.drive.permissions().create(fileId=ids["confidential"], body={"type": "anyone", "role": "reader"},
                                      supportsAllDrives=True).execute()
    before = docs.snapshot()
    response = client.post("/addon/section", json={"documentId": ids["confidential"]}, headers=tokens.person("maria@example.com"))
    error = rejected(response, 403, "confidential_doc_exposed")
    assert "anyone with the link. Docket wrote nothing in it. Remove those permissions" in error["message"], error
    assert docs.snapshot() == before

# --- who may call -------------------------------------------------------------------------------------------------

def test_a_report_of_one_pair_cannot_act_on_another_pairs_doc(call, tokens, ids):
    for who, doc in (("zoe@example.com", ids["sam"]), ("sam@example.com", ids["zoe"])):
        call("addon/section", json_body={"documentId": doc}, headers=tokens.person(who), status=403, code="forbidden")


def test_a_manager_who_is_not_a_leader_and_a_report_cannot_add_items(call, tokens, ids):
    for who in ("sam@example.com", "zoe@example.com"):
        call("addon/items", json_body={"documentId": ids["agenda"], "text": f"{CANARY} raise"}, headers=tokens.person(who),
             status=403, code="forbidden")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def forged_headers(oidc: Any, name: str) -> dict[str, str]:
    """Tokens an attacker could build from a real one: claims swapped under the real signature, alg=none, and junk."""
    scheduler = ENDPOINTS[name].who is None
    audience = AUDIENCE if scheduler else ADDON_CLIENT
    real = oidc.mint(email="intruder@example.com", audience=audience, hosted_domain="example.com")
    header, payload, signature = real.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["email"] = SCHEDULER if scheduler else "maria@example.com"
    swapped = f"{header}.{_b64(claims)}.{signature}"
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    hs256 = f"{_b64({'alg': 'HS256', 'kid': oidc.key.kid})}.{_b64(claims)}.{signature}"
    return {"claims swapped": f"Bearer {swapped}", "alg none": f"Bearer {unsigned}", "alg HS256": f"Bearer {hs256}",
            "two tokens": f"Bearer {real}, Bearer {real}", "token and junk": f"Bearer {real} x",
            "100 KB header": "Bearer " + "a" * 100_000, "not ASCII": "Bearer é.é.é"}


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_forged_and_mangled_tokens_are_401(call, oidc, ids, name):
    for case, header in forged_headers(oidc, name).items():
        error = call(name, json_body=_body(name, ids), headers={"Authorization": header}, status=401, code="unauthenticated")
        assert header.removeprefix("Bearer ")[:40] not in error["message"], case  # the credential is never echoed


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_a_valid_token_is_refused_when_its_check_is_not_configured(settings, google, clock, tokens, docs, ids, name):
    """auth.audience (scheduler) or auth.addon_client_ids (add-on) unset: refused, the audience check is never skipped."""
    endpoint = ENDPOINTS[name]
    auth = dataclasses.replace(settings.auth, audience=None) if endpoint.who is None else dataclasses.replace(settings.auth, addon_client_ids=())
    client = create_app(dataclasses.replace(settings, auth=auth), google=google, clock=clock).test_client()
    headers = tokens.scheduler() if endpoint.who is None else tokens.person(endpoint.who)
    before = docs.snapshot()
    error = rejected(client.post(endpoint.path, json=_body(name, ids), headers=headers), 500, "config_error")
    assert ("auth.audience" if endpoint.who is None else "auth.addon_client_ids") in error["message"]
    assert docs.snapshot() == before


# --- manager links ------------------------------------------------------------------------------------------------

def test_mangled_links_are_403_and_change_nothing(client, docs, link_for, weekly_done):
    token = link_for()
    before = docs.snapshot()
    for bad in [token + "x", token[:-1], token.replace(".", ".."), token.upper(), "a" * 5000, "é", token.rsplit(".", 1)[0],
                "." + token]:
        error = rejected(client.get(f"/links/{bad}"), 403, "forbidden")
        assert token[:20] not in error["message"]
    for path in ["/links/%00", "/links/", f"/links/{token}/x", "/links/..%2f..%2flocal%2fdocs"]:  # not a link at all
        assert client.get(path).status_code in (403, 404), path
    assert docs.snapshot() == before


def test_a_link_whose_report_moved_to_another_manager_opens_nothing(client, docs, link_for, weekly_done):
    before = docs.snapshot()
    rejected(client.get(f"/links/{link_for(report='zoe@example.com', manager='vp@example.com')}"), 403, "forbidden")
    rejected(client.get(f"/links/{link_for(days=1, at=0)}"), 410, "gone")
    assert docs.snapshot() == before
