"""The confidential doc's permission check: who, beyond the leadership members and Docket itself, can read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from service.errors import ConfidentialityError
from service.google.registry import Permission, Registry


@dataclass(frozen=True)
class Exposure:
    """One permission that lets someone outside the members read the doc, described for people."""

    permission_id: str
    who: str


def describe(permission: Permission, *, not_one_of: str = "a leadership member") -> str:
    """How an admin recognises the grant in Drive's share dialog (never anything from the doc's text).

    `not_one_of` names who the document is for (the 1:1's sharing check: "the manager or the report").
    """
    via = " (through the shared drive or a folder)" if permission.inherited else ""
    if permission.type == "anyone":
        return "anyone with the link" + via
    if permission.type == "domain":
        return f"everyone in the domain {permission.domain or '(unknown)'}" + via
    if permission.type == "group":
        return f"the group {permission.email or '(unknown)'}" + via
    if permission.type == "user":
        return f"{permission.email or 'an unknown user'}, who is not {not_one_of}" + via
    return f"a '{permission.type}' permission" + via


def exposures(permissions: Iterable[Permission], members: Sequence[str], identity: str) -> list[Exposure]:
    """Every permission whose grantee is not a member or Docket's own identity.

    Any role counts, readers and commenters included: all of them can read. Groups are refused
    even when every current member of the group is a leader, because membership of a group
    changes outside Docket's sight. Docket's own identity covers its shared-drive membership
    (in production the service account is the drive's only member, deploy/README.md).
    """
    allowed = {m.lower() for m in members} | {identity.lower()}
    found: list[Exposure] = []
    for permission in permissions:
        if permission.type == "user" and permission.email and permission.email.lower() in allowed:
            continue
        found.append(Exposure(permission.id, describe(permission)))
    return found


def require_members_only(registry: Registry, document_id: str, members: Sequence[str], identity: str, *,
                         outcome: str) -> None:
    """Raise ConfidentialityError naming every outsider who can read the doc; return quietly otherwise.

    Called before any confidential text is written. `outcome` tells the reader what the caller
    has and has not written when it refuses (every caller knows its own; this module does not).
    """
    refuse_exposures(registry.permissions(document_id), document_id, members, identity, outcome=outcome)


def refuse_exposures(permissions: Iterable[Permission], document_id: str, members: Sequence[str], identity: str, *,
                     outcome: str) -> None:
    """The same check on a permission list already read (the weekly run lists it once to share and check)."""
    found = exposures(permissions, members, identity)
    if found:
        who = "; ".join(e.who for e in found)
        raise ConfidentialityError(
            f"the confidential doc {document_id} can be read by people outside the leadership members: {who}. "
            f"{outcome} Remove those permissions in Google Drive (Share), then try again.")
