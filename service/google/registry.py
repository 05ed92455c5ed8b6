"""Drive as Docket's registry: finds its documents by appProperties, creates and shares them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from service.errors import GoogleApiError, NotFound
from service.google.clients import Google
from service.google import app_properties
from service.google.failures import Transient

DOC_MIME = "application/vnd.google-apps.document"
# permissionIds: who can reach the file, as ids, for the weekly sharing check; Drive may leave it
# out (for shared-drive items, UNCONFIRMED), and then DocFile.permission_ids is None.
_FILE_FIELDS = "id,name,appProperties,driveId,parents,createdTime,trashed,permissionIds"


@dataclass(frozen=True)
class DocFile:
    id: str
    name: str
    kind: str
    properties: Mapping[str, str]
    created: str
    permission_ids: tuple[str, ...] | None = None  # None: Drive's answer did not carry them

    @property
    def url(self) -> str:
        return f"https://docs.google.com/document/d/{self.id}/edit"


@dataclass(frozen=True)
class Permission:
    id: str
    type: str  # user | group | domain | anyone
    role: str
    email: str | None
    domain: str | None
    inherited: bool


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _has(key: str, value: str) -> str:
    return f"appProperties has {{ key='{_quote(key)}' and value='{_quote(value)}' }}"


def _doc(item: Mapping) -> DocFile:
    props = dict(item.get("appProperties") or {})
    ids = item.get("permissionIds")
    return DocFile(item["id"], item.get("name", ""), props.get(app_properties.name("kind"), ""), props,
                   item.get("createdTime", ""), tuple(ids) if isinstance(ids, list) else None)


class Registry:
    """Drive calls, always with shared-drive support: service accounts cannot own files."""

    def __init__(self, google: Google, folder_id: str | None, kinds: tuple[str, ...]) -> None:
        self.google = google
        self.folder_id = folder_id
        self.kinds = kinds  # the docket_kind values of the documents Docket makes

    def find(self, properties: Mapping[str, str]) -> list[DocFile]:
        """Docket's live documents carrying all these appProperties, oldest first."""
        terms = [_has(k, v) for k, v in sorted(properties.items())]
        return self._list(" and ".join(terms + [f"mimeType = '{DOC_MIME}'", "trashed = false"]))

    def _list(self, q: str) -> list[DocFile]:
        """Every file matching `q`, all pages, oldest first."""
        found: list[DocFile] = []
        token = None
        while True:
            request = self.google.files.list(
                q=q, fields=f"nextPageToken,files({_FILE_FIELDS})", pageSize=1000, pageToken=token,
                corpora="allDrives", includeItemsFromAllDrives=True, supportsAllDrives=True)
            page = self.google.call(request, "files.list", method="drive.files.list")
            found.extend(_doc(f) for f in page.get("files", []))
            token = page.get("nextPageToken")
            if not token:
                break
        return sorted(found, key=lambda d: (d.created, d.id))

    def find_one(self, properties: Mapping[str, str]) -> DocFile | None:
        docs = self.find(properties)
        return docs[0] if docs else None

    def all_documents(self) -> list[DocFile]:
        """Every live Docket document of every kind, in one paged listing, oldest first."""
        return self.of_kinds(self.kinds)

    def of_kinds(self, kinds: Iterable[str]) -> list[DocFile]:
        """Every live document of these kinds, in one paged listing, oldest first."""
        either = " or ".join(_has(app_properties.name("kind"), kind) for kind in kinds)
        return self._list(f"({either}) and mimeType = '{DOC_MIME}' and trashed = false")

    def get(self, document_id: str) -> DocFile:
        """A Docket document by id; NotFound for anything Docket did not make."""
        request = self.google.files.get(fileId=document_id, fields=_FILE_FIELDS, supportsAllDrives=True)
        item = self.google.call(request, f"files.get {document_id}", method="drive.files.get")
        doc = _doc(item)
        if item.get("trashed") or doc.kind not in self.kinds:
            raise NotFound(f"document {document_id} is not a Docket document")
        return doc

    def create(self, name: str, properties: Mapping[str, str]) -> DocFile:
        """Create the document, retrying without ever making two.

        A create is not idempotent, so the client's blind retry is off. A 429 was not executed:
        wait and send it again. After a 5xx or a lost connection it may have been: look for the
        document by its properties first, and send it again only if it is not there.
        """
        body: dict = {"name": name, "mimeType": DOC_MIME, "appProperties": dict(properties)}
        if self.folder_id:
            body["parents"] = [self.folder_id]
        backoff = self.google.backoff
        for attempt in range(backoff.attempts):
            request = self.google.files.create(body=body, fields=_FILE_FIELDS, supportsAllDrives=True)
            try:
                return _doc(self.google.call(request, "files.create", method="drive.files.create", retry=False))
            except Transient as error:
                if attempt + 1 >= backoff.attempts:
                    raise GoogleApiError(f"{error.message} — still failing after {backoff.attempts} attempts",
                                         google_status=error.google_status) from None
                backoff.sleep(backoff.delay(attempt))
                if error.google_status != 429:
                    landed = self.find_one(properties)
                    if landed is not None:
                        return landed
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def find_or_create(self, name: str, properties: Mapping[str, str]) -> tuple[DocFile, bool]:
        """The one document with these properties, created if missing.

        Two racing callers may both create one. Both then list again and agree on the oldest
        (createdTime, then id); the loser trashes its own copy before anything is written to it.
        """
        existing = self.find_one(properties)
        if existing is not None:
            return existing, False
        mine = self.create(name, properties)
        canonical = self.find_one(properties) or mine
        if canonical.id != mine.id:
            self.trash(mine.id)
            return canonical, False
        return mine, True

    def set_properties(self, file_id: str, properties: Mapping[str, str]) -> None:
        """Set some of Docket's appProperties on a file (the others stay as they are)."""
        request = self.google.files.update(fileId=file_id, body={"appProperties": dict(properties)}, supportsAllDrives=True,
                                           fields="id")
        self.google.call(request, f"files.update {file_id}", method="drive.files.update")

    def trash(self, file_id: str) -> None:
        request = self.google.files.update(fileId=file_id, body={"trashed": True}, supportsAllDrives=True, fields="id")
        self.google.call(request, f"files.update {file_id}", method="drive.files.update")

    def share(self, file_id: str, emails: Iterable[str], role: str = "writer") -> None:
        """Give each person `role` on the file, without notification emails."""
        for email in emails:
            request = self.google.permissions.create(
                fileId=file_id, body={"type": "user", "role": role, "emailAddress": email},
                sendNotificationEmail=False, supportsAllDrives=True, fields="id")
            self.google.call(request, f"permissions.create {file_id}", method="drive.permissions.create")

    def share_with_domain(self, file_id: str, domain: str, role: str = "reader") -> None:
        request = self.google.permissions.create(
            fileId=file_id, body={"type": "domain", "role": role, "domain": domain, "allowFileDiscovery": False},
            supportsAllDrives=True, fields="id")
        self.google.call(request, f"permissions.create {file_id}", method="drive.permissions.create")

    def permissions(self, file_id: str) -> list[Permission]:
        """Everyone who can reach the file, direct or inherited from its shared drive."""
        result: list[Permission] = []
        token = None
        while True:
            request = self.google.permissions.list(
                fileId=file_id, supportsAllDrives=True, pageSize=100, pageToken=token,
                fields="nextPageToken,permissions(id,type,role,emailAddress,domain,deleted,permissionDetails)")
            page = self.google.call(request, f"permissions.list {file_id}", method="drive.permissions.list")
            for p in page.get("permissions", []):
                if p.get("deleted"):
                    continue
                details = p.get("permissionDetails") or []
                inherited = bool(details) and all(d.get("inherited") for d in details)
                email = p.get("emailAddress")
                result.append(Permission(p["id"], p["type"], p["role"], email.lower() if email else None, p.get("domain"), inherited))
            token = page.get("nextPageToken")
            if not token:
                return result
