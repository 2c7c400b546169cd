"""The post's text variants per network, translated with the rest of each
language (issue 9 §4). Translations stored before have none.

Revision ID: translation_0003
Revises: translation_0002
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "translation_0003"
down_revision: str | Sequence[str] | None = "translation_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("translation_translations") as batch:
        batch.add_column(sa.Column("network_variants", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("translation_translations") as batch:
        batch.drop_column("network_variants")
