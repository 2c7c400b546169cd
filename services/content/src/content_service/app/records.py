"""What the stores hand back besides posts and charters: plain records, so the
use cases and the API read no database row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
