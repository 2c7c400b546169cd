"""The translation schema as the runner before Alembic left it (all its steps in one).

Revision ID: translation_0001
Revises:
Create Date: 2026-12-01 21:41:33.991623
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "translation_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("translation",)
depends_on: str | Sequence[str] | None = "messaging_0001"


def upgrade() -> None:
    op.create_table(
        "translation_translations",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("source_language", sa.String(length=35), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("link", sa.String(), nullable=False),
        sa.Column("network_texts", sa.JSON(), nullable=False),
        sa.Column("provider", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id", "version", "language"),
    )


def downgrade() -> None:
    op.drop_table("translation_translations")
