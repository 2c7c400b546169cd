"""Campaigns: the content_campaigns table and each post's campaign_id.

Revision ID: content_0003
Revises: content_0002
Create Date: 2026-12-02 21:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "content_0003"
down_revision: str | Sequence[str] | None = "content_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "content_campaigns",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("objective", sa.String(length=30), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("channel_ids", sa.JSON(), nullable=False),
        sa.Column("segment_id", sa.String(length=36), nullable=False),
        sa.Column("pilot_segment_id", sa.String(length=36), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("post_ids", sa.JSON(), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "campaign_id"),
        sa.UniqueConstraint("tenant_id", "request_id", name="uq_content_campaigns_request"),
    )
    with op.batch_alter_table("content_posts") as batch:
        batch.add_column(sa.Column("campaign_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("content_posts") as batch:
        batch.drop_column("campaign_id")
    op.drop_table("content_campaigns")
