"""Translations held for a human translator (their shares wait, and say so);
the language a stored text is really in when translation fell back.

Revision ID: scheduling_0003
Revises: scheduling_0002
Create Date: 2026-12-01 21:53:38.498622
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scheduling_0003"
down_revision: str | Sequence[str] | None = "scheduling_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduling_unavailable_translations",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id", "version", "language"),
    )
    with op.batch_alter_table("scheduling_translations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fallback_language", sa.String(length=35), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("scheduling_translations", schema=None) as batch_op:
        batch_op.drop_column("fallback_language")

    op.drop_table("scheduling_unavailable_translations")
