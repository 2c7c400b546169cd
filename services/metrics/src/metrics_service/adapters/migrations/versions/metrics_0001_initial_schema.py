"""The metrics schema as the runner before Alembic left it (all its steps in one).

Revision ID: metrics_0001
Revises:
Create Date: 2026-12-01 21:42:53.203044
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "metrics_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("metrics",)
depends_on: str | Sequence[str] | None = "messaging_0001"


def upgrade() -> None:
    op.create_table(
        "metrics_clicks",
        sa.Column("click_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("share_id", sa.String(length=100), nullable=False),
        sa.Column("post_id", sa.String(length=100), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("clicked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("click_id"),
    )
    op.create_index(op.f("ix_metrics_clicks_code"), "metrics_clicks", ["code"], unique=False)
    op.create_index(
        "ix_metrics_clicks_post",
        "metrics_clicks",
        ["tenant_id", "post_id", "clicked_at"],
        unique=False,
    )
    op.create_table(
        "metrics_counted_shares",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("share_id", sa.String(length=100), nullable=False),
        sa.Column("post_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "share_id"),
    )
    op.create_table(
        "metrics_post_stats",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("shares", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id", "country"),
    )
    op.create_table(
        "metrics_tracked_links",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("share_id", sa.String(length=100), nullable=False),
        sa.Column("post_id", sa.String(length=100), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("network", sa.String(length=40), nullable=False),
        sa.Column("target_url", sa.Text(), nullable=False),
        sa.Column("campaign", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("tenant_id", "share_id", name="uq_metrics_links_share"),
    )


def downgrade() -> None:
    op.drop_table("metrics_tracked_links")
    op.drop_table("metrics_post_stats")
    op.drop_table("metrics_counted_shares")
    op.drop_index("ix_metrics_clicks_post", table_name="metrics_clicks")
    op.drop_index(op.f("ix_metrics_clicks_code"), table_name="metrics_clicks")
    op.drop_table("metrics_clicks")
