"""The gamification schema as the runner before Alembic left it (all its steps in one).

Revision ID: gamification_0001
Revises:
Create Date: 2026-12-01 21:42:32.385093
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gamification_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("gamification",)
depends_on: str | Sequence[str] | None = "messaging_0001"


def upgrade() -> None:
    op.create_table(
        "gamification_ledger",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "reason", "source_id", name="uq_gamification_ledger_fact"),
    )
    op.create_index(
        "ix_gamification_ledger_employee",
        "gamification_ledger",
        ["tenant_id", "employee_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "gamification_rebuilds",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("rebuilt_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "request_id"),
    )
    op.create_table(
        "gamification_totals",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "employee_id"),
    )


def downgrade() -> None:
    op.drop_table("gamification_totals")
    op.drop_table("gamification_rebuilds")
    op.drop_index("ix_gamification_ledger_employee", table_name="gamification_ledger")
    op.drop_table("gamification_ledger")
