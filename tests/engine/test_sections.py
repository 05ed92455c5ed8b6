"""The section writer's guarded write loop against the emulator, including Google answers we can only anticipate."""

from __future__ import annotations

import pytest

from service.emulator.bootstrap import DEFAULT_IDENTITY
from service.emulator.errors import ApiError
from service.emulator.wsgi import create_emulator_app
from service.services import Services
from service.errors import GoogleApiError
from service.meetings.one_on_one import OneOnOnes
from tests.conftest import google_on


def _human_edit(store, document_id: str, text: str) -> None:
    """Maria types a line at the start of the doc (as the Docs editor would, between Docket's read and write)."""
    with store.transaction() as state:
        doc = state.document(document_id)
        doc.batch_update({"requests": [{"insertText": {"location": {"index": 1}, "text": text}}]}, state.ids)
        state.put_document(doc)


def test_a_stale_revision_reported_in_other_words_is_still_re_planned(settings, store, week):
    calls = {"writes": 0}
    doc = {}

    def hook(identity, api, method, path):
        if api == "docs" and path.endswith(":batchUpdate") and doc and calls["writes"] == 0:
            calls["writes"] += 1
            _human_edit(store, doc["id"], "Typed first ✍️\n")
            # What if Google words the stale-revision 400 differently from the observed message?
            raise ApiError(400, "Precondition check failed.", status="FAILED_PRECONDITION")

    engine = Services.build(settings, google_on(create_emulator_app(store, default_identity=DEFAULT_IDENTITY, before_request=hook)))
    pair = settings.one_on_ones[0]
    from datetime import date

    from service.calendar import Week

    first = OneOnOnes(engine).ensure_week(pair, Week.of(date(2026, 11, 11)))
    doc["id"] = first.document_id
    outcome = OneOnOnes(engine).ensure_week(pair, week)
    assert outcome.action == "appended" and calls["writes"] == 1
    text = engine.google.documents.get(documentId=first.document_id).execute()
    body = "".join(r["textRun"]["content"] for e in text["body"]["content"] if "paragraph" in e
                   for r in e["paragraph"]["elements"] if "textRun" in r)
    assert body.startswith("Typed first ✍️\n") and body.count("2026-11-17") == 1


def test_a_400_on_an_unchanged_document_is_a_real_refusal(settings, store, week):
    def hook(identity, api, method, path):
        if api == "docs" and path.endswith(":batchUpdate"):
            raise ApiError(400, "Invalid requests[0].insertText: something Docket got wrong.")

    engine = Services.build(settings, google_on(create_emulator_app(store, default_identity=DEFAULT_IDENTITY, before_request=hook)))
    # The request Google names, not its message (a 400's message may quote what was sent).
    with pytest.raises(GoogleApiError, match=r"400 INVALID_ARGUMENT \(at requests\[0\]\.insertText;"):
        OneOnOnes(engine).ensure_week(settings.one_on_ones[0], week)
    assert engine.google.stats.counts["docs.batchUpdate"] == 1  # not retried blindly
