"""What the slot planner needs on each share: the post's window, the
member's sharing hours, daily cap and home region, and whether its time is
the planner's (planned) or one the employee picked.

Revision ID: scheduling_0004
Revises: scheduling_0003
Create Date: 2026-12-02 21:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scheduling_0004"
down_revision: str | Sequence[str] | None = "scheduling_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scheduling_shares", schema=None) as batch_op:
        batch_op.add_column(sa.Column("valid_from", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("sharing_hours", sa.String(length=32), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("daily_cap", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("region", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("planned", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("scheduling_shares", schema=None) as batch_op:
        batch_op.drop_column("planned")
        batch_op.drop_column("region")
        batch_op.drop_column("daily_cap")
        batch_op.drop_column("sharing_hours")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("valid_from")
