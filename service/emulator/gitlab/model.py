"""The GitLab emulator's state (users, projects, issues, merge requests) and their JSON as the v4 API writes it.

Shapes follow GitLab's list entities: an issue as GET /issues lists it (GitLab's API docs and a
gitlab.com capture), a merge request as MergeRequestBasic (captured in
kiegroup/git-backporting's test data; see tests/workdata/captures/gitlab_*.json).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone


def iso(instant: datetime) -> str:
    """GitLab's timestamp format: UTC with milliseconds and a Z suffix."""
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class User:
    id: int
    username: str
    name: str


@dataclass(frozen=True)
class Project:
    id: int
    path_with_namespace: str


@dataclass(frozen=True)
class Issue:
    id: int
    iid: int
    project_id: int
    title: str
    author_id: int
    created_at: datetime
    labels: tuple[str, ...] = ()
    state: str = "opened"
    updated_at: datetime | None = None  # None: created_at
    closed_at: datetime | None = None


@dataclass(frozen=True)
class MergeRequest:
    id: int
    iid: int
    project_id: int
    title: str
    author_id: int
    created_at: datetime
    labels: tuple[str, ...] = ()
    state: str = "merged"
    merged_at: datetime | None = None
    updated_at: datetime | None = None  # None: the latest of created_at and merged_at
    merged_by_id: int | None = None


@dataclass(frozen=True)
class GitLabState:
    users: Mapping[int, User]
    projects: Mapping[int, Project]
    issues: tuple[Issue, ...]
    merge_requests: tuple[MergeRequest, ...]

    @classmethod
    def build(cls, users: Iterable[User], projects: Iterable[Project], issues: Iterable[Issue],
              merge_requests: Iterable[MergeRequest]) -> GitLabState:
        return cls({u.id: u for u in users}, {p.id: p for p in projects}, tuple(issues), tuple(merge_requests))

    def user_named(self, username: str) -> User | None:
        # GitLab matches usernames case-insensitively.
        wanted = username.lower()
        return next((u for u in self.users.values() if u.username.lower() == wanted), None)


def updated_of(item: Issue | MergeRequest) -> datetime:
    if item.updated_at is not None:
        return item.updated_at
    if isinstance(item, MergeRequest) and item.merged_at is not None:
        return max(item.created_at, item.merged_at)
    return item.created_at


def user_json(user: User, base: str) -> dict:
    return {"id": user.id, "username": user.username, "name": user.name, "state": "active",
            "avatar_url": f"{base}/uploads/-/system/user/avatar/{user.id}/avatar.png", "web_url": f"{base}/{user.username}"}


def issue_json(issue: Issue, state: GitLabState, base: str) -> dict:
    project = state.projects[issue.project_id]
    author = user_json(state.users[issue.author_id], base)
    api = f"{base}/api/v4/projects/{project.id}/issues/{issue.iid}"
    return {
        "id": issue.id, "iid": issue.iid, "project_id": project.id, "title": issue.title, "description": "",
        "state": issue.state, "created_at": iso(issue.created_at), "updated_at": iso(updated_of(issue)),
        "closed_at": iso(issue.closed_at) if issue.closed_at else None, "closed_by": None, "labels": list(issue.labels),
        "milestone": None, "assignees": [], "author": author, "type": "ISSUE", "assignee": None, "user_notes_count": 0,
        "merge_requests_count": 0, "upvotes": 0, "downvotes": 0, "due_date": None, "confidential": False,
        "discussion_locked": None, "issue_type": "issue", "web_url": f"{base}/{project.path_with_namespace}/-/issues/{issue.iid}",
        "time_stats": {"time_estimate": 0, "total_time_spent": 0, "human_time_estimate": None, "human_total_time_spent": None},
        "task_completion_status": {"count": 0, "completed_count": 0}, "blocking_issues_count": 0, "has_tasks": False,
        "_links": {"self": api, "notes": f"{api}/notes", "award_emoji": f"{api}/award_emoji",
                   "project": f"{base}/api/v4/projects/{project.id}", "closed_as_duplicate_of": None},
        "references": {"short": f"#{issue.iid}", "relative": f"{project.path_with_namespace}#{issue.iid}",
                       "full": f"{project.path_with_namespace}#{issue.iid}"},
        "severity": "UNKNOWN", "moved_to_id": None, "service_desk_reply_to": None,
    }


def merge_request_json(mr: MergeRequest, state: GitLabState, base: str) -> dict:
    project = state.projects[mr.project_id]
    author = user_json(state.users[mr.author_id], base)
    merger = user_json(state.users[mr.merged_by_id], base) if mr.merged_by_id in state.users else None
    sha = f"{mr.id:040x}"[-40:]
    return {
        "id": mr.id, "iid": mr.iid, "project_id": project.id, "title": mr.title, "description": "", "state": mr.state,
        "created_at": iso(mr.created_at), "updated_at": iso(updated_of(mr)),
        "merged_by": merger, "merge_user": merger, "merged_at": iso(mr.merged_at) if mr.merged_at else None,
        "closed_by": None, "closed_at": None, "target_branch": "master", "source_branch": f"{author['username']}-{mr.iid}",
        "user_notes_count": 0, "upvotes": 0, "downvotes": 0, "author": author, "assignees": [author], "assignee": author,
        "reviewers": [], "source_project_id": project.id, "target_project_id": project.id, "labels": list(mr.labels),
        "draft": False, "work_in_progress": False, "milestone": None, "merge_when_pipeline_succeeds": False,
        "merge_status": "can_be_merged", "detailed_merge_status": "not_open" if mr.state != "opened" else "mergeable",
        "sha": sha, "merge_commit_sha": None, "squash_commit_sha": None, "discussion_locked": None,
        "should_remove_source_branch": True, "force_remove_source_branch": True, "reference": f"!{mr.iid}",
        "references": {"short": f"!{mr.iid}", "relative": f"{project.path_with_namespace}!{mr.iid}",
                       "full": f"{project.path_with_namespace}!{mr.iid}"},
        "web_url": f"{base}/{project.path_with_namespace}/-/merge_requests/{mr.iid}",
        "time_stats": {"time_estimate": 0, "total_time_spent": 0, "human_time_estimate": None, "human_total_time_spent": None},
        "squash": False, "squash_on_merge": False, "task_completion_status": {"count": 0, "completed_count": 0},
        "has_conflicts": False, "blocking_discussions_resolved": True, "approvals_before_merge": None,
    }
