"""Upload request bodies (`/upload/...` paths): a simple media upload, or Google's multipart/related metadata + media."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP

from service.emulator.errors import ApiError, unmodelled

# The three upload protocols Google documents for `uploadType` on an /upload URI.
UPLOAD_TYPES = ("media", "multipart", "resumable")
_OCTET_STREAM = "application/octet-stream"


@dataclass(frozen=True)
class Media:
    """The uploaded content: its MIME type (as the client declared it) and its bytes."""

    content_type: str
    data: bytes


def _bad_body(detail: str) -> ApiError:
    # UNCONFIRMED wording: Google's answer to a malformed upload body is not captured.
    return ApiError(400, f"Malformed upload request: {detail}.", reason="badRequest")


def read_upload(upload_type: str | None, content_type: str | None, raw: bytes, what: str) -> tuple[bytes | None, Media]:
    """(the JSON metadata part's bytes, or None; the media) of an upload request.

    `uploadType=media` is the whole body as content; `multipart` is multipart/related with the
    metadata (application/json) first and the content second, as Google documents it and as
    google-api-python-client sends it. `resumable` is a session protocol the emulator does not model.
    """
    if upload_type == "resumable":
        raise unmodelled(f"resumable upload (uploadType=resumable on {what})")
    if upload_type is None:
        # The /upload URI requires uploadType (Drive's files.create reference). UNCONFIRMED wording.
        raise ApiError(400, "The uploadType parameter is required on an upload URI.", reason="required",
                       location="uploadType", location_type="parameter")
    if upload_type not in UPLOAD_TYPES:
        raise ApiError(400, "Invalid Value", reason="invalid", location="uploadType", location_type="parameter")
    if upload_type == "media":
        return None, Media(_media_type(content_type), raw)
    return _multipart(content_type, raw)


def _media_type(content_type: str | None) -> str:
    """The declared MIME type without parameters (a charset stays with the bytes, not the file)."""
    return (content_type or _OCTET_STREAM).split(";", 1)[0].strip().lower() or _OCTET_STREAM


def _multipart(content_type: str | None, raw: bytes) -> tuple[bytes, Media]:
    header = Message()
    header["Content-Type"] = content_type or ""
    if header.get_content_type() != "multipart/related" or not header.get_param("boundary"):
        raise _bad_body("uploadType=multipart needs a multipart/related body with a boundary")
    # Parse the body as a MIME message with that header; HTTP policy keeps CRLF or LF line ends alike.
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + (content_type or "").encode("latin-1")
                                                  + b"\r\n\r\n" + raw)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    if len(parts) != 2:
        raise _bad_body(f"a multipart upload has two parts, metadata then media; this one has {len(parts)}")
    metadata, content = parts
    if metadata.get_content_type() != "application/json":
        raise _bad_body("the first part (the metadata) must be application/json")
    return _payload(metadata), Media(_media_type(content.get("Content-Type")), _payload(content))


def _payload(part: Message) -> bytes:
    """A part's bytes exactly as sent (binary transfer encoding) or decoded (base64, quoted-printable)."""
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""
