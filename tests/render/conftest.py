"""Fixtures for the renderer tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from service.render.templates import TemplateLibrary


@pytest.fixture
def library() -> TemplateLibrary:
    return TemplateLibrary()


@pytest.fixture
def scratch(tmp_path: Path) -> TemplateLibrary:
    """A library over a temporary directory; add templates with `write_template`."""
    return TemplateLibrary(tmp_path)


@pytest.fixture
def write_template(tmp_path: Path) -> Callable[[str, str], None]:
    def write(name: str, text: str) -> None:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return write
