"""What went out, with the share: the ledger keeps the text each published
share was posted with (its variant's, or the employee's edit of it, with its
tracked link), which variant it was (none: the post's own text) and whether
the employee edited it.

Revision ID: publishing_0005
Revises: publishing_0004
Create Date: 2026-12-04 02:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "publishing_0005"
down_revision: str | Sequence[str] | None = "publishing_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("publishing_ledger", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published_text", sa.String(length=5000), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("variant", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("edited", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("publishing_ledger", schema=None) as batch_op:
        batch_op.drop_column("edited")
        batch_op.drop_column("variant")
        batch_op.drop_column("published_text")
