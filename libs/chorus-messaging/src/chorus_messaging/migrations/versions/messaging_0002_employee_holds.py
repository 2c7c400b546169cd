"""Employee holds (chorus_messaging.privacy), one table every service shares.

Scheduling and publishing move their former withdrawn-employee rows here in
their own revisions (scheduling_0002, publishing_0002).

Revision ID: messaging_0002
Revises: messaging_0001
Create Date: 2026-12-01 21:50:52.989151
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "messaging_0002"
down_revision: str | Sequence[str] | None = "messaging_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chorus_employee_holds",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "employee_id"),
    )


def downgrade() -> None:
    op.drop_table("chorus_employee_holds")
