"""The targeting schema as the runner before Alembic left it (all its steps in one).

Revision ID: targeting_0001
Revises:
Create Date: 2026-12-01 21:41:06.959178
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "targeting_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("targeting",)
depends_on: str | Sequence[str] | None = "messaging_0001"


def upgrade() -> None:
    op.create_table(
        "targeting_channel_managers",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("employee_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "channel_id", "employee_id"),
    )
    op.create_table(
        "targeting_channel_subscriptions",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("employee_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "channel_id", "employee_id"),
    )
    op.create_index(
        "ix_targeting_channel_subs_employee",
        "targeting_channel_subscriptions",
        ["tenant_id", "employee_id"],
        unique=False,
    )
    op.create_table(
        "targeting_channels",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "channel_id"),
        sa.UniqueConstraint("tenant_id", "name", name="uq_targeting_channels_name"),
    )
    op.create_table(
        "targeting_directory_imports",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deactivated", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "request_id"),
    )
    op.create_table(
        "targeting_employees",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=36), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("auto_share", sa.Boolean(), nullable=False),
        sa.Column("home_region", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("manager", sa.String(length=200), nullable=False),
        sa.Column("employment_status", sa.String(length=20), nullable=False),
        sa.Column("hire_date", sa.Date(), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("opted_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opt_in_source", sa.String(length=40), nullable=False),
        sa.Column("sharing_networks", sa.JSON(), nullable=False),
        sa.Column("max_shares_per_day", sa.Integer(), nullable=False),
        sa.Column("sharing_hours", sa.String(length=11), nullable=False),
        sa.Column("networks", sa.String(length=200), nullable=False),
        sa.Column("group_names", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "employee_id"),
        sa.UniqueConstraint("tenant_id", "external_id", name="uq_targeting_employees_external"),
    )
    op.create_index(
        "ix_targeting_employees_audience",
        "targeting_employees",
        ["tenant_id", "home_region", "active", "opted_in", "country"],
        unique=False,
    )
    # The preview's covering index (see adapters/tables.py): with group_names
    # on SQLite; without on PostgreSQL, whose index entries are capped at
    # ~2.7 kB (a person in many groups would not fit).
    covering = [
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
    ]
    if op.get_bind().dialect.name == "sqlite":
        op.create_index(
            "ix_targeting_employees_segment",
            "targeting_employees",
            [*covering, "group_names", "employee_id"],
        )
    else:
        op.create_index(
            "ix_targeting_employees_breakdown", "targeting_employees", [*covering, "employee_id"]
        )
    op.create_table(
        "targeting_erasures",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=36), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "employee_id"),
    )
    op.create_table(
        "targeting_group_members",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("employee_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "group_id", "employee_id"),
    )
    op.create_index(
        "ix_targeting_group_members_employee",
        "targeting_group_members",
        ["tenant_id", "employee_id"],
        unique=False,
    )
    op.create_table(
        "targeting_groups",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "group_id"),
        sa.UniqueConstraint("tenant_id", "display_name", name="uq_targeting_groups_name"),
    )
    op.create_table(
        "targeting_resolutions",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("batch_count", sa.Integer(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("segment_id", sa.String(length=36), nullable=False),
        sa.Column("segment_version", sa.Integer(), nullable=False),
        sa.Column("channel_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id", "version"),
    )
    op.create_table(
        "targeting_scim_resources",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("resource_type", sa.String(length=40), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "resource_type", "resource_id"),
    )
    op.create_table(
        "targeting_scim_tokens",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "targeting_segments",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("segment_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("rule", sa.String(length=10000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "segment_id", "version"),
    )
    op.create_index(
        "ix_targeting_segments_name", "targeting_segments", ["tenant_id", "name"], unique=False
    )
    op.create_table(
        "targeting_social_accounts",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=36), nullable=False),
        sa.Column("network", sa.String(length=40), nullable=False),
        sa.Column("handle", sa.String(length=200), nullable=False),
        sa.Column("followers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "employee_id", "network"),
    )


def downgrade() -> None:
    op.drop_table("targeting_social_accounts")
    op.drop_index("ix_targeting_segments_name", table_name="targeting_segments")
    op.drop_table("targeting_segments")
    op.drop_table("targeting_scim_tokens")
    op.drop_table("targeting_scim_resources")
    op.drop_table("targeting_resolutions")
    op.drop_table("targeting_groups")
    op.drop_index("ix_targeting_group_members_employee", table_name="targeting_group_members")
    op.drop_table("targeting_group_members")
    op.drop_table("targeting_erasures")
    op.drop_index("ix_targeting_employees_audience", table_name="targeting_employees")
    op.drop_table("targeting_employees")
    op.drop_table("targeting_directory_imports")
    op.drop_table("targeting_channels")
    op.drop_index(
        "ix_targeting_channel_subs_employee", table_name="targeting_channel_subscriptions"
    )
    op.drop_table("targeting_channel_subscriptions")
    op.drop_table("targeting_channel_managers")
