"""The emulator's layering: no import cycles, nothing from Docket outside it, APIs depend only downward."""

from __future__ import annotations

import ast
from pathlib import Path

import service.emulator

ROOT = Path(service.emulator.__file__).parent
# API subpackage -> the other API subpackages it may import (Docs documents and spreadsheets are Drive files).
ALLOWED_API_DEPENDENCIES = {"docs": {"drive"}, "drive": set(), "sheets": {"drive"}, "calendar": set()}
# Top-level modules that compose the APIs; every other top-level module is infrastructure and knows none.
# The top-level modules that put several APIs together (workdata_apis: Zendesk and GitLab beside Docs and Drive).
COMPOSING = {"service.emulator.apis", "service.emulator.store", "service.emulator.faults", "service.emulator.workdata_apis"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = ("service", "emulator", *path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every module `name` imports, at any depth (lazy and TYPE_CHECKING imports included)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {t for t in _imports(name, path) if t in modules and t != name} for name, path in modules.items()}


def test_the_emulator_imports_nothing_of_docket_outside_it() -> None:
    outside = sorted(
        (name, target)
        for name, path in _modules().items()
        for target in _imports(name, path)
        if target.split(".")[0] == "service" and not target.startswith("service.emulator")
    )
    assert outside == []


def test_there_is_no_import_cycle_inside_the_emulator() -> None:
    graph = _graph()
    cycles = []
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(trail)
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, trail + [nxt]))
    assert cycles == []


def test_apis_depend_only_on_the_top_level_and_on_the_apis_they_are_allowed() -> None:
    wrong = []
    for name, targets in _graph().items():
        parts = name.split(".")
        for target in targets:
            target_parts = target.split(".")
            if len(target_parts) < 4:
                continue  # a top-level module (or the package itself)
            api, target_api = (parts[2] if len(parts) >= 4 else None), target_parts[2]
            if api == target_api:
                continue
            if api is None:
                if name not in COMPOSING:
                    wrong.append((name, target))
                continue
            if target_api not in ALLOWED_API_DEPENDENCIES.get(api, set()):
                wrong.append((name, target))
    assert wrong == []


def test_the_top_level_keeps_its_import_paths() -> None:
    import importlib

    for name in ("bootstrap", "transport", "wsgi", "store", "faults", "errors", "call"):
        importlib.import_module(f"service.emulator.{name}")
    from service.emulator.errors import ApiError
    from service.emulator.store import Store

    assert ApiError and Store
