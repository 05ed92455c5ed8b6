"""The figures of a 1:1's data block, as typed values, and how they are computed from what the APIs returned.

Pure: no I/O. The seams (zendesk.py, gitlab.py) turn API answers into the *Record types below;
these functions turn records into figures for one window.

- Ticket review candidates: tickets the engineer commented on (publicly or internally) more than
  once in the window, most of their comments first, then the most recent comment first, then the
  lower ticket id (the handbook's "Comments Review").
- Public replies on assigned tickets: of the engineer's public comments in the window, those on
  tickets assigned to them. Zendesk's API gives a ticket's current assignee, so a ticket
  reassigned since counts for its new assignee.
- Ticket baseline: distinct tickets the engineer publicly replied to in the window.
- GitLab: issues they opened, and merge requests of theirs merged, in the window, grouped by
  label into the handbook's activity kinds (see GROUPS).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from service.workdata.window import Window

ISSUE, MERGE_REQUEST = "issue", "merge_request"
ROLLUP_TOO_LONG = "not all of it could be read within this 1:1's time budget"


@dataclass(frozen=True)
class TicketRecord:
    id: int
    subject: str
    assignee_id: int | None
    updated_at: datetime


@dataclass(frozen=True)
class CommentRecord:
    """One comment of an engineer Docket reads for (the seams keep no one else's, and no comment's text)."""

    ticket_id: int
    author_id: int
    public: bool
    created_at: datetime


@dataclass(frozen=True)
class ZendeskActivity:
    tickets: Mapping[int, TicketRecord]
    comments: tuple[CommentRecord, ...]
    complete_from: datetime  # comments are complete from here on (a roll-up may not have been read in time)

    def covers(self, window: Window) -> bool:
        return window.start >= self.complete_from


@dataclass(frozen=True)
class GitLabRecord:
    kind: str  # ISSUE or MERGE_REQUEST
    title: str
    url: str
    reference: str  # e.g. "gitlab-org/gitlab#123" or "gitlab-org/gitlab!45"
    labels: tuple[str, ...]
    at: datetime  # opened (issue) or merged (merge request)


@dataclass(frozen=True)
class TicketCandidate:
    id: int
    subject: str
    url: str
    comments: int
    last_comment_at: datetime


@dataclass(frozen=True)
class ReplyShare:
    on_assigned: int
    total: int

    @property
    def percent(self) -> int | None:
        """The share as a whole percentage, halves rounded up; None with no public replies."""
        if self.total == 0:
            return None
        return (200 * self.on_assigned + self.total) // (2 * self.total)


@dataclass(frozen=True)
class ZendeskFigures:
    window: Window
    candidates: tuple[TicketCandidate, ...]
    replies: ReplyShare
    tickets_replied: int
    tickets_commented: int
    weekly_baseline: int | None


@dataclass(frozen=True)
class ActivityGroup:
    name: str
    items: tuple[GitLabRecord, ...]


@dataclass(frozen=True)
class GitLabFigures:
    window: Window
    groups: tuple[ActivityGroup, ...]  # non-empty groups only, in GROUPS order

    @property
    def issues(self) -> int:
        return sum(len(g.items) for g in self.groups if g.items and g.items[0].kind == ISSUE)

    @property
    def merged(self) -> int:
        return sum(len(g.items) for g in self.groups if g.items and g.items[0].kind == MERGE_REQUEST)


@dataclass(frozen=True)
class Unavailable:
    source: str  # "Zendesk" or "GitLab"
    reason: str  # short, safe to show: never a subject, a body or a token


@dataclass(frozen=True)
class WorkData:
    """Everything a week's data block shows. Figures tuples hold the week first, then one per roll-up window.

    A None among the Zendesk figures is a roll-up that could not be read within the pair's budget.
    """

    week: Window
    rollups: tuple[Window, ...]
    zendesk: tuple[ZendeskFigures | None, ...] = ()
    gitlab: tuple[GitLabFigures, ...] = ()
    unavailable: tuple[Unavailable, ...] = ()
    zendesk_configured: bool = False
    gitlab_configured: bool = False
    as_of: datetime | None = None  # set when the week had not ended when the data was read

    def warnings(self, whose: str) -> tuple[str, ...]:
        """One line per source (or roll-up) that could not be read, for the run's report (no private text)."""
        lines = [f"{u.source} data unavailable for {whose}: {u.reason}" for u in self.unavailable]
        lines += [f"Zendesk data for {w.label} unavailable for {whose}: {ROLLUP_TOO_LONG}"
                  for w, f in zip(self.rollups, self.zendesk[1:]) if f is None]
        return tuple(lines)


def _bug(labels: Sequence[str]) -> bool:
    return any(label in ("bug", "type::bug") or label.startswith("bug::") for label in labels)


def _feature(labels: Sequence[str]) -> bool:
    return any(label in ("feature", "type::feature", "feature proposal") or label.startswith("feature::")
               for label in labels)


def _docs(labels: Sequence[str]) -> bool:
    return any(label in ("documentation", "type::docs", "handbook") or label.startswith("docs::") for label in labels)


# The handbook's activity links (bug reports and feature requests, documentation updates, bug fixes),
# told apart by the labels GitLab's own projects use. First match wins.
GROUPS = (
    ("Bug reports", ISSUE, _bug),
    ("Feature requests", ISSUE, _feature),
    ("Other issues", ISSUE, lambda labels: True),
    ("Documentation updates", MERGE_REQUEST, _docs),
    ("Bug fixes", MERGE_REQUEST, _bug),
    ("Other merge requests", MERGE_REQUEST, lambda labels: True),
)


def zendesk_figures(window: Window, activity: ZendeskActivity, user_id: int, zendesk_url: str,
                    weekly_baseline: int | None) -> ZendeskFigures:
    mine = [c for c in activity.comments if c.author_id == user_id and window.contains(c.created_at)
            and c.ticket_id in activity.tickets]
    counts: dict[int, int] = {}
    latest: dict[int, datetime] = {}
    for comment in mine:
        counts[comment.ticket_id] = counts.get(comment.ticket_id, 0) + 1
        latest[comment.ticket_id] = max(latest.get(comment.ticket_id, comment.created_at), comment.created_at)
    chosen = sorted((t for t, n in counts.items() if n > 1), key=lambda t: (-counts[t], -latest[t].timestamp(), t))
    candidates = tuple(TicketCandidate(t, activity.tickets[t].subject, f"{zendesk_url}/agent/tickets/{t}", counts[t],
                                       latest[t]) for t in chosen)
    public = [c for c in mine if c.public]
    on_assigned = sum(1 for c in public if activity.tickets[c.ticket_id].assignee_id == user_id)
    return ZendeskFigures(window, candidates, ReplyShare(on_assigned, len(public)), len({c.ticket_id for c in public}),
                          len(counts), weekly_baseline)


def gitlab_figures(window: Window, records: Sequence[GitLabRecord]) -> GitLabFigures:
    inside = sorted((r for r in records if window.contains(r.at)), key=lambda r: (r.at, r.reference))
    grouped: dict[str, list[GitLabRecord]] = {name: [] for name, _kind, _test in GROUPS}
    for record in inside:
        name = next(n for n, kind, test in GROUPS if kind == record.kind and test(record.labels))
        grouped[name].append(record)
    return GitLabFigures(window, tuple(ActivityGroup(n, tuple(items)) for n, items in grouped.items() if items))
