"""The addDocumentTab, deleteTab and updateDocumentTabProperties requests, and moving a tab."""

from __future__ import annotations

import unicodedata
from typing import Any

from .defaults import new_tab
from .requests import RequestContext
from .resource import tab_properties
from .tab import Tab, find, walk
from .text import is_cluster_boundary, to_units

_WRITABLE = {"title", "index", "iconEmoji", "parentTabId"}
# Google documents up to three levels of tabs (a tab, its child, its grandchild) in the editor's
# help; the API's limit is UNCONFIRMED and enforced here the same way.
MAX_NESTING_LEVEL = 2


def _check_emoji(ctx: RequestContext, value: Any) -> None:
    """DOCS-DD TabProperties.iconEmoji: a single emoji, else 400. Approximation of "a single emoji":
    one grapheme cluster whose first character is a symbol (So/Sk) or a regional indicator."""
    if value in (None, ""):
        return
    units = to_units(value) if isinstance(value, str) else ""
    single = bool(units) and all(not is_cluster_boundary(units, k) for k in range(1, len(units)))
    if not single or unicodedata.category(value[0]) not in ("So", "Sk"):
        raise ctx.error(f"The icon emoji {value!r} is not a single emoji.")


def _siblings(ctx: RequestContext, parent_id: Any) -> tuple[list[Tab], int]:
    """The child list of `parent_id` (the root list when empty) and the nesting level of its tabs."""
    if not parent_id:
        return ctx.tabs, 0
    for tab, _, _, level in walk(ctx.tabs):
        if tab.tab_id == parent_id:
            if level + 1 > MAX_NESTING_LEVEL:
                raise ctx.error(f"Tabs cannot be nested more than {MAX_NESTING_LEVEL + 1} levels deep.")
            return tab.children, level + 1
    raise ctx.error(f"The tab with ID '{parent_id}' was not found.")


def _index(ctx: RequestContext, value: Any, size: int) -> int:
    if value is None:
        return size
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ctx.error("tabProperties.index must be a non-negative integer.")
    return min(value, size)  # Choice (undocumented): an index past the end appends.


def _new_tab_id(ctx: RequestContext) -> str:
    # Observed tab ids look like "t.0" (the first tab) and "t.<12 lowercase letters/digits>"; UNCONFIRMED format.
    taken = {tab.tab_id for tab, _, _, _ in walk(ctx.tabs)}
    while True:
        candidate = "t." + ctx.ids.heading_id()[2:]
        if candidate not in taken:
            return candidate


def add_document_tab(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """A new empty tab at tabProperties.index of its parent (appended when omitted); later tabs move up."""
    ctx.check_keys(req, {"tabProperties"})
    props = req.get("tabProperties") or {}
    ctx.check_keys(props, {"tabId", "title", "index", "parentTabId", "nestingLevel", "iconEmoji"}, "tabProperties")
    if props.get("tabId"):
        raise ctx.error("tabProperties.tabId is output only when adding a tab.")  # UNCONFIRMED wording
    if props.get("nestingLevel"):
        raise ctx.error("tabProperties.nestingLevel is output only.")
    _check_emoji(ctx, props.get("iconEmoji"))
    siblings, _ = _siblings(ctx, props.get("parentTabId"))
    index = _index(ctx, props.get("index"), len(siblings))
    tab_id = _new_tab_id(ctx)
    # Choice (undocumented): an untitled tab is named "Tab N", N the number of tabs it makes.
    title = props.get("title") or f"Tab {sum(1 for _ in walk(ctx.tabs)) + 1}"
    tab = new_tab(tab_id, title)
    if props.get("iconEmoji"):
        tab.properties["iconEmoji"] = props["iconEmoji"]
    siblings.insert(index, tab)
    for tab, parent, position, level in walk(ctx.tabs):
        if tab.tab_id == tab_id:
            return {"addDocumentTab": {"tabProperties": tab_properties(tab, parent, position, level)}}
    raise AssertionError("the new tab is in the tree")


def delete_tab(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """Deletes a tab and its child tabs (DOCS-DD). Choice: the document's last tab cannot be deleted (400)."""
    ctx.check_keys(req, {"tabId"})
    found = find(ctx.tabs, str(req.get("tabId") or ""))
    if found is None:
        raise ctx.error(f"The tab with ID '{req.get('tabId')}' was not found.")
    tab, siblings = found
    if siblings is ctx.tabs and len(ctx.tabs) == 1:
        raise ctx.error("A document must keep at least one tab.")
    siblings.remove(tab)
    return {}


def move_tab(ctx: RequestContext, tab_id: str, parent_id: Any, index: int | None) -> None:
    """Put a tab (with its children) at `index` among the children of `parent_id` (root when empty)."""
    found = find(ctx.tabs, tab_id)
    if found is None:
        raise ctx.error(f"The tab with ID '{tab_id}' was not found.")
    tab, siblings = found
    if parent_id and any(t.tab_id == parent_id for t, _, _, _ in walk([tab])):
        raise ctx.error("A tab cannot be moved under itself.")
    siblings.remove(tab)
    target, _ = _siblings(ctx, parent_id)
    target.insert(_index(ctx, index, len(target)), tab)


def update_document_tab_properties(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    """title, iconEmoji, index (reordering within the parent) and parentTabId (moving) of a tab."""
    ctx.check_keys(req, {"tabProperties", "fields"})
    props = req.get("tabProperties") or {}
    ctx.check_keys(props, {"tabId", "title", "index", "parentTabId", "nestingLevel", "iconEmoji"}, "tabProperties")
    fields = ctx.fields(req.get("fields"), _WRITABLE | {"nestingLevel", "tabId"})
    if fields & {"nestingLevel", "tabId"}:
        raise ctx.error("tabProperties.tabId and nestingLevel cannot be updated.")
    tab_id = props.get("tabId")
    found = find(ctx.tabs, str(tab_id or ""))
    if found is None:
        raise ctx.error(f"The tab with ID '{tab_id}' was not found.")
    tab = found[0]
    if "title" in fields:
        if not props.get("title"):
            raise ctx.error("A tab's title cannot be empty.")  # Choice: the editor refuses one too.
        tab.properties["title"] = props["title"]
    if "iconEmoji" in fields:
        _check_emoji(ctx, props.get("iconEmoji"))
        if props.get("iconEmoji"):
            tab.properties["iconEmoji"] = props["iconEmoji"]
        else:
            tab.properties.pop("iconEmoji", None)
    if fields & {"index", "parentTabId"}:
        parent = props.get("parentTabId") if "parentTabId" in fields else _parent_id(ctx, tab)
        move_tab(ctx, tab.tab_id, parent, props.get("index", 0) if "index" in fields else None)
    return {}


def _parent_id(ctx: RequestContext, tab: Tab) -> str | None:
    for node, parent, _, _ in walk(ctx.tabs):
        if node is tab:
            return parent.tab_id if parent is not None else None
    return None
