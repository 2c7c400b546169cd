"""Account links: an identity-provider subject linked to its directory entry
on first sign-in (LinkAccount), and the e-mail index that sign-in finds the
entry by.

Revision ID: targeting_0003
Revises: targeting_0002
Create Date: 2026-12-02 00:29:56.382693
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "targeting_0003"
down_revision: str | Sequence[str] | None = "targeting_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "targeting_account_links",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("employee_id", sa.String(length=36), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "subject"),
        sa.UniqueConstraint("tenant_id", "employee_id", name="uq_targeting_account_links_employee"),
    )
    # A plain CREATE INDEX (not a batch operation, which rebuilds a SQLite table).
    op.create_index(
        "ix_targeting_employees_email", "targeting_employees", ["tenant_id", "email"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_targeting_employees_email", table_name="targeting_employees")
    op.drop_table("targeting_account_links")
