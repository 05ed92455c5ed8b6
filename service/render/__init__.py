"""Rendering: Markdown + Jinja2 templates (doc_templates/) → text and Docs batchUpdate requests."""

from __future__ import annotations

from service.render.blocks import Block, Span, utf16_len
from service.render.requests import Rendered
from service.render.templates import Literal, TemplateLibrary, literal

__all__ = ["Block", "Literal", "Rendered", "Span", "TemplateLibrary", "literal", "utf16_len"]
