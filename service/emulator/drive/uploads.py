"""Uploaded content on a Drive file: what a blob records (size, checksums), and the conversions not modelled."""

from __future__ import annotations

import hashlib

from service.emulator.errors import unmodelled
from service.emulator.media import Media

OCTET_STREAM = "application/octet-stream"
GOOGLE_APPS = "application/vnd.google-apps."


def check_target(mime_type: str, media: Media) -> None:
    """Refuse what the emulator cannot store: content for a Google Workspace type.

    Google imports the content ("converted, if possible") when the metadata asks for a Google type,
    e.g. text/plain or text/markdown into a Google Docs document. The emulator models no import.
    """
    if mime_type.startswith(GOOGLE_APPS):
        raise unmodelled(f"importing uploaded {media.content_type} content into {mime_type} "
                         "(conversion on upload)")


def content_fields(media: Media) -> dict:
    """The record fields of a blob's content.

    Divergence: the bytes themselves are not kept (downloading, alt=media, is not modelled either);
    the size and checksums Drive reports are.
    """
    data = media.data
    return {"size": len(data), "md5Checksum": hashlib.md5(data).hexdigest(),  # noqa: S324 - Drive's checksum
            "sha1Checksum": hashlib.sha1(data).hexdigest(),  # noqa: S324 - Drive's checksum
            "sha256Checksum": hashlib.sha256(data).hexdigest()}


def content_resource(record: dict) -> dict:
    """The File fields a blob's content shows (int64 values as strings, as Drive sends them)."""
    if record.get("size") is None:
        return {}
    return {"size": str(record["size"]), "quotaBytesUsed": str(record["size"]),
            **{key: record[key] for key in ("md5Checksum", "sha1Checksum", "sha256Checksum") if record.get(key)}}
