"""Metrics tables. Every row carries its tenant; every query filters on it
(except the public redirect's lookup by code: the code is what a visitor has,
and it is unique across tenants)."""

from __future__ import annotations

from datetime import datetime

from chorus_db import timestamp
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class TrackedLinkRow(SQLModel, table=True):
    __tablename__ = "metrics_tracked_links"
    __table_args__ = (UniqueConstraint("tenant_id", "share_id", name="uq_metrics_links_share"),)

    code: str = Field(primary_key=True, max_length=16)
    tenant_id: str = Field(max_length=64)
    share_id: str = Field(max_length=100)
    post_id: str = Field(max_length=100)
    employee_id: str = Field(max_length=100)
    country: str = Field(max_length=2)
    network: str = Field(max_length=40)
    target_url: str = Field(sa_column=Column(Text, nullable=False))
    campaign: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_column=timestamp())
    # The W3C context of the CreateTrackedLink call (inside the share's
    # publish trace): a click on the link is recorded in that trace.
    traceparent: str | None = Field(default=None, max_length=100)
    tracestate: str | None = Field(default=None, max_length=512)


class ClickRow(SQLModel, table=True):
    """One row per counted click. No IP address, no User-Agent, not even a
    hash of them: nothing here needs to tell visitors apart (preview bots are
    filtered by User-Agent before counting, in memory), and a hash of an IP is
    still personal data under the GDPR. Visitor de-duplication, if the
    programme ever wants it, needs a rotating secret salt and its own review."""

    __tablename__ = "metrics_clicks"
    __table_args__ = (Index("ix_metrics_clicks_post", "tenant_id", "post_id", "clicked_at"),)

    click_id: str = Field(primary_key=True, max_length=36)
    code: str = Field(max_length=16, index=True)
    tenant_id: str = Field(max_length=64)
    share_id: str = Field(max_length=100)
    post_id: str = Field(max_length=100)
    employee_id: str = Field(max_length=100)
    country: str = Field(max_length=2)
    clicked_at: datetime = Field(sa_column=timestamp())


class PostStatsRow(SQLModel, table=True):
    """Running KPI counters per (tenant, post, country)."""

    __tablename__ = "metrics_post_stats"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=100)
    country: str = Field(primary_key=True, max_length=2)
    shares: int = 0
    clicks: int = 0


class CountedShareRow(SQLModel, table=True):
    """A share that has been counted: the fact's own key, so a SharePublished
    re-sent under another ce_id (which the inbox cannot catch) counts once.
    Also the log a campaign's actuals are aggregated from (shares and
    distinct ambassadors of its posts in a period)."""

    __tablename__ = "metrics_counted_shares"
    __table_args__ = (
        Index("ix_metrics_counted_shares_post", "tenant_id", "post_id", "published_at"),
    )

    tenant_id: str = Field(primary_key=True, max_length=64)
    share_id: str = Field(primary_key=True, max_length=100)
    post_id: str = Field(max_length=100)
    country: str = Field(max_length=2)
    counted_at: datetime = Field(sa_column=timestamp())
    # When the share went out (SharePublished.published_at; the counting
    # time for shares counted before this column, and for an event without it).
    published_at: datetime = Field(sa_column=timestamp())
    # The sharer, for counting active ambassadors. None: not known (a share
    # counted before this column whose link did not name them, or one of an
    # employee already erased), so not counted as an ambassador. An erasure
    # replaces the id by a random token of its own (app.erasure).
    employee_id: str | None = Field(default=None, max_length=100)
