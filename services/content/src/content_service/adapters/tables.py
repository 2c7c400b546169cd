"""Content tables. Every row carries its tenant; every query filters on it."""

from __future__ import annotations

from datetime import datetime

from chorus_db import Migration, create_tables, timestamp
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class PostRow(SQLModel, table=True):
    __tablename__ = "content_posts"
    __table_args__ = (UniqueConstraint("tenant_id", "request_id", name="uq_content_posts_request"),)

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


class ApprovalAuditRow(SQLModel, table=True):
    """Every status transition: who, when, from, to, which version."""

    __tablename__ = "content_approval_audit"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(max_length=64, index=True)
    post_id: str = Field(max_length=36, index=True)
    version: int
    actor_id: str = Field(max_length=100)
    from_status: str = Field(max_length=20)
    to_status: str = Field(max_length=20)
    at: datetime = Field(sa_column=timestamp())


class CharterRow(SQLModel, table=True):
    __tablename__ = "content_charters"

    tenant_id: str = Field(primary_key=True, max_length=64)
    version: int
    blocked_phrases: list = Field(sa_column=Column(JSON, nullable=False))
    max_length: dict = Field(sa_column=Column(JSON, nullable=False))


MIGRATIONS = [Migration("content_0001_initial", create_tables(PostRow, ApprovalAuditRow, CharterRow))]
