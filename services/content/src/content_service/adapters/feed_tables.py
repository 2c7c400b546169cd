"""Feed subscriptions, the items already imported, the tenant's allow-list;
and the media drive's assets. Every row carries its tenant."""

from __future__ import annotations

from datetime import datetime

from chorus_db import timestamp
from sqlalchemy import JSON, BigInteger, Column, Index, Text
from sqlmodel import Field, SQLModel


class FeedRow(SQLModel, table=True):
    __tablename__ = "content_feeds"

    feed_id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(max_length=64, index=True)
    url: str = Field(sa_column=Column(Text, nullable=False))
    campaign: str = Field(default="", max_length=100)
    source_language: str = Field(max_length=35)
    author_id: str = Field(max_length=100)
    last_polled_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    last_error: str = Field(default="", sa_column=Column(Text, nullable=True))
    items_imported: int = 0


class FeedItemRow(SQLModel, table=True):
    """An item already turned into a draft: never imported twice."""

    __tablename__ = "content_feed_items"

    tenant_id: str = Field(primary_key=True, max_length=64)
    feed_id: str = Field(primary_key=True, max_length=36)
    item_key: str = Field(primary_key=True, max_length=32)
    post_id: str = Field(max_length=36)


class FeedHostsRow(SQLModel, table=True):
    __tablename__ = "content_feed_allowed_hosts"

    tenant_id: str = Field(primary_key=True, max_length=64)
    hosts: list = Field(sa_column=Column(JSON, nullable=False))


class MediaRow(SQLModel, table=True):
    """One asset of a tenant's drive. media_id is the content's sha256: the
    same file uploaded twice is one row and one stored file."""

    __tablename__ = "content_media"
    __table_args__ = (Index("ix_content_media_tenant_created", "tenant_id", "created_at"),)

    tenant_id: str = Field(primary_key=True, max_length=64)
    media_id: str = Field(primary_key=True, max_length=64)
    content_type: str = Field(max_length=50)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    width: int = 0
    height: int = 0
    tags: list = Field(sa_column=Column(JSON, nullable=False))
    filename: str = Field(default="", max_length=255)
    description: str = Field(default="", sa_column=Column(Text, nullable=True))
    uploader_id: str = Field(default="", max_length=100)
    created_at: datetime = Field(sa_column=timestamp())
