"""Scheduling tables. Every row carries its tenant; every query filters on it
(the timer's scan is the one cross-tenant read, see adapters/repository.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from chorus_db import timestamp
from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel


class ShareRow(SQLModel, table=True):
    __tablename__ = "scheduling_shares"
    __table_args__ = (
        # The timer's scan: scheduled shares in due order.
        Index("ix_scheduling_shares_status_due", "status", "due_at"),
        Index("ix_scheduling_shares_post", "tenant_id", "post_id"),
        Index("ix_scheduling_shares_employee", "tenant_id", "employee_id"),
    )

    share_id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(max_length=64)
    post_id: str = Field(max_length=36)
    post_version: int
    employee_id: str = Field(max_length=100)
    network: str = Field(max_length=20)
    language: str = Field(max_length=35)
    country: str = Field(max_length=2)
    timezone: str = Field(max_length=64)
    status: str = Field(max_length=20)
    auto_share: bool
    due_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # What the slot planner needs (domain.shares.Planning), from the audience
    # event: the post's window and the member's preferences. Server defaults:
    # rows written before the columns existed have no window and no preferences.
    valid_from: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    expires_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # Longer than the directory's 11: a value too long to parse is cut, and
    # stays one that does not parse (the planner then leaves a suggestion).
    sharing_hours: str = Field(default="", max_length=32, sa_column_kwargs={"server_default": ""})
    daily_cap: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    region: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    subdivision: str = Field(default="", max_length=3, sa_column_kwargs={"server_default": ""})
    # Publishing's ShareDeferred: when a due share held back by a budget goes out, and why.
    deferred_until: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    deferred_reason: str = Field(
        default="", max_length=300, sa_column_kwargs={"server_default": ""}
    )
    # Publishing's ShareHeld: since when a due share waits for its account's
    # reconnection, and why.
    held_since: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    held_reason: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})
    planned: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # The employee's personalisation (domain.personal): the variant chosen
    # (once due: the one posted), and their own text; None / None: neither.
    variant: int | None = Field(default=None, nullable=True)
    edited_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The W3C trace context current when the share got its due time: the
    # ShareDue fired later by the timer continues that trace, so one trace
    # covers approve -> ... -> schedule -> due -> publish.
    traceparent: str | None = Field(default=None, max_length=100)
    tracestate: str | None = Field(default=None, max_length=512)
    created_at: datetime = Field(sa_column=timestamp())
    updated_at: datetime = Field(sa_column=timestamp())


class TranslationRow(SQLModel, table=True):
    """The text of one post version in one language (from TranslationCompleted)."""

    __tablename__ = "scheduling_translations"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    language: str = Field(primary_key=True, max_length=35)
    body: str
    link: str
    network_texts: dict = Field(sa_column=Column(JSON, nullable=False))
    # network -> the post's text variants, translated (a list each); None: none.
    network_variants: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # domain.translations.text_digest of the text above: a share fires only
    # when content's newest verdict on this exact text cleared it.
    text_digest: str = Field(default="", max_length=64)
    # Set when the text is in this language, not in `language`: translation's
    # policy fell back (the engine cannot produce `language`). ShareDue says so.
    # (A server default: rows written before the column existed are no fallbacks.)
    fallback_language: str = Field(
        default="", max_length=35, sa_column_kwargs={"server_default": ""}
    )
    # The post's title (its link card's) and images (media drive ids; None:
    # none, or a row written before they were kept).
    title: str = Field(default="", sa_column_kwargs={"server_default": ""})
    media_ids: list | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    updated_at: datetime = Field(sa_column=timestamp())


class RequestRow(SQLModel, table=True):
    """Mutating RPCs already applied, by request_id: a retried call returns
    the share as it is now instead of applying the change a second time."""

    __tablename__ = "scheduling_requests"

    tenant_id: str = Field(primary_key=True, max_length=64)
    request_id: str = Field(primary_key=True, max_length=100)
    operation: str = Field(max_length=20)
    share_id: str = Field(max_length=36)
    created_at: datetime = Field(sa_column=timestamp())


class UnavailableTranslationRow(SQLModel, table=True):
    """A (post version, language) translation holds for a human translation
    (TranslationUnavailable): its shares wait for it, and say so."""

    __tablename__ = "scheduling_unavailable_translations"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    language: str = Field(primary_key=True, max_length=35)
    reason: str = Field(default="", max_length=300)
    decided_at: datetime = Field(sa_column=timestamp())


class TranslationVerdictRow(SQLModel, table=True):
    """Content's newest verdict (TranslationCleared / TranslationHeld) on the
    text of one (post version, language). The timer fires a share only when
    verdict is "cleared" and text_digest is the digest of the stored text, so
    no share goes out before content has checked the text it will post."""

    __tablename__ = "scheduling_translation_verdicts"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    language: str = Field(primary_key=True, max_length=35)
    verdict: str = Field(max_length=10)  # "cleared" | "held"
    text_digest: str = Field(max_length=64)
    decided_at: datetime = Field(sa_column=timestamp())
