"""Personalisation against the parrot effect (issue 9 §4): the post's text
variants with each translation, and on each share the variant the employee
chose (once due: the one it posted) and the text they wrote themselves.
Existing rows have neither.

Revision ID: scheduling_0008
Revises: scheduling_0007
Create Date: 2026-12-03 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scheduling_0008"
down_revision: str | Sequence[str] | None = "scheduling_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scheduling_translations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("network_variants", sa.JSON(), nullable=True))
    with op.batch_alter_table("scheduling_shares", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variant", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("edited_text", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scheduling_shares", schema=None) as batch_op:
        batch_op.drop_column("edited_text")
        batch_op.drop_column("variant")
    with op.batch_alter_table("scheduling_translations", schema=None) as batch_op:
        batch_op.drop_column("network_variants")
