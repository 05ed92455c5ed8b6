"""Loads the Markdown + Jinja2 templates of doc_templates/ and renders them into Docs-ready sections."""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2

from service.errors import ConfigError
from service.render.literals import Literal, LiteralRegistry, chip, clean, literal, wrap
from service.render.markdown import parse
from service.render.requests import Rendered

__all__ = ["Literal", "Rendered", "TemplateLibrary", "literal"]


class _PackageLoader(jinja2.BaseLoader):
    """Reads templates through importlib.resources, so they load from a wheel or a zip as well as a checkout."""

    def __init__(self, root: Traversable) -> None:
        self._root = root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        node = self._root
        for part in template.split("/"):
            if part in ("", ".", ".."):
                raise jinja2.TemplateNotFound(template)
            node = node.joinpath(part)
        if not node.is_file():
            raise jinja2.TemplateNotFound(template)
        # Private-use characters are stripped from the source, so the only ones in
        # the output are the tokens that stand for literals.
        return clean(node.read_text(encoding="utf-8")), None, lambda: True


class _Environment(jinja2.Environment):
    """Every string a template reads from its context, at any depth, arrives as a Literal."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        return wrap(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return wrap(super().getitem(obj, argument))


class TemplateLibrary:
    """The templates of one doc_templates directory; `render` gives a section ready to insert."""

    def __init__(self, root: Path | None = None) -> None:
        source: Traversable = root if root is not None else importlib.resources.files("doc_templates")
        self._root = source
        self._env = _Environment(
            loader=_PackageLoader(source),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # the output is Markdown, not HTML; literals protect user text instead
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self._env.globals["chip"] = chip

    def render(self, name: str, context: Mapping[str, object]) -> Rendered:
        """Render template `name` (e.g. "one_on_one/week.md") with `context`.

        Every string in `context` is inserted literally (see `literal`); a
        missing variable, a missing template or Markdown Docs cannot hold raises
        ConfigError naming the template.
        """
        registry = LiteralRegistry()
        try:
            with registry.active():
                output = self._env.get_template(name).render({key: wrap(value) for key, value in context.items()})
        except jinja2.TemplateNotFound as error:
            raise ConfigError(f"no template named '{error.name}'", file=name) from None
        except jinja2.UndefinedError as error:
            raise ConfigError(f"template variable is undefined: {error.message}", file=name) from None
        except jinja2.TemplateSyntaxError as error:
            raise ConfigError(f"template syntax error on line {error.lineno}: {error.message}", file=name) from None
        try:
            blocks = parse(registry.clean_output(output), registry.texts, registry.chips, registry.rich)
        except ConfigError as error:
            raise ConfigError(error.message, file=name) from None
        return Rendered.from_blocks(blocks)
