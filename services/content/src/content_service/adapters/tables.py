"""Content tables. Every row carries its tenant; every query filters on it."""

from __future__ import annotations

from datetime import datetime

from chorus_db import timestamp
from sqlalchemy import (
    JSON,
    Column,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel


class PostRow(SQLModel, table=True):
    """The head of a post: its latest version, status and review state."""

    __tablename__ = "content_posts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "request_id", name="uq_content_posts_request"),
        # Full-text search on PostgreSQL (adapters/search.py); SQLite searches
        # a separate FTS5 table instead, which the migration creates.
        Index(
            "ix_content_posts_search",
            text("to_tsvector('simple', coalesce(search_text, ''))"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    post_id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(max_length=64, index=True)
    request_id: str | None = Field(default=None, max_length=100)
    version: int
    title: str
    body: str
    link: str
    source_language: str = Field(max_length=35)
    network_texts: dict = Field(sa_column=Column(JSON, nullable=False))
    countries: list = Field(sa_column=Column(JSON, nullable=False))
    departments: list = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(max_length=20, index=True)
    author_id: str = Field(max_length=100)
    approver_id: str = Field(default="", max_length=100)
    created_at: datetime = Field(sa_column=timestamp())
    updated_at: datetime = Field(sa_column=timestamp())
    kind: str = Field(default="brand_news", max_length=20)
    media_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=True))
    hashtags: list = Field(default_factory=list, sa_column=Column(JSON, nullable=True))
    mentions: list = Field(default_factory=list, sa_column=Column(JSON, nullable=True))
    campaign: str = Field(default="", max_length=100)
    channels: list = Field(default_factory=list, sa_column=Column(JSON, nullable=True))
    valid_from: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    expires_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    approved_version: int = Field(default=0)
    review_step: int = Field(default=0)
    review_approvers: list = Field(default_factory=list, sa_column=Column(JSON, nullable=True))
    # Folded words of every text field, space-separated: what full-text search
    # indexes on both databases, so both tokenise it the same way.
    search_text: str = Field(default="", sa_column=Column(Text, nullable=True))
    # Targeting's saved segment and channels, by id.
    segment_id: str = Field(default="", sa_column=Column(String(36), nullable=True))
    channel_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=True))

    # The campaign the post belongs to (membership, not content: it has no
    # version); None for a post outside any campaign.
    campaign_id: str | None = Field(default=None, max_length=36)
    # network -> its text variants (a list); None for posts saved before variants.
    network_variants: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class ApprovalAuditRow(SQLModel, table=True):
    """Every status transition: who, when, from, to, why, which version."""

    __tablename__ = "content_approval_audit"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(max_length=64, index=True)
    post_id: str = Field(max_length=36, index=True)
    version: int
    actor_id: str = Field(max_length=100)
    from_status: str = Field(max_length=20)
    to_status: str = Field(max_length=20)
    at: datetime = Field(sa_column=timestamp())
    reason: str = Field(default="", sa_column=Column(Text, nullable=True))
    step: str = Field(default="", max_length=50)


class CharterRow(SQLModel, table=True):
    """The first charter layout (content_0001); kept so old rows stay readable."""

    __tablename__ = "content_charters"

    tenant_id: str = Field(primary_key=True, max_length=64)
    version: int
    blocked_phrases: list = Field(sa_column=Column(JSON, nullable=False))
    max_length: dict = Field(sa_column=Column(JSON, nullable=False))


class CharterVersionRow(SQLModel, table=True):
    """Every saved charter version, whole (rules as JSON)."""

    __tablename__ = "content_charter_versions"

    tenant_id: str = Field(primary_key=True, max_length=64)
    version: int = Field(primary_key=True)
    rules: dict = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=timestamp())


class PostVersionRow(SQLModel, table=True):
    __tablename__ = "content_post_versions"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    content: dict = Field(sa_column=Column(JSON, nullable=False))
    author_id: str = Field(max_length=100)
    created_at: datetime = Field(sa_column=timestamp())


class CommentRow(SQLModel, table=True):
    __tablename__ = "content_comments"
    __table_args__ = (Index("ix_content_comments_post", "tenant_id", "post_id"),)

    comment_id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(max_length=64)
    post_id: str = Field(max_length=36)
    version: int
    author_id: str = Field(max_length=100)
    text: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(sa_column=timestamp())


class ApprovalChainRow(SQLModel, table=True):
    __tablename__ = "content_approval_chains"

    tenant_id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(primary_key=True, max_length=20)
    steps: list = Field(sa_column=Column(JSON, nullable=False))


class RequestRow(SQLModel, table=True):
    """Mutating RPCs already applied, by request_id: a retry returns the
    current state instead of applying the change twice."""

    __tablename__ = "content_requests"

    tenant_id: str = Field(primary_key=True, max_length=64)
    request_id: str = Field(primary_key=True, max_length=100)
    operation: str = Field(max_length=30)
    subject_id: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=timestamp())


class HeldTranslationRow(SQLModel, table=True):
    __tablename__ = "content_held_translations"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    post_version: int = Field(primary_key=True)
    language: str = Field(primary_key=True, max_length=35)
    violations: list = Field(sa_column=Column(JSON, nullable=False))
    held_at: datetime = Field(sa_column=timestamp())


class ProposalRow(SQLModel, table=True):
    """UGC moderation data of a post of kind ugc."""

    __tablename__ = "content_ugc_proposals"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    detected_language: str = Field(max_length=35)
    violations: list = Field(sa_column=Column(JSON, nullable=False))
    decision: str = Field(default="", max_length=20)  # "" (pending) | approved | rejected
    reason: str = Field(default="", sa_column=Column(Text, nullable=True))
    proposed_at: datetime = Field(sa_column=timestamp())


class CampaignRow(SQLModel, table=True):
    """A campaign. Its lists are small (regions, channels, at most
    MAX_TARGETS targets, its posts) and always read whole: JSON columns."""

    __tablename__ = "content_campaigns"
    __table_args__ = (
        UniqueConstraint("tenant_id", "request_id", name="uq_content_campaigns_request"),
    )

    tenant_id: str = Field(primary_key=True, max_length=64)
    campaign_id: str = Field(primary_key=True, max_length=36)
    request_id: str | None = Field(default=None, max_length=100)
    name: str = Field(max_length=200)
    objective: str = Field(max_length=30)
    starts_at: datetime = Field(sa_column=timestamp())
    ends_at: datetime = Field(sa_column=timestamp())
    regions: list = Field(sa_column=Column(JSON, nullable=False))
    channel_ids: list = Field(sa_column=Column(JSON, nullable=False))
    segment_id: str = Field(default="", max_length=36)
    pilot_segment_id: str = Field(default="", max_length=36)
    targets: list = Field(sa_column=Column(JSON, nullable=False))  # [kpi, target, region]
    post_ids: list = Field(sa_column=Column(JSON, nullable=False))
    phase: str = Field(max_length=20)
    created_at: datetime = Field(sa_column=timestamp())
    updated_at: datetime = Field(sa_column=timestamp())
