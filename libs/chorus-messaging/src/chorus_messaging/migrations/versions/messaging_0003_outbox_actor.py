"""The outbox keeps who caused each event (sent as the ce_actor header).

Nullable: rows written before this revision and still unpublished go out
without the header, which consumers read as "unknown".

Revision ID: messaging_0003
Revises: messaging_0002
Create Date: 2026-12-02 00:28:09.743751
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "messaging_0003"
down_revision: str | Sequence[str] | None = "messaging_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table copy on SQLite): a busy outbox is not rewritten.
    op.add_column("chorus_outbox", sa.Column("actor", sa.String(length=300), nullable=True))


def downgrade() -> None:
    # SQLite drops a column by copying the table: batch mode does that.
    with op.batch_alter_table("chorus_outbox") as batch_op:
        batch_op.drop_column("actor")
