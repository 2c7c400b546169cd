"""Publishing's word on a due share waiting for its employee to reconnect the
account (ShareHeld): since when and why, so the employee and the comms team
see it, as they see a deferral (scheduling_0007).

Revision ID: scheduling_0010
Revises: scheduling_0009
Create Date: 2026-12-03 15:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scheduling_0010"
down_revision: str | Sequence[str] | None = "scheduling_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scheduling_shares", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("held_reason", sa.String(length=300), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("scheduling_shares", schema=None) as batch_op:
        batch_op.drop_column("held_reason")
        batch_op.drop_column("held_since")
