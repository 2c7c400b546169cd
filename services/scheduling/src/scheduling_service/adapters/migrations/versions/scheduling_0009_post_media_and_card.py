"""What a share posts besides its text (issue "Publishing at peak campaign
loads" §1): each translation keeps the post's title (a link card's) and its
images (content's media drive ids), which ShareDue carries to publishing.
Existing rows have neither: their shares go out as text, as before.

Revision ID: scheduling_0009
Revises: scheduling_0008
Create Date: 2026-12-10 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scheduling_0009"
down_revision: str | Sequence[str] | None = "scheduling_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scheduling_translations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("media_ids", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scheduling_translations", schema=None) as batch_op:
        batch_op.drop_column("media_ids")
        batch_op.drop_column("title")
