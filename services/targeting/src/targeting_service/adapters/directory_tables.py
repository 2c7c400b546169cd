"""Targeting tables: groups, social accounts,
channels, segments, SCIM tokens, erasure tombstones and account links. Tenant-scoped."""

from __future__ import annotations

from datetime import datetime

from chorus_db import timestamp
from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class GroupRow(SQLModel, table=True):
    __tablename__ = "targeting_groups"
    __table_args__ = (
        UniqueConstraint("tenant_id", "display_name", name="uq_targeting_groups_name"),
    )

    tenant_id: str = Field(primary_key=True, max_length=64)
    group_id: str = Field(primary_key=True, max_length=36)
    display_name: str = Field(max_length=200)
    external_id: str = Field(default="", max_length=200)
    updated_at: datetime = Field(sa_column=timestamp())


class GroupMemberRow(SQLModel, table=True):
    __tablename__ = "targeting_group_members"
    # Segments ask "is this employee in group X": EXISTS by employee.
    __table_args__ = (Index("ix_targeting_group_members_employee", "tenant_id", "employee_id"),)

    tenant_id: str = Field(primary_key=True, max_length=64)
    group_id: str = Field(primary_key=True, max_length=36)
    employee_id: str = Field(primary_key=True, max_length=36)


class SocialAccountRow(SQLModel, table=True):
    """The public side of an account (credentials live in publishing)."""

    __tablename__ = "targeting_social_accounts"

    tenant_id: str = Field(primary_key=True, max_length=64)
    employee_id: str = Field(primary_key=True, max_length=36)
    network: str = Field(primary_key=True, max_length=40)
    handle: str = Field(max_length=200)
    followers: int = Field(default=0)


class ChannelRow(SQLModel, table=True):
    __tablename__ = "targeting_channels"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_targeting_channels_name"),)

    tenant_id: str = Field(primary_key=True, max_length=64)
    channel_id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    regions: list = Field(sa_column=Column(JSON, nullable=False))  # [] = visible everywhere
    mandatory: bool
    created_at: datetime = Field(sa_column=timestamp())


class ChannelSubscriptionRow(SQLModel, table=True):
    __tablename__ = "targeting_channel_subscriptions"
    __table_args__ = (Index("ix_targeting_channel_subs_employee", "tenant_id", "employee_id"),)

    tenant_id: str = Field(primary_key=True, max_length=64)
    channel_id: str = Field(primary_key=True, max_length=36)
    employee_id: str = Field(primary_key=True, max_length=36)


class ChannelManagerRow(SQLModel, table=True):
    __tablename__ = "targeting_channel_managers"

    tenant_id: str = Field(primary_key=True, max_length=64)
    channel_id: str = Field(primary_key=True, max_length=36)
    employee_id: str = Field(primary_key=True, max_length=36)


class SegmentRow(SQLModel, table=True):
    """Versioned: saving a segment adds a version; posts keep pointing at
    the rule they were approved with."""

    __tablename__ = "targeting_segments"
    __table_args__ = (Index("ix_targeting_segments_name", "tenant_id", "name"),)

    tenant_id: str = Field(primary_key=True, max_length=64)
    segment_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    name: str = Field(max_length=200)
    rule: str = Field(max_length=10_000)
    created_at: datetime = Field(sa_column=timestamp())


class ScimTokenRow(SQLModel, table=True):
    """One per tenant; only the SHA-256 of the token is kept."""

    __tablename__ = "targeting_scim_tokens"

    tenant_id: str = Field(primary_key=True, max_length=64)
    token_hash: str = Field(max_length=64, unique=True)
    issued_at: datetime = Field(sa_column=timestamp())


class ErasureRow(SQLModel, table=True):
    """Tombstone of an erased employee: an opaque id only, so a later HR
    import of the same person is refused instead of re-creating them."""

    __tablename__ = "targeting_erasures"

    tenant_id: str = Field(primary_key=True, max_length=64)
    employee_id: str = Field(primary_key=True, max_length=36)
    erased_at: datetime = Field(sa_column=timestamp())


class ScimResourceRow(SQLModel, table=True):
    """A SCIM User or Group as the identity provider sent it (every attribute,
    so reads, filters and PATCH see exactly what was written); the directory
    columns the audience uses are projected from it on each write."""

    __tablename__ = "targeting_scim_resources"

    tenant_id: str = Field(primary_key=True, max_length=64)
    resource_type: str = Field(primary_key=True, max_length=40)
    resource_id: str = Field(primary_key=True, max_length=64)
    data: dict = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_column=timestamp())


class AccountLinkRow(SQLModel, table=True):
    """An identity-provider subject linked to its directory entry (one
    account per entry, one entry per account); erased with the person."""

    __tablename__ = "targeting_account_links"
    __table_args__ = (
        UniqueConstraint("tenant_id", "employee_id", name="uq_targeting_account_links_employee"),
    )

    tenant_id: str = Field(primary_key=True, max_length=64)
    subject: str = Field(primary_key=True, max_length=255)
    employee_id: str = Field(max_length=36)
    linked_at: datetime = Field(sa_column=timestamp())
