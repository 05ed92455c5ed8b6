"""The layering rules of docs/architecture.md, checked on the imports of every module (so a shortcut fails CI)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SERVICE = Path(__file__).resolve().parents[1] / "service"


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            package = ".".join(path.relative_to(SERVICE.parent).with_suffix("").parts[: -node.level])
            found.add(f"{package}.{node.module}" if node.module else package)
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((SERVICE / folder).rglob("*.py"))


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("layer", ["meetings", "render", "google"])
def test_use_cases_renderer_and_google_seam_import_no_flask(layer):
    offenders = {str(p.relative_to(SERVICE)): sorted(i for i in _imports(p) if _under(i, "flask") or _under(i, "werkzeug"))
                 for p in _modules(layer)}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_emulator_imports_nothing_else_of_docket():
    offenders = {str(p.relative_to(SERVICE)): sorted(i for i in _imports(p) if _under(i, "service")
                                                     and not _under(i, "service.emulator"))
                 for p in _modules("emulator")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_triggers_never_build_docs_requests():
    offenders = {str(p.relative_to(SERVICE)): sorted(i for i in _imports(p) if _under(i, "service.render")
                                                     or i in ("service.sections", "service.meetings.agenda_items"))
                 for p in _modules("triggers")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_nothing_but_the_cli_and_the_app_reaches_the_emulator_directly():
    # The seams to the in-process emulators: Google's, and the demo Zendesk/GitLab of the embedded default.
    allowed = {"cli.py", "google/clients.py", "workdata/embedded.py"}
    offenders = {str(p.relative_to(SERVICE)) for p in SERVICE.rglob("*.py")
                 if "emulator" not in p.relative_to(SERVICE).parts[:1]
                 and any(_under(i, "service.emulator") for i in _imports(p))}
    assert offenders <= allowed
