"""The figures' rules on hand-made records: ordering of review candidates, the reply share's rounding, GitLab groups."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from service.workdata.figures import (ISSUE, MERGE_REQUEST, CommentRecord, GitLabRecord, ReplyShare, TicketRecord,
                                      ZendeskActivity, gitlab_figures, zendesk_figures)
from service.workdata.window import week_window

WEEK = week_window(date(2026, 11, 17), "UTC")
ME, OTHER = 1, 2


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=timezone.utc)


@given(total=st.integers(min_value=1, max_value=10_000), data=st.data())
def test_the_share_is_a_whole_percentage_with_halves_rounded_up(total, data):
    on = data.draw(st.integers(min_value=0, max_value=total))
    exact = Fraction(100 * on, total)
    percent = ReplyShare(on, total).percent
    assert abs(percent - exact) <= Fraction(1, 2)
    if exact - int(exact) == Fraction(1, 2):
        assert percent == int(exact) + 1


def test_no_public_replies_has_no_percentage():
    assert ReplyShare(0, 0).percent is None


def test_candidates_order_comments_then_recency_then_id_and_ignore_others_and_outside_the_window():
    tickets = {n: TicketRecord(n, f"#{n}", ME if n % 2 else OTHER, at(16)) for n in range(1, 8)}
    comments = (
        *[CommentRecord(1, ME, True, at(d)) for d in (10, 11)],  # 2, latest 11th
        *[CommentRecord(2, ME, True, at(d)) for d in (10, 12)],  # 2, latest 12th
        *[CommentRecord(3, ME, False, at(d)) for d in (10, 11, 13)],  # 3 internal notes: counts for review
        CommentRecord(4, ME, True, at(15)),  # only one
        *[CommentRecord(5, OTHER, True, at(d)) for d in (10, 11, 12)],  # someone else's
        CommentRecord(6, ME, True, at(9)), CommentRecord(6, ME, True, at(12)),  # one is before the window
        *[CommentRecord(7, ME, True, at(d)) for d in (10, 12)],  # ties #2 on count and recency: lower id first
        CommentRecord(99, ME, True, at(12)),  # a ticket the search did not return
    )
    figures = zendesk_figures(WEEK, ZendeskActivity(tickets, comments, WEEK.start), ME, "https://z.example.com", 10)
    assert [(c.id, c.comments) for c in figures.candidates] == [(3, 3), (2, 2), (7, 2), (1, 2)]
    # Public: #1 ×2, #2 ×2, #4, #6 (in window), #7 ×2 = 8; assigned to ME are the odd tickets: #1 ×2, #7 ×2 = 4.
    assert (figures.replies.on_assigned, figures.replies.total) == (4, 8)
    assert figures.tickets_replied == 5 and figures.tickets_commented == 6


def record(kind: str, labels: tuple[str, ...], day: int = 12, ref: str = "x") -> GitLabRecord:
    return GitLabRecord(kind, "t", "https://g.example.com/x", ref, labels, at(day))


def test_gitlab_groups_first_match_wins_and_only_the_window_counts():
    figures = gitlab_figures(WEEK, [
        record(ISSUE, ("type::bug", "type::feature"), ref="a"),
        record(ISSUE, ("bug::performance",), ref="b"),
        record(ISSUE, ("feature proposal",), ref="c"),
        record(ISSUE, (), ref="d"),
        record(MERGE_REQUEST, ("documentation", "type::bug"), ref="e"),
        record(MERGE_REQUEST, ("docs::improvement",), ref="f"),
        record(MERGE_REQUEST, ("type::bug",), ref="g"),
        record(MERGE_REQUEST, ("type::maintenance",), ref="h"),
        record(MERGE_REQUEST, ("type::bug",), day=17, ref="late"),  # the meeting day itself: outside
    ])
    assert [(g.name, [i.reference for i in g.items]) for g in figures.groups] == [
        ("Bug reports", ["a", "b"]), ("Feature requests", ["c"]), ("Other issues", ["d"]),
        ("Documentation updates", ["e", "f"]), ("Bug fixes", ["g"]), ("Other merge requests", ["h"])]
    assert (figures.issues, figures.merged) == (4, 4)
    assert gitlab_figures(WEEK, []).groups == ()
    assert WEEK.end - timedelta(seconds=1) < at(17)
