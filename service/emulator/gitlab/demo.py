"""Demo GitLab activity for the example team: issues they opened and merge requests of theirs that were merged."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from service.emulator.demo_team import COLLEAGUES, TEAM, DemoEngineer, rng, span, week_start, working_instant
from service.emulator.gitlab.model import GitLabState, Issue, MergeRequest, Project, User

PROJECTS = (
    Project(278964, "gitlab-org/gitlab"),
    Project(250833, "gitlab-org/gitlab-runner"),
    Project(7764, "gitlab-com/content-sites/handbook"),
    Project(1794617, "gitlab-org/charts/gitlab"),
)
BUG_TITLES = ("Runner ignores the configured pull policy for service containers",
              "Group SAML links are not applied when the user already exists",
              "Registry cleanup policy leaves tags that match the keep regex",
              "Import from GitHub stops at the first pull request with a deleted branch",
              "Approval rules from the group are not copied to new projects")
FEATURE_TITLES = ("Allow admins to export audit events as CSV from the UI",
                  "Show the runner version on the job page",
                  "Add a setting to notify owners before access tokens expire",
                  "Let group owners see CI minutes usage per project over time")
DOCS_TITLES = ("Docs: explain how to rotate the runner authentication token",
               "Docs: clarify the upgrade path from 15.11 to 16.3",
               "Handbook: add a troubleshooting section for SAML group links",
               "Docs: document the Geo replication check task output",
               "Handbook: update the ticket escalation workflow")
FIX_TITLES = ("Fix: keep the job log tail when the trace is archived",
              "Fix the LDAP sync worker retrying on a removed group",
              "Fix a typo that broke the backup skip option")


def _week(engineer: DemoEngineer, user_id: int, week: int) -> tuple[list[Issue], list[MergeRequest]]:
    r = rng("gitlab", engineer.gitlab_username, week)
    monday = week_start(week)
    issues: list[Issue] = []
    bugs, features = r.sample(BUG_TITLES, 3), r.sample(FEATURE_TITLES, 3)  # distinct titles within a week
    for k in range(r.choice((0, 1, 1, 2, 2, 3))):
        bug = r.random() < 0.6
        project = PROJECTS[0] if r.random() < 0.7 else PROJECTS[1]
        created = working_instant(r, engineer, monday + timedelta(days=r.randint(0, 4)))
        iid = 400000 + week * 40 + user_id % 10 * 4 + k
        labels = ("type::bug", "customer") if bug else ("type::feature", "customer")
        issues.append(Issue(9000000 + iid, iid, project.id, (bugs if bug else features)[k], user_id, created, labels))
    merge_requests: list[MergeRequest] = []
    docs, fixes = r.sample(DOCS_TITLES, 2), r.sample(FIX_TITLES, 2)
    for k in range(r.choice((0, 1, 1, 2))):
        kind = r.random()
        if kind < 0.7:
            title, labels = docs[k], ("documentation", "docs::improvement")
            project = PROJECTS[2] if title.startswith("Handbook") else PROJECTS[0]
        else:
            title, labels, project = fixes[k], ("type::bug",), r.choice(PROJECTS[:2])
        created = working_instant(r, engineer, monday + timedelta(days=r.randint(-4, 2)))
        merged = created + timedelta(hours=r.randint(20, 90))
        iid = 160000 + week * 40 + user_id % 10 * 4 + k
        merge_requests.append(MergeRequest(8000000 + iid, iid, project.id, title, user_id, created, labels,
                                           merged_at=merged, merged_by_id=COLLEAGUES[0].zendesk_id))
    return issues, merge_requests


def demo_state(anchor: date, until: datetime | None = None) -> GitLabState:
    """The example team's GitLab activity around `anchor` (17 weeks before to 1 after); nothing later than `until`."""
    users = [User(e.zendesk_id, e.gitlab_username, e.name) for e in (*TEAM, *COLLEAGUES)]
    issues: list[Issue] = []
    merge_requests: list[MergeRequest] = []
    for week in span(anchor):
        for engineer in TEAM:
            week_issues, week_mrs = _week(engineer, engineer.zendesk_id, week)
            issues.extend(week_issues)
            merge_requests.extend(week_mrs)
    if until is not None:
        issues = [i for i in issues if i.created_at <= until]
        merge_requests = [m for m in merge_requests if m.created_at <= until]
        merge_requests = [m if m.merged_at and m.merged_at <= until else
                          MergeRequest(m.id, m.iid, m.project_id, m.title, m.author_id, m.created_at, m.labels, state="opened")
                          for m in merge_requests]
    return GitLabState.build(users, PROJECTS, issues, merge_requests)
