"""documents.get's suggestionsViewMode: the stored content with suggestions applied or removed, indexes recomputed."""

from __future__ import annotations

from typing import Any

from .named_ranges import shift_for_delete
from .paragraphs import Paragraph, Run, Style
from .segment import Segment
from .tab import DocumentTab, Tab

_RUN_SUGGESTION_KEYS = ("suggestedInsertionIds", "suggestedDeletionIds", "suggestedTextStyleChanges")
_PARAGRAPH_SUGGESTION_KEYS = ("suggestedParagraphStyleChanges", "suggestedBulletChanges", "suggestedPositionedObjectIds")
_TAB_SUGGESTION_FIELDS = ("suggestedDocumentStyleChanges", "suggestedNamedStylesChanges")


def _ids(run: Run, key: str) -> list[Any]:
    source = run.extra if run.kind is None else run.payload
    return list((source or {}).get(key) or [])


def _accepted_style(run: Run) -> Style:
    """A run's text style with its suggested text style changes applied: each field marked in
    textStyleSuggestionState takes the suggested value (or is reset when the suggestion has none)."""
    style = dict(run.style)
    changes = (run.extra if run.kind is None else run.payload) or {}
    for change in (changes.get("suggestedTextStyleChanges") or {}).values():
        suggested = change.get("textStyle") or {}
        for flag, on in (change.get("textStyleSuggestionState") or {}).items():
            if on and flag.endswith("Suggested"):
                name = flag[: -len("Suggested")]
                if name in suggested:
                    style[name] = suggested[name]
                else:
                    style.pop(name, None)
    return style


def _clean(run: Run, accept: bool) -> Run:
    style = _accepted_style(run) if accept else run.style
    if run.kind is None:
        extra = {k: v for k, v in (run.extra or {}).items() if k not in _RUN_SUGGESTION_KEYS} or None
        return Run(run.text, style, None, None, extra, run.styled)
    payload = {k: v for k, v in (run.payload or {}).items() if k not in _RUN_SUGGESTION_KEYS}
    return Run(run.text, style, run.kind, payload, None, run.styled)


def _segment(segment: Segment, tab: DocumentTab, segment_id: str, accept: bool) -> Segment:
    """The segment with suggested insertions (accept: deletions) removed and every mark dropped.

    A removed paragraph newline joins its paragraph to the next one, which keeps the next one's
    style (choice). The segment's final newline always stays. Not modelled (a divergence):
    suggestions inside tables and tables of contents stay as they are.
    """
    doomed_key = "suggestedDeletionIds" if accept else "suggestedInsertionIds"
    items = list(segment.items)
    removed: list[tuple[int, int]] = []  # (start, end) in the original indexes
    out: list[Any] = []
    carried: list[Run] = []  # runs of paragraphs whose newline was removed, awaiting the next paragraph
    for number, (item, start) in enumerate(zip(items, segment.starts())):
        if not isinstance(item, Paragraph):
            if carried:  # a paragraph cannot join a table: keep its newline after all
                out.append(Paragraph.make(carried + [Run("\n", {})], DEFAULT_STYLE))
                carried = []
            out.append(item)
            continue
        kept: list[Run] = []
        pos = start
        last = number == len(items) - 1
        for k, run in enumerate(item.runs):
            is_newline = k == len(item.runs) - 1 and run.kind is None and run.text.endswith("\n")
            if not _ids(run, doomed_key):
                kept.append(_clean(run, accept))
            elif is_newline and last:  # the segment's final newline always stays
                if len(run.text) > 1:
                    removed.append((pos, pos + len(run.text) - 1))
                kept.append(_clean(run.part(len(run.text) - 1, len(run.text)), accept))
            else:
                removed.append((pos, pos + len(run.text)))
                if is_newline:
                    kept.append(None)  # type: ignore[arg-type]  # the paragraph joins the next one
            pos += len(run.text)
        joined = kept and kept[-1] is None
        runs = carried + [r for r in kept if r is not None]
        if joined:
            carried = runs
            continue
        carried = []
        extra = {k: v for k, v in (item.extra or {}).items() if k not in _PARAGRAPH_SUGGESTION_KEYS} or None
        out.append(Paragraph.make(runs, item.style, item.bullet, extra))
    for start, end in reversed(removed):
        shift_for_delete(tab.named_ranges, segment_id, start, end)
    return Segment(out)


DEFAULT_STYLE: Style = {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}


def preview(tabs: list[Tab], mode: str) -> list[Tab]:
    """PREVIEW_SUGGESTIONS_ACCEPTED or PREVIEW_WITHOUT_SUGGESTIONS of `tabs` (a new tree)."""
    accept = mode == "PREVIEW_SUGGESTIONS_ACCEPTED"

    def one(tab: Tab) -> Tab:
        copy = tab.clone()
        content = copy.content
        content.body = _segment(content.body, content, "", accept)
        content.segments = {sid: (kind, _segment(seg, content, sid, accept)) for sid, (kind, seg) in content.segments.items()}
        for name in _TAB_SUGGESTION_FIELDS:
            content.fields.pop(name, None)
        copy.children = [one(child) for child in tab.children]
        return copy

    return [one(tab) for tab in tabs]
