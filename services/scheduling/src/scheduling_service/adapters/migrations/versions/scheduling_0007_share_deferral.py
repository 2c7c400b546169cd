"""Publishing's word on a due share a budget holds back: when it goes out
and why (ShareDeferred), so the employee and the comms team see it.

Revision ID: scheduling_0007
Revises: scheduling_0006
Create Date: 2026-12-03 07:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scheduling_0007"
down_revision: str | Sequence[str] | None = "scheduling_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scheduling_shares", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deferred_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("deferred_reason", sa.String(length=300), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("scheduling_shares", schema=None) as batch_op:
        batch_op.drop_column("deferred_reason")
        batch_op.drop_column("deferred_until")
