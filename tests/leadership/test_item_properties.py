"""Property: over any sequence of discussion, FYI and confidential items, no confidential text reaches the agenda and every item lands exactly once, in order."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from service.calendar import Week
from service.emulator.bootstrap import DEFAULT_IDENTITY, open_store
from service.emulator.wsgi import create_emulator_app
from service.services import Services
from service.meetings.agenda_items import strip_fyi_prefix
from service.meetings.leadership import Leadership
from service.settings import load_settings
from tests.conftest import ROSTER, SHARED_DRIVE, Docs, google_on
from tests.leadership.conftest import FIXED_NOW, agenda_lines, confidential_lines

NAMES = {"vp@example.com": "Valentina Perez", "maria@example.com": "María García"}
DAY = "2026-11-18"

# Any one-line text people type, emoji and other non-BMP characters included.
_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Zl", "Zp", "Cf")),
    min_size=1, max_size=30,
).filter(lambda t: t.strip())
_item = st.tuples(st.sampled_from(("discussion", "fyi", "confidential")), st.sampled_from(sorted(NAMES)), _line)


def _fresh_engine(root: Path) -> tuple[Services, object]:
    config = root / "docket.toml"
    config.write_text(ROSTER.format(drive=SHARED_DRIVE), encoding="utf-8")
    settings = load_settings(str(config), env={"DOCKET_DATA_DIR": str(root / "data")})
    store = open_store(settings.data_dir, shared_drive_id=SHARED_DRIVE)
    engine = Services.build(settings, google_on(create_emulator_app(store, default_identity=DEFAULT_IDENTITY)))
    engine.writer.sleep = lambda _s: None
    return engine, store


@hyp_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_item, min_size=1, max_size=6))
def test_confidential_text_never_reaches_the_agenda_and_every_item_lands_once(items):
    with tempfile.TemporaryDirectory() as tmp:
        engine, store = _fresh_engine(Path(tmp))
        leadership = Leadership(engine, clock=lambda: FIXED_NOW)
        week = Week.of(date(2026, 11, 18))
        expected_agenda, expected_entries, secrets = [], [], []
        outcome = None
        for n, (kind, author, text) in enumerate(items):
            name = NAMES[author]
            if kind == "confidential":
                # A marker makes each confidential text unique, so "never in the agenda" is checkable.
                text = f"⟦secret-{n}⟧ {text}"
                secrets.append(text.strip())
                expected_agenda.append(f"Confidential item — {name} — see the confidential doc")
                expected_entries.append(f"{text.strip()} — {name}, added 2026-11-18 10:04 EST")
            else:
                line = text.strip()
                if kind == "fyi":
                    line = strip_fyi_prefix(line)
                    if not line:
                        continue  # "FYI" alone is refused; covered elsewhere
                    line = f"FYI: {line}"
                expected_agenda.append(f"{line} — {name}")
            outcome = leadership.add_item(author=author, text=text, kind=kind, week=week)
        docs = Docs(engine.google, store)
        agenda_id, confidential_id = docs.ids("leadership_agenda")[0], docs.ids("leadership_confidential")[0]
        agenda_json = json.dumps(docs.get(agenda_id), ensure_ascii=False)
        assert "⟦secret-" not in agenda_json
        for secret in secrets:
            assert secret not in agenda_json
        assert agenda_lines(docs, agenda_id, DAY) == expected_agenda
        assert confidential_lines(docs, confidential_id, DAY) == expected_entries
        if outcome:
            assert outcome.document_id == agenda_id
