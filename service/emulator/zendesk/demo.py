"""Demo Zendesk data for the example team: a realistic support week per engineer, the same for a given week every time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from service.emulator.demo_team import API_USER_EMAIL, API_USER_ID, COLLEAGUES, TEAM, DemoEngineer, rng, span, week_start, \
    working_instant
from service.emulator.zendesk.model import Comment, Ticket, User, ZendeskState

SUBJECTS = (
    "Runner jobs stuck in pending after upgrading to the latest version",
    "SAML SSO sign-in loops back to the login page",
    "Container registry cleanup policy is not deleting old tags",
    "Pipeline fails with 'This job is stuck' on shared runners",
    "Merge request approvals reset after every push",
    "Geo secondary shows replication errors for LFS objects",
    "Cannot push to repository: 'pre-receive hook declined'",
    "CI minutes usage looks higher than expected this month",
    "LDAP group sync removed members from a top-level group",
    "Backup task fails with 'Errno::ENOSPC' on a large instance",
    "Upgrade path question: moving from 15.11 to 16.x",
    "Dependency proxy returns 403 for a public Docker image",
    "Sidekiq queues growing after the weekend maintenance window",
    "Project import from GitHub times out halfway",
    "Kubernetes agent disconnects every few minutes",
    "Webhook deliveries failing with 'execution expired'",
    "Personal access tokens expired without a notification",
    "Package registry: npm publish returns 404",
    "Search results missing for recently pushed code",
    "License seat count does not match active users",
    "Protected branch settings ignored for a group token",
    "Pages site returns 404 after domain verification",
    "Migrating a group between namespaces keeps the old path",
    "Audit events export is empty for the last week",
    "Gitaly timeouts when cloning a large monorepo",
    "2FA recovery for an account owner who lost their device",
    "SAST job fails on a Java 21 project",
    "Slow merge request diffs on files with long lines",
    "Rate limit errors from the API during a nightly sync",
    "Scheduled pipelines stopped running after ownership change",
)
CUSTOMER_NAMES = ("Alex Morgan", "Jordan Blake", "Casey Liu", "Riley Novak", "Sam Ortega", "Jamie Chen", "Taylor Kim",
                  "Morgan Reyes", "Avery Patel", "Drew Jensen", "Quinn Adeyemi", "Reese Tanaka")
REPLIES = (
    "Thanks for the details. Could you share the output of the check task and the relevant log lines?",
    "I reproduced this on a test instance; a fix is tracked in the linked issue, and the workaround is below.",
    "The logs show the request timing out upstream. Raising the timeout should resolve it; let us know.",
    "This is expected behaviour after the change in the last release. Here is how to adjust the setting.",
    "Following up: were you able to try the steps from my last reply?",
)
NOTES = (
    "Internal: checked the instance logs, matches the known issue.",
    "Internal: asked a colleague for a second opinion on the upgrade path.",
    "Internal: escalated to the product team with the reproduction steps.",
)
CUSTOMER_REPLIES = ("Thanks, trying that now.", "That worked for one project but not the other.",
                    "Attached the logs you asked for.", "We still see the error after the change.")


def _customers() -> list[User]:
    return [User(372000000 + i, name, f"{name.split()[0].lower()}@customer{i}.example", role="end-user")
            for i, name in enumerate(CUSTOMER_NAMES)]


def _week(engineer: DemoEngineer, index: int, week: int) -> tuple[list[Ticket], list[Comment]]:
    """The tickets `engineer` worked on in week `week` and every comment on them."""
    r = rng("zendesk", engineer.zendesk_id, week)
    monday = week_start(week)
    tickets: list[Ticket] = []
    comments: list[Comment] = []
    for k in range(r.randint(10, 15)):
        ticket_id = 600000 + week * 60 + index * 20 + k
        created = working_instant(r, engineer, monday + timedelta(days=r.randint(-3, 4)))
        assignee = engineer.zendesk_id if r.random() < 0.62 else r.choice(COLLEAGUES).zendesk_id
        customer = 372000000 + r.randrange(len(CUSTOMER_NAMES))
        ticket_comments = [Comment(ticket_id * 100, ticket_id, customer, "Hello, we have a problem we need help with.",
                                   True, created, channel="email")]
        when = created
        for n in range(1, r.randint(2, 7)):
            when = when + timedelta(hours=r.randint(2, 30), minutes=r.randint(0, 59))
            roll = r.random()
            if roll < 0.45:
                author, body, public = engineer.zendesk_id, r.choice(REPLIES), True
            elif roll < 0.6:
                author, body, public = engineer.zendesk_id, r.choice(NOTES), False
            elif roll < 0.85:
                author, body, public = customer, r.choice(CUSTOMER_REPLIES), True
            else:
                author, body, public = assignee if assignee != engineer.zendesk_id else COLLEAGUES[0].zendesk_id, \
                    r.choice(REPLIES), True
            ticket_comments.append(Comment(ticket_id * 100 + n, ticket_id, author, body, public, when))
        if not any(c.author_id == engineer.zendesk_id for c in ticket_comments):
            when = when + timedelta(hours=3)
            ticket_comments.append(Comment(ticket_id * 100 + 99, ticket_id, engineer.zendesk_id, r.choice(REPLIES), True, when))
        status = r.choice(("solved", "pending", "open", "solved"))
        tickets.append(Ticket(ticket_id, r.choice(SUBJECTS), customer, assignee, created, status=status))
        comments.extend(ticket_comments)
    return tickets, comments


def demo_state(anchor: date, until: datetime | None = None, *, api_email: str = API_USER_EMAIL) -> ZendeskState:
    """The example team's Zendesk around `anchor` (17 weeks before to 1 after); nothing later than `until`.

    `api_email` is the admin the API is called as (Docket's [zendesk] email).
    """
    users = [User(e.zendesk_id, e.name, e.email) for e in (*TEAM, *COLLEAGUES)]
    users.append(User(API_USER_ID, "Docket API", api_email, role="admin"))
    users.extend(_customers())
    tickets: list[Ticket] = []
    comments: list[Comment] = []
    for week in span(anchor):
        for index, engineer in enumerate(TEAM):
            week_tickets, week_comments = _week(engineer, index, week)
            tickets.extend(week_tickets)
            comments.extend(week_comments)
    if until is not None:
        tickets = [t for t in tickets if t.created_at <= until]
        kept = {t.id for t in tickets}
        comments = [c for c in comments if c.created_at <= until and c.ticket_id in kept]
    return ZendeskState.build(users, tickets, comments)

