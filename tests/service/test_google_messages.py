"""Google's error messages can quote what was sent; Docket's own messages (HTTP bodies, logs, CLI) never pass the quote on.

A Docs 400 quotes the value it refused, and an unknown-name 400 the name as sent; the captures in
captures/google_400_messages.json are live messages (the file names its source). Docket keeps the request path
Google names and withholds the rest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.app import create_app
from service.emulator.errors import ApiError
from service.emulator.wsgi import create_emulator_app
from service.errors import GoogleApiError
from tests.conftest import google_on
from tests.service.conftest import doc_of

CAPTURES = json.loads((Path(__file__).parent / "captures" / "google_400_messages.json").read_text(encoding="utf-8"))
CANARY = "CANARY-91c2 Dana's salary is 123k"


class Refusals:
    """An emulator hook: while `message` is set, Docs batchUpdates are refused 400 with it, as Google would."""

    def __init__(self) -> None:
        self.message: str | None = None

    def __call__(self, identity: str, api: str, method: str, path: str) -> None:
        if self.message is not None and path.endswith(":batchUpdate"):
            raise ApiError(400, self.message)


@pytest.fixture
def refusals() -> Refusals:
    return Refusals()


@pytest.fixture
def refusing_google(store: Any, refusals: Refusals) -> Any:
    return google_on(create_emulator_app(store, before_request=refusals))


@pytest.mark.parametrize("capture", CAPTURES["messages"], ids=lambda c: c["message"][:48])
def test_a_google_400_keeps_the_path_it_names_and_never_its_quotes(refusing_google, refusals, capture):
    refusals.message = capture["message"]
    request = refusing_google.documents.batchUpdate(documentId="1abc", body={"requests": []})
    with pytest.raises(GoogleApiError) as info:
        refusing_google.call(request, "documents.batchUpdate 1abc", method="docs.batchUpdate")
    message = info.value.message
    assert message.startswith("documents.batchUpdate 1abc: Google answered 400"), message
    if capture["quotes"]:
        assert capture["quotes"] not in message
    if capture["path"]:
        assert f"at {capture['path']};" in message
    assert "withheld" in message


def test_a_google_400_quoting_an_agenda_item_reaches_neither_the_caller_nor_the_logs(
        settings, refusing_google, refusals, clock, tokens, capsys):
    app = create_app(settings, google=refusing_google, clock=clock)
    app.extensions["docket"].writer.sleep = lambda _s: None
    client = app.test_client()
    made = client.post("/tasks/weekly", headers=tokens.scheduler())
    assert made.status_code == 200, made.get_json()
    agenda = doc_of(made.get_json(), "leadership_agenda")
    # Google's wording for a value it refused, here quoting the item's text back.
    refusals.message = f"Invalid value at 'requests[3].insert_text.text' (TYPE_STRING), \"{CANARY}\""
    capsys.readouterr()
    response = client.post("/addon/items", json={"documentId": agenda, "text": CANARY, "kind": "discussion"},
                           headers=tokens.person("maria@example.com"))
    assert response.status_code == 502, response.get_data(as_text=True)
    body = response.get_data(as_text=True)
    assert "requests[3].insert_text.text" in body
    logged = capsys.readouterr()
    for text in (body, logged.out, logged.err):
        assert "CANARY" not in text and "salary" not in text
