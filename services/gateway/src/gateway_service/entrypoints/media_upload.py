"""The body of a media upload: multipart/form-data (a `file` part, and
optional `filename`, `tags` and `description` fields) or the raw bytes
(metadata in the query), cut into the chunks UploadMedia streams.

Multipart is parsed with the standard library's MIME parser: the gateway
has no multipart dependency, and the body is in memory already (the
Idempotency-Key fingerprint reads it, bounded by the media body limit).
"""

from __future__ import annotations

import email.parser
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message

from gateway_service.domain.problems import FieldError, ProblemError, bad_request

CHUNK = 64 * 1024  # well under gRPC's message limit, as content's download chunks
MULTIPART = "multipart/form-data"
_MAX_PARTS = 50


@dataclass
class Upload:
    content: bytes
    filename: str = ""
    tags: list[str] = field(default_factory=list)
    description: str = ""

    def chunks(self) -> Iterator[bytes]:
        for start in range(0, len(self.content), CHUNK):
            yield self.content[start : start + CHUNK]


def _invalid(where: str, reason: str) -> ProblemError:
    return bad_request("the upload is not valid", FieldError(where, reason))


def _text(part: Message, where: str, limit: int) -> str:
    raw = part.get_payload(decode=True)
    value = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""
    if len(value) > limit:
        raise _invalid(where, f"at most {limit} characters")
    return value


def parse_multipart(content_type: str, body: bytes) -> Upload:
    """The upload in a multipart/form-data body (400 naming what is wrong)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart() or not message.get_boundary():
        raise _invalid("body", "not a multipart/form-data body")
    parts = message.get_payload()
    if not isinstance(parts, list) or len(parts) > _MAX_PARTS:
        raise _invalid("body", f"1 to {_MAX_PARTS} parts")
    upload: Upload | None = None
    filename, description, tags = "", "", []
    for part in parts:
        if not isinstance(part, Message):
            raise _invalid("body", "not a multipart/form-data body")
        name = part.get_param("name", header="content-disposition")
        if name == "file":
            if upload is not None:
                raise _invalid("body.file", "only one file per upload")
            raw = part.get_payload(decode=True)
            upload = Upload(raw if isinstance(raw, bytes) else b"", part.get_filename() or "")
        elif name == "filename":
            filename = _text(part, "body.filename", 255)
        elif name == "description":
            description = _text(part, "body.description", 2000)
        elif name == "tags":
            tags.append(_text(part, "body.tags", 50))
        else:
            raise _invalid(f"body.{name or 'part'}", "unknown field")
    if upload is None:
        raise _invalid("body.file", "required")
    if filename:
        upload.filename = filename
    if len(upload.filename) > 255:
        raise _invalid("body.filename", "at most 255 characters")
    upload.description, upload.tags = description, tags
    return upload
