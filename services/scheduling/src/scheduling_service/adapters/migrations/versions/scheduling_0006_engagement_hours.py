"""Engagement by the local hour of the share, per region and network (the
best local hours are learned from it), and the clicks already counted.

Revision ID: scheduling_0006
Revises: scheduling_0005
Create Date: 2026-12-03 08:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scheduling_0006"
down_revision: str | Sequence[str] | None = "scheduling_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduling_engagement_hours",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("network", sa.String(length=20), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "region", "network", "hour"),
    )
    op.create_table(
        "scheduling_counted_clicks",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("click_id", sa.String(length=64), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "click_id"),
    )


def downgrade() -> None:
    op.drop_table("scheduling_counted_clicks")
    op.drop_table("scheduling_engagement_hours")
