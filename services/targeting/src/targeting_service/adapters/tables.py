"""Targeting tables. Every row carries its tenant; every query filters on it."""

from __future__ import annotations

from datetime import date, datetime

from chorus_db import timestamp
from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# The preview's covering index: the eligibility filter, then the four columns
# the preview groups by (country, language, timezone, networks) adjacent and in
# GROUP BY order, so SQLite aggregates while it walks the index instead of
# sorting every matching row into a temporary B-tree first (that sort was half
# the preview's time).
_BREAKDOWN_INDEX_COLUMNS = (
    "tenant_id",
    "home_region",
    "active",
    "opted_in",
    "consent",
    "country",
    "language",
    "timezone",
    "networks",
    "department",
    "hire_date",
    "employee_id",
)
# SQLite only: the same with group_names, so a segment's group test reads the
# index too instead of fetching every candidate's table row.
# Not on PostgreSQL, whose index entries are capped at ~2.7 kB (a person in
# many groups would not fit) and whose preview is far under the goal without.
_SEGMENT_INDEX_COLUMNS = (*_BREAKDOWN_INDEX_COLUMNS[:-1], "group_names", "employee_id")


class EmployeeRow(SQLModel, table=True):
    __tablename__ = "targeting_employees"
    __table_args__ = (
        UniqueConstraint("tenant_id", "external_id", name="uq_targeting_employees_external"),
        # The audience query: tenant + region + active + opted in, then
        # country; department and language are read from the same rows.
        Index(
            "ix_targeting_employees_audience",
            "tenant_id",
            "home_region",
            "active",
            "opted_in",
            "country",
        ),
        # The preview and resolution read only this index (it covers the
        # eligibility filter, the breakdown columns in GROUP BY order, the
        # segment attributes most rules use, and the id the probes correlate on).
        Index("ix_targeting_employees_breakdown", *_BREAKDOWN_INDEX_COLUMNS).ddl_if(
            dialect="postgresql"
        ),
        Index("ix_targeting_employees_segment", *_SEGMENT_INDEX_COLUMNS).ddl_if(dialect="sqlite"),
        # A first sign-in finds its entry by e-mail (LinkAccount) without a
        # scan of the tenant; e-mails are stored lower-cased.
        Index("ix_targeting_employees_email", "tenant_id", "email"),
    )

    tenant_id: str = Field(primary_key=True, max_length=64)
    employee_id: str = Field(primary_key=True, max_length=36)
    external_id: str = Field(max_length=200)
    email: str = Field(max_length=320)
    display_name: str = Field(max_length=300)
    country: str = Field(max_length=2)
    language: str = Field(max_length=35)
    timezone: str = Field(max_length=64)
    department: str = Field(max_length=200)
    active: bool
    opted_in: bool
    auto_share: bool
    home_region: str = Field(max_length=64)
    updated_at: datetime = Field(sa_column=timestamp())
    title: str = Field(default="", max_length=200)
    manager: str = Field(default="", max_length=200)  # the manager's external id
    employment_status: str = Field(default="active", max_length=20)
    hire_date: date | None = Field(default=None)
    consent: bool = Field(default=True)
    opted_in_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    opt_in_source: str = Field(default="", max_length=40)
    sharing_networks: list = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )
    max_shares_per_day: int = Field(default=0)
    sharing_hours: str = Field(default="", max_length=11)  # "09:00-18:00", empty = any time
    # ISO 3166-2 after the dash ("BY"); empty: not known. (A server default:
    # rows written before the column existed have none.)
    subdivision: str = Field(default="", max_length=3, sa_column_kwargs={"server_default": ""})
    # The person's networks ("bluesky,x", sorted),
    # a copy of their social accounts the import writes with the row (app.directory_import)
    # so the preview's network breakdown is read from the covering index
    # instead of probing the accounts table once per person.
    networks: str = Field(default="", max_length=200)
    # The person's group names ("|Contractors|Sales|",
    # domain.group_names), rewritten in the transaction of every membership
    # change, so a segment's group test is a substring test on the row.
    group_names: str = Field(
        default="", sa_column=Column(Text, nullable=False, default="", server_default="")
    )


class ResolutionRow(SQLModel, table=True):
    """One per resolved post version: a second PostApproved for the same
    version (redelivered with another ce_id, or re-approved) finds it and
    emits nothing."""

    __tablename__ = "targeting_resolutions"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    total: int
    batch_count: int
    resolved_at: datetime = Field(sa_column=timestamp())
    # What cut the audience (the segment version
    # current at approval time; 0 = no segment) and the post's channels.
    segment_id: str = Field(default="", max_length=36)
    segment_version: int = Field(default=0)
    channel_ids: list = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )


class AudienceRoundRow(SQLModel, table=True):
    """One per campaign round of a post version (its campaign's pilot, then
    its widening): the round's CampaignAudienceChanged, redelivered, finds it
    and emits nothing. The version's first resolution is a ResolutionRow."""

    __tablename__ = "targeting_audience_rounds"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    round: str = Field(primary_key=True, max_length=20)
    total: int
    batch_count: int
    resolved_at: datetime = Field(sa_column=timestamp())
    segment_id: str = Field(default="", max_length=36)
    segment_version: int = Field(default=0)


class DirectoryImportRow(SQLModel, table=True):
    """The answer to an ImportDirectory request, so a retry with the same
    request_id returns it instead of importing (and counting) again."""

    __tablename__ = "targeting_directory_imports"

    tenant_id: str = Field(primary_key=True, max_length=64)
    request_id: str = Field(primary_key=True, max_length=100)
    created: int
    updated: int
    errors: list = Field(sa_column=Column(JSON, nullable=False))  # [[line, reason], ...]
    imported_at: datetime = Field(sa_column=timestamp())
    deactivated: int = Field(default=0)
