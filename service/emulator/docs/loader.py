"""Reading a `documents.get` response body (tabs or legacy form) into the document model, validating it on the way."""

from __future__ import annotations

from typing import Any

from service.emulator.errors import ApiError

from .named_ranges import NamedRange, Span
from .paragraphs import ELEMENT_KINDS, Block, Item, Paragraph, Run, shift_indexes
from .segment import Segment
from .tab import FIRST_TAB_ID, PASSTHROUGH_FIELDS, SEGMENT_KINDS, DocumentTab, Tab
from .text import to_units

_BLOCK_KINDS = ("sectionBreak", "table", "tableOfContents")
_ID_KEYS = {"headers": "headerId", "footers": "footerId", "footnotes": "footnoteId"}
DEFAULT_FIRST_TAB_TITLE = "Tab 1"  # the Docs editor's name for a document's first tab


class InvalidDocument(ApiError):
    """A body that is not a document as documents.get returns it: answered 400, nothing changed."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(400, f"Invalid document at '{where}': {detail}")


def _dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidDocument(where, "expected an object")
    return value


def _int(value: Any, where: str) -> int:
    if value is None:
        return 0  # proto3: a zero index is omitted
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidDocument(where, "expected a non-negative integer")
    return value


def _paragraph(element: dict[str, Any], start: int, end: int, where: str) -> Paragraph:
    body = _dict(element["paragraph"], f"{where}.paragraph")
    runs: list[Run] = []
    pos = start
    for n, raw in enumerate(body.get("elements") or []):
        here = f"{where}.paragraph.elements[{n}]"
        raw = _dict(raw, here)
        e_start, e_end = _int(raw.get("startIndex"), f"{here}.startIndex"), _int(raw.get("endIndex"), f"{here}.endIndex")
        if e_start != pos or e_end <= e_start:
            raise InvalidDocument(here, f"indexes {e_start}-{e_end} do not continue at {pos}")
        kinds = [k for k in raw if k not in ("startIndex", "endIndex")]
        if len(kinds) != 1:
            raise InvalidDocument(here, "a paragraph element holds exactly one kind")
        kind = kinds[0]
        value = _dict(raw[kind], f"{here}.{kind}")
        if kind == "textRun":
            units = to_units(value.get("content", ""))
            if not isinstance(value.get("content"), str) or len(units) != e_end - e_start:
                raise InvalidDocument(here, "the text's UTF-16 length differs from its indexes")
            extra = {k: v for k, v in value.items() if k not in ("content", "textStyle")} or None
            runs.append(Run(units, value.get("textStyle", {}), None, None, extra))
        elif kind in ELEMENT_KINDS:
            payload = {k: v for k, v in value.items() if k != "textStyle"}
            runs.append(Run("\ue907" * (e_end - e_start), value.get("textStyle", {}), kind, payload, None,
                            "textStyle" in value))
        else:
            raise InvalidDocument(here, f"unknown paragraph element {kind!r}")
        pos = e_end
    if pos != end:
        raise InvalidDocument(where, f"the elements end at {pos}, the paragraph at {end}")
    text = "".join(r.text for r in runs)
    if not text.endswith("\n") or "\n" in text[:-1]:
        raise InvalidDocument(where, "a paragraph ends with its one newline")
    extra = {k: v for k, v in body.items() if k not in ("elements", "paragraphStyle", "bullet")} or None
    # Runs are kept as given (not re-merged), so what was loaded is returned element for element.
    return Paragraph(tuple(runs), body.get("paragraphStyle", {}), body.get("bullet"), extra, text)


def segment(content: Any, where: str, *, body: bool) -> Segment:
    if not isinstance(content, list) or not content:
        raise InvalidDocument(where, "a segment holds at least one structural element")
    items: list[Item] = []
    pos = 0
    for n, raw in enumerate(content):
        here = f"{where}[{n}]"
        raw = _dict(raw, here)
        start, end = _int(raw.get("startIndex"), f"{here}.startIndex"), _int(raw.get("endIndex"), f"{here}.endIndex")
        if start != pos or end <= start:
            raise InvalidDocument(here, f"indexes {start}-{end} do not continue at {pos}")
        kinds = [k for k in raw if k not in ("startIndex", "endIndex")]
        if len(kinds) != 1 or kinds[0] not in ("paragraph", *_BLOCK_KINDS):
            raise InvalidDocument(here, "a structural element is one paragraph, sectionBreak, table or tableOfContents")
        kind = kinds[0]
        if kind == "paragraph":
            items.append(_paragraph(raw, start, end, here))
        else:
            items.append(Block(kind, shift_indexes(_dict(raw[kind], f"{here}.{kind}"), -start), end - start))
        pos = end
    if body and not (isinstance(items[0], Block) and items[0].kind == "sectionBreak"):
        raise InvalidDocument(where, "a body starts with a section break")
    if not isinstance(items[-1], Paragraph):
        raise InvalidDocument(where, "a segment ends with a paragraph")
    return Segment(items)


def _named_ranges(raw: Any, tab: DocumentTab, where: str) -> dict[str, NamedRange]:
    out: dict[str, NamedRange] = {}
    for name, group in _dict(raw, where).items():
        for n, nr in enumerate(_dict(group, f"{where}.{name}").get("namedRanges") or []):
            here = f"{where}.{name}.namedRanges[{n}]"
            nr = _dict(nr, here)
            spans = []
            for k, span in enumerate(nr.get("ranges") or []):
                span = _dict(span, f"{here}.ranges[{k}]")
                seg_id = span.get("segmentId") or ""
                seg = tab.segment(seg_id)
                start, end = _int(span.get("startIndex"), here), _int(span.get("endIndex"), here)
                if seg is None or not start < end <= seg.end:
                    raise InvalidDocument(f"{here}.ranges[{k}]", "the range is outside its segment")
                spans.append(Span(seg_id, start, end))
            range_id = nr.get("namedRangeId")
            if not isinstance(range_id, str) or not range_id or range_id in out:
                raise InvalidDocument(here, "every named range has its own namedRangeId")
            out[range_id] = NamedRange(range_id, str(nr.get("name", name)), tuple(spans))
    return out


def document_tab(raw: Any, where: str) -> DocumentTab:
    raw = _dict(raw, where)
    body = _dict(raw.get("body"), f"{where}.body")
    tab = DocumentTab(segment(body.get("content"), f"{where}.body.content", body=True))
    for kind in SEGMENT_KINDS:
        for segment_id, value in _dict(raw.get(kind) or {}, f"{where}.{kind}").items():
            value = _dict(value, f"{where}.{kind}.{segment_id}")
            if value.get(_ID_KEYS[kind], segment_id) != segment_id or segment_id in tab.segments:
                raise InvalidDocument(f"{where}.{kind}.{segment_id}", "the id differs from its key, or is used twice")
            tab.segments[segment_id] = (kind, segment(value.get("content"), f"{where}.{kind}.{segment_id}.content",
                                                      body=False))
    tab.lists = {k: _dict(v, f"{where}.lists.{k}") for k, v in _dict(raw.get("lists") or {}, f"{where}.lists").items()}
    tab.dropdowns = dict(_dict(raw.get("dropdownDefinitions") or {}, f"{where}.dropdownDefinitions"))
    tab.fields = {name: raw[name] for name in PASSTHROUGH_FIELDS if name in raw}
    tab.named_ranges = _named_ranges(raw.get("namedRanges") or {}, tab, f"{where}.namedRanges")
    return tab


def tabs_from(body: dict[str, Any]) -> list[Tab]:
    """The tab tree of a documents.get body: its `tabs`, or (legacy form) one tab "t.0" from the
    top-level fields. Computed TabProperties (index, nestingLevel, parentTabId) are recomputed
    from the tree on output, so they are dropped here; tab ids must be unique."""
    body = _dict(body, "document")
    if body.get("tabs"):
        seen: set[str] = set()

        def one(raw: Any, where: str) -> Tab:
            raw = _dict(raw, where)
            props = dict(_dict(raw.get("tabProperties") or {}, f"{where}.tabProperties"))
            tab_id = props.get("tabId")
            if not isinstance(tab_id, str) or not tab_id or tab_id in seen:
                raise InvalidDocument(f"{where}.tabProperties.tabId", "every tab has its own tabId")
            seen.add(tab_id)
            for computed in ("index", "nestingLevel", "parentTabId"):
                props.pop(computed, None)
            children = [one(child, f"{where}.childTabs[{n}]") for n, child in enumerate(raw.get("childTabs") or [])]
            return Tab(props, document_tab(raw.get("documentTab"), f"{where}.documentTab"), children)

        if not isinstance(body["tabs"], list):
            raise InvalidDocument("document.tabs", "expected a list")
        return [one(raw, f"document.tabs[{n}]") for n, raw in enumerate(body["tabs"])]
    if "body" not in body:
        raise InvalidDocument("document", "a document has `tabs` or (legacy form) a `body`")
    return [Tab({"tabId": FIRST_TAB_ID, "title": DEFAULT_FIRST_TAB_TITLE}, document_tab(body, "document"))]
