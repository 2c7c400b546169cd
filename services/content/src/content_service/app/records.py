"""What the stores hand back besides posts and charters: plain records, so the
use cases and the API read no database row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from content_service.domain.charter import Violation


@dataclass(frozen=True)
class Comment:
    comment_id: str
    tenant_id: str
    post_id: str
    version: int
    author_id: str
    text: str
    at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One status transition (or review step) of a post: who, when, from, to, why."""

    tenant_id: str
    post_id: str
    version: int
    actor_id: str
    from_status: str
    to_status: str
    at: datetime
    reason: str
    step: str


@dataclass(frozen=True)
class Proposal:
    """The moderation side of a UGC post: what was detected and found when it
    was proposed, and the moderator's decision ("" while pending)."""

    tenant_id: str
    post_id: str
    detected_language: str
    violations: tuple[Violation, ...]
    decision: str  # "" | approved | rejected
    reason: str


@dataclass(frozen=True)
class HeldTranslation:
    """A language of a post version held back by a blocking charter violation."""

    tenant_id: str
    post_id: str
    post_version: int
    language: str
    violations: tuple[Violation, ...]
    held_at: datetime


@dataclass(frozen=True)
class Feed:
    """An RSS/Atom subscription whose new items become draft posts."""

    feed_id: str
    tenant_id: str
    url: str
    campaign: str
    source_language: str
    author_id: str
    last_polled_at: datetime | None = None
    last_error: str = ""
    items_imported: int = 0


@dataclass(frozen=True)
class MediaAsset:
    """One asset of a tenant's media drive. media_id is the content's sha256:
    the same file uploaded twice is one asset."""

    tenant_id: str
    media_id: str
    content_type: str
    size: int
    width: int
    height: int
    tags: tuple[str, ...]
    filename: str
    description: str
    uploader_id: str
    created_at: datetime
