"""Deferred shares: the ledger keeps a share that a budget holds back with
its time (retry_at) and the ShareDue it came with (due), for the sweeper.

Revision ID: publishing_0003
Revises: publishing_0002
Create Date: 2026-12-03 07:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "publishing_0003"
down_revision: str | Sequence[str] | None = "publishing_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("publishing_ledger", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("due", sa.JSON(), nullable=True))
        batch_op.create_index("ix_publishing_ledger_retry", ["status", "retry_at"])


def downgrade() -> None:
    with op.batch_alter_table("publishing_ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_publishing_ledger_retry")
        batch_op.drop_column("due")
        batch_op.drop_column("retry_at")
