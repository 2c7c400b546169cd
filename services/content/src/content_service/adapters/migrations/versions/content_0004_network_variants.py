"""Text variants per network (issue 9 §4, against the parrot effect): the
head of each post keeps them in content_posts.network_variants; versions keep
them in their JSON document, which needs no change. Existing posts have none.

Revision ID: content_0004
Revises: content_0003
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "content_0004"
down_revision: str | Sequence[str] | None = "content_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("content_posts") as batch:
        batch.add_column(sa.Column("network_variants", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("content_posts") as batch:
        batch.drop_column("network_variants")
