"""Readable HTML views of the documents on the embedded and emulator backends: GET /local/docs and /local/docs/<id>.

A viewer, not a trigger: it reads, never writes. Registered only when documents do not live in
Google (there, people read them in Google Docs). These views have no login: they show what the
local emulator holds, for the person running Docket on their own machine. A kind whose text is
withheld (the confidential doc) shows only its notice (`meetings.reading`), unless the page is
opened with a member's signed link (`?link=<token>`, `docket link --confidential --member EMAIL`):
a link scoped to that one document and that one member, who must still be one of its
participants when the page is opened. The token is never logged (request logs carry the path,
not the query string). Everything is escaped by Jinja2's autoescape, and only http(s)/mailto
links are made clickable.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, request
from jinja2 import Environment

from service.app_context import now, per_app, services
from service.errors import Forbidden
from service.google.document_view import ViewBlock, ViewSpan, view_blocks
from service.meetings.reading import read_for
from service.triggers.links import member_link_signer

log = logging.getLogger(__name__)

blueprint = Blueprint("local", __name__)

_SAFE_HREF = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
_DOCS_HEADING = re.compile(r"^https://docs\.google\.com/document/d/([^/]+)/edit#heading=([A-Za-z0-9._-]+)$")


@dataclass
class ListNode:
    kind: str  # checkbox | number | bullet
    items: list[ItemNode] = field(default_factory=list)


@dataclass
class ItemNode:
    block: ViewBlock
    children: list[ListNode] = field(default_factory=list)


def href_of(span: ViewSpan, document_id: str) -> str | None:
    """Where a link points in the local view: a heading of this doc stays in the page; unsafe schemes are dropped."""
    if not span.link:
        return None
    heading = _DOCS_HEADING.match(span.link)
    if heading and heading.group(1) == document_id:
        return f"#{heading.group(2)}"
    if heading:
        return f"/local/docs/{heading.group(1)}#{heading.group(2)}"
    return span.link if _SAFE_HREF.match(span.link) else None


def outline(blocks: list[ViewBlock]) -> list[Any]:
    """Blocks grouped for HTML: runs of list paragraphs become nested ListNodes by depth and kind."""
    out: list[Any] = []
    stack: list[ListNode] = []  # the open lists, outermost first; stack[d] is at depth d
    for block in blocks:
        if not block.list_kind:
            stack = []
            out.append(block)
            continue
        depth = min(block.depth, len(stack))  # a jump of several levels nests one level deeper
        del stack[depth + 1:]
        if len(stack) > depth and stack[depth].kind != block.list_kind:
            del stack[depth:]
        if len(stack) <= depth:
            node = ListNode(block.list_kind)
            if depth == 0:
                out.append(node)
            else:
                parent = stack[depth - 1]
                if not parent.items:  # pragma: no cover - a list is only opened with an item
                    parent.items.append(ItemNode(block))
                parent.items[-1].children.append(node)
            stack.append(node)
        stack[depth].items.append(ItemNode(block))
    return out


_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_ENV.globals["href_of"] = href_of

_SPANS = """{% macro spans(block, doc_id) %}{% for s in block.spans %}{% set h = href_of(s, doc_id) %}
{% if h %}<a href="{{ h }}"{% if h.startswith('mailto:') %} class="person"{% endif %}>{% endif %}
{% if s.suggestion == 'insert' %}<ins title="suggested">{% elif s.suggestion == 'delete' %}<del title="suggested deletion">{% endif %}
{% if s.chip %}<span class="chip">{% endif %}{% if s.bold %}<strong>{% endif %}{% if s.italic %}<em>{% endif %}{{ s.text }}{% if s.italic %}</em>{% endif %}{% if s.bold %}</strong>{% endif %}{% if s.chip %}</span>{% endif %}
{% if s.suggestion == 'insert' %}</ins>{% elif s.suggestion == 'delete' %}</del>{% endif %}
{% if h %}</a>{% endif %}{% endfor %}{% endmacro %}
{% macro list(node, doc_id) %}
<{{ 'ol' if node.kind == 'number' else 'ul' }} class="{{ node.kind }}">
{% for item in node.items %}
<li>{% if node.kind == 'checkbox' %}<input type="checkbox" disabled aria-label="checklist item"> {% endif %}{{ spans(item.block, doc_id) }}
{% for child in item.children %}{{ list(child, doc_id) }}{% endfor %}</li>
{% endfor %}
</{{ 'ol' if node.kind == 'number' else 'ul' }}>
{% endmacro %}"""

_PAGE = _ENV.from_string(_SPANS + """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} · Docket</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #202124; }
nav { font-size: .9rem; margin-bottom: 1.5rem; } ul.checkbox { list-style: none; padding-left: 1.2rem; }
:target { background: #fff3c4; } .notice { padding: 1rem; border: 1px solid #d93025; border-radius: .3rem; }
.kind { color: #5f6368; font-size: .85rem; } a.person { text-decoration: none; border-bottom: 1px dotted; }
.chip { background: #e8f0fe; border-radius: .8rem; padding: 0 .45rem; font-size: .9em; } ins { color: #188038; } del { color: #d93025; }
.reader { font-size: .85rem; color: #5f6368; border-left: 3px solid #d93025; padding-left: .5rem; }
</style></head><body>
<nav><a href="/local/docs">All documents</a>{% if doc_id %} · <span class="kind">{{ kind }}</span> · <code>{{ doc_id }}</code>{% endif %}</nav>
{% if notice %}<h1>{{ title }}</h1><p class="notice" role="note">{{ notice }}</p>{% endif %}
{% if reader %}<p class="reader" role="note">Shown to {{ reader }} through a signed link, valid until {{ until }}. Do not share this page or its address.</p>{% endif %}
{% if documents is not none %}<h1>{{ title }}</h1>
{% if documents %}<ul>{% for d in documents %}<li><a href="/local/docs/{{ d.id }}">{{ d.name }}</a> <span class="kind">{{ d.kind }}</span></li>{% endfor %}</ul>
{% else %}<p>No documents yet: run <code>docket weekly</code>.</p>{% endif %}
{% endif %}
{% for part in parts %}
{% if part.items is defined %}{{ list(part, doc_id) }}
{% elif part.heading_level %}<h{{ [part.heading_level, 6]|min }}{% if part.heading_id %} id="{{ part.heading_id }}"{% endif %}>{{ spans(part, doc_id) }}</h{{ [part.heading_level, 6]|min }}>
{% elif part.spans %}<p>{{ spans(part, doc_id) }}</p>
{% endif %}
{% endfor %}
</body></html>
""")


def _page(**context: Any) -> Response:
    context.setdefault("documents", None)
    context.setdefault("parts", [])
    context.setdefault("notice", None)
    context.setdefault("doc_id", None)
    context.setdefault("kind", None)
    context.setdefault("reader", None)
    response = Response(_PAGE.render(**context), mimetype="text/html")
    # Read-only pages of local documents: never framed, never cached, no third-party loads.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/local/docs")
def index():  # noqa: ANN201 (a Flask view)
    return _page(title="Docket documents", documents=services().registry.all_documents())


@blueprint.get("/local/docs/<document_id>")
def show(document_id: str):  # noqa: ANN201
    svc = services()
    token = request.args.get("link")
    claims = None
    if token is not None:
        links = per_app("member_links", lambda: member_link_signer(svc.settings, clock=lambda: now().timestamp()))
        claims = links.open(token)  # Forbidden / Gone before anything is read
        if claims.document_id != document_id:
            raise Forbidden("this link opens another document")
    reading = read_for(svc, document_id, claims.viewer if claims else None)
    doc = reading.doc
    if claims is not None:
        log.info("document opened with a member link", extra={"document_id": doc.id, "kind": doc.kind, "actor": claims.viewer,
                                                               "action": "withheld" if reading.resource is None else "shown"})
    if reading.resource is None:
        return _page(title=doc.name, notice=reading.notice, doc_id=doc.id, kind=doc.kind)
    reader = None if claims is None else claims.viewer
    until = None if claims is None else claims.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    return _page(title=doc.name, parts=outline(view_blocks(reading.resource)), doc_id=doc.id, kind=doc.kind,
                 reader=reader, until=until)
