"""An employee's subdivision (ISO 3166-2 after the dash), for the regional
public holidays the slot planner avoids.

Revision ID: targeting_0005
Revises: targeting_0004
Create Date: 2026-12-03 06:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "targeting_0005"
down_revision: str | Sequence[str] | None = "targeting_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "targeting_employees",
        sa.Column("subdivision", sa.String(length=3), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("targeting_employees", "subdivision")
