"""The member's subdivision (ISO 3166-2 after the dash) on each share: the
planner avoids its regional public holidays as well as the country's.

Revision ID: scheduling_0005
Revises: scheduling_0004
Create Date: 2026-12-03 06:35:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scheduling_0005"
down_revision: str | Sequence[str] | None = "scheduling_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scheduling_shares", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("subdivision", sa.String(length=3), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("scheduling_shares", schema=None) as batch_op:
        batch_op.drop_column("subdivision")
