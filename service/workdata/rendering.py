"""The template context of a week's data block: WorkData as the plain values doc_templates/one_on_one/work_*.md read.

Wording lives in the templates; this module only selects and formats values. Every string in
it (ticket subjects, titles, reasons) reaches the document as a literal: the renderer never reads
context text as Markdown or Jinja.

Context shape (`work` in the week template; None when the pair has no sources):
    period:    "2026-11-10 to 2026-11-16"      timezone: "Europe/Berlin"
    as_of:     "" or "2026-11-16 10:00" (local), when the week had not ended
    zendesk:   None (not configured for this pair) or
               {unavailable: "" or reason, tickets: [{id, subject, url, comments}] (at most 2),
                candidates: int, replies: {percent: int | None, on_assigned, total},
                tickets_replied: int, weekly_baseline: int | None}
    gitlab:    None or {unavailable: "" or reason, issues: int, merged: int,
                        groups: [{name, count, entries: [{title, url, reference}]}]}
    rollups:   [{kind: "month" | "quarter", label: "October 2026", weeks: "4.4",
                 zendesk: as above plus per_week: "10.3", gitlab: as above}]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar
from zoneinfo import ZoneInfo

from service.workdata.figures import ROLLUP_TOO_LONG, GitLabFigures, WorkData, ZendeskFigures

F = TypeVar("F", ZendeskFigures, GitLabFigures)
REVIEW_TICKETS = 2  # the handbook: "review two tickets together"


def _zendesk(figures: ZendeskFigures) -> dict[str, object]:
    replies = figures.replies
    return {
        "unavailable": "",
        "tickets": [{"id": c.id, "subject": c.subject, "url": c.url, "comments": c.comments}
                    for c in figures.candidates[:REVIEW_TICKETS]],
        "candidates": len(figures.candidates),
        "replies": {"percent": replies.percent, "on_assigned": replies.on_assigned, "total": replies.total},
        "tickets_replied": figures.tickets_replied,
        "tickets_commented": figures.tickets_commented,
        "weekly_baseline": figures.weekly_baseline,
        "per_week": f"{figures.tickets_replied / figures.window.weeks:.1f}",
    }


def _gitlab(figures: GitLabFigures) -> dict[str, object]:
    return {
        "unavailable": "", "issues": figures.issues, "merged": figures.merged,
        "groups": [{"name": g.name, "count": len(g.items),
                    "entries": [{"title": i.title, "url": i.url, "reference": i.reference} for i in g.items]}
                   for g in figures.groups],
    }


def _part(figures: Sequence[F | None], index: int, configured: bool, reason: str | None,
          shape: Callable[[F], dict[str, object]]) -> dict[str, object] | None:
    """One source's context for one period: None (no source), an unavailable reason, or its figures."""
    if not configured:
        return None
    if reason is not None:
        return {"unavailable": reason}
    found = figures[index]
    if found is None:
        return {"unavailable": ROLLUP_TOO_LONG}
    return shape(found)


def template_context(work: WorkData | None) -> dict[str, object] | None:
    """The `work` variable of the week template (None: no data block, the section as without sources)."""
    if work is None:
        return None
    reasons = {u.source: u.reason for u in work.unavailable}
    week = work.week
    as_of = work.as_of.astimezone(ZoneInfo(week.timezone)).strftime("%Y-%m-%d %H:%M") if work.as_of else ""

    def period(index: int) -> dict[str, object]:
        return {
            "zendesk": _part(work.zendesk, index, work.zendesk_configured, reasons.get("Zendesk"), _zendesk),
            "gitlab": _part(work.gitlab, index, work.gitlab_configured, reasons.get("GitLab"), _gitlab),
        }

    rollups = [{"kind": w.kind, "label": w.label, "weeks": f"{w.weeks:.1f}", **period(i + 1)}
               for i, w in enumerate(work.rollups)]
    return {"period": week.label, "timezone": week.timezone, "as_of": as_of, **period(0), "rollups": rollups}
