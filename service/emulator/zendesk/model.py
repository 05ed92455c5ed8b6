"""The Zendesk emulator's state (users, tickets, comments) and their JSON as Zendesk's API writes it.

The JSON shapes follow real responses captured in zenpy's test fixtures (see
tests/workdata/captures/zendesk_*.json); fields Docket's clients never read are filled with the
values a plain web-created ticket has.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cached_property

ROLES = ("end-user", "agent", "admin")
STATUSES = ("new", "open", "pending", "hold", "solved", "closed")  # Zendesk orders statuses this way in search


def zulu(instant: datetime) -> str:
    """Zendesk's timestamp format: UTC, whole seconds, a Z suffix."""
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    email: str
    role: str = "agent"
    time_zone: str = "UTC"
    created_at: datetime = datetime(2020, 1, 6, 9, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Comment:
    id: int
    ticket_id: int
    author_id: int
    body: str
    public: bool
    created_at: datetime
    channel: str = "web"


@dataclass(frozen=True)
class Ticket:
    id: int
    subject: str
    requester_id: int
    assignee_id: int | None
    created_at: datetime
    status: str = "open"
    updated_at: datetime | None = None  # None: the last comment's time (set by ZendeskState)
    priority: str | None = "normal"
    tags: tuple[str, ...] = ()
    group_id: int | None = 360000000001


@dataclass(frozen=True)
class ZendeskState:
    """Users, tickets and each ticket's comments (oldest first). Immutable: the API only reads."""

    users: Mapping[int, User]
    tickets: Mapping[int, Ticket]
    comments: Mapping[int, tuple[Comment, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, users: Iterable[User], tickets: Iterable[Ticket], comments: Iterable[Comment]) -> ZendeskState:
        """A consistent state: comments grouped per ticket in time order, `updated_at` no earlier than the last comment."""
        by_ticket: dict[int, list[Comment]] = {}
        for comment in comments:
            by_ticket.setdefault(comment.ticket_id, []).append(comment)
        grouped = {tid: tuple(sorted(cs, key=lambda c: (c.created_at, c.id))) for tid, cs in by_ticket.items()}
        fixed = {}
        for ticket in tickets:
            times = [ticket.created_at, *(c.created_at for c in grouped.get(ticket.id, ()))]
            if ticket.updated_at is not None:
                times.append(ticket.updated_at)
            fixed[ticket.id] = replace(ticket, updated_at=max(times))
        unknown = set(grouped) - set(fixed)
        if unknown:
            raise ValueError(f"comments on tickets that do not exist: {sorted(unknown)[:5]}")
        return cls({u.id: u for u in users}, fixed, grouped)

    def comments_of(self, ticket_id: int) -> tuple[Comment, ...]:
        return self.comments.get(ticket_id, ())

    @cached_property
    def timeline(self) -> tuple[Comment, ...]:
        """Every comment of the account, oldest first (the order of the ticket event export)."""
        return tuple(sorted((c for cs in self.comments.values() for c in cs), key=lambda c: (c.created_at, c.id)))

    def commenter_ids(self, ticket_id: int) -> frozenset[int]:
        return frozenset(c.author_id for c in self.comments_of(ticket_id))

    def user_by_email(self, email: str) -> User | None:
        email = email.strip().lower()
        return next((u for u in self.users.values() if u.email.lower() == email), None)


def user_json(user: User, base: str) -> dict:
    """A user as GET /api/v2/users/{id}.json has it (capture: zendesk_user.json)."""
    return {
        "id": user.id, "url": f"{base}/api/v2/users/{user.id}.json", "name": user.name, "email": user.email,
        "created_at": zulu(user.created_at), "updated_at": zulu(user.created_at), "time_zone": user.time_zone,
        "iana_time_zone": user.time_zone, "phone": None, "shared_phone_number": None, "photo": None, "locale_id": 1,
        "locale": "en-US", "organization_id": None, "role": user.role, "verified": True, "external_id": None, "tags": [],
        "alias": None, "active": True, "shared": False, "shared_agent": False, "last_login_at": None,
        "two_factor_auth_enabled": None, "signature": None, "details": None, "notes": None,
        "role_type": None if user.role == "end-user" else 0, "custom_role_id": None, "moderator": user.role != "end-user",
        "ticket_restriction": "requested" if user.role == "end-user" else None, "only_private_comments": False,
        "restricted_agent": user.role == "end-user", "suspended": False, "default_group_id": None,
        "report_csv": user.role == "admin", "user_fields": {},
    }


def ticket_json(ticket: Ticket, state: ZendeskState, base: str) -> dict:
    """A ticket as the Tickets and Search APIs have it (capture: zendesk_tickets_page.json)."""
    first = next(iter(state.comments_of(ticket.id)), None)
    assert ticket.updated_at is not None  # ZendeskState.build sets it
    return {
        "url": f"{base}/api/v2/tickets/{ticket.id}.json", "id": ticket.id, "external_id": None,
        "via": {"channel": first.channel if first else "web", "source": {"from": {}, "to": {}, "rel": None}},
        "created_at": zulu(ticket.created_at), "updated_at": zulu(ticket.updated_at), "type": "question",
        "subject": ticket.subject, "raw_subject": ticket.subject, "description": first.body if first else "",
        "priority": ticket.priority, "status": ticket.status, "recipient": None, "requester_id": ticket.requester_id,
        "submitter_id": ticket.requester_id, "assignee_id": ticket.assignee_id, "organization_id": None,
        "group_id": ticket.group_id, "collaborator_ids": [], "follower_ids": [], "email_cc_ids": [], "forum_topic_id": None,
        "problem_id": None, "has_incidents": False, "is_public": any(c.public for c in state.comments_of(ticket.id)),
        "due_at": None, "tags": list(ticket.tags), "custom_fields": [], "satisfaction_rating": None,
        "sharing_agreement_ids": [], "custom_status_id": 1, "followup_ids": [], "ticket_form_id": 1, "brand_id": 1,
        "allow_channelback": False, "allow_attachments": True, "from_messaging_channel": False,
    }


def comment_json(comment: Comment) -> dict:
    """A comment as GET /api/v2/tickets/{id}/comments.json has it (capture: zendesk_comments_page.json)."""
    paragraphs = "".join(f'<p dir="auto">{html.escape(line)}</p>' for line in comment.body.split("\n") if line)
    return {
        "id": comment.id, "type": "Comment", "author_id": comment.author_id, "body": comment.body,
        "html_body": f'<div class="zd-comment" dir="auto">{paragraphs}</div>', "plain_body": comment.body,
        "public": comment.public, "attachments": [], "audit_id": comment.id + 1,
        "via": {"channel": comment.channel, "source": {"from": {}, "to": {}, "rel": None}},
        "created_at": zulu(comment.created_at), "metadata": {"system": {}, "custom": {}},
    }
