"""Campaign rounds of a post version's audience (pilot, then widening), each
resolved once.

Revision ID: targeting_0004
Revises: targeting_0003
Create Date: 2026-12-02 21:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "targeting_0004"
down_revision: str | Sequence[str] | None = "targeting_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "targeting_audience_rounds",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("batch_count", sa.Integer(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("segment_id", sa.String(length=36), nullable=False),
        sa.Column("segment_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id", "version", "round"),
    )


def downgrade() -> None:
    op.drop_table("targeting_audience_rounds")
