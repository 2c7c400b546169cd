"""Account tokens: each account's token expiry (token_expires_at, from the
network at connect/reconnect) and whether the network refused its token
(reconnect_needed_at and reason: its shares are held until the employee
reconnects); the TokenExpiring warnings sent, one per (account, expiry); the
ledger keeps each share's post expiry (a waiting share ends failed past it),
with the indexes of the sweeper's expiry scan and an account's held shares.

Revision ID: publishing_0004
Revises: publishing_0003
Create Date: 2026-12-03 07:22:11.031440
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "publishing_0004"
down_revision: str | Sequence[str] | None = "publishing_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publishing_token_warnings",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "account_id", "expires_at"),
    )
    with op.batch_alter_table("publishing_accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("reconnect_needed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("reconnect_reason", sa.String(length=500), server_default="", nullable=False)
        )
        batch_op.create_index(
            "ix_publishing_accounts_token_expiry", ["token_expires_at"], unique=False
        )

    with op.batch_alter_table("publishing_ledger", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_publishing_ledger_account",
            ["tenant_id", "employee_id", "network", "status"],
            unique=False,
        )
        batch_op.create_index("ix_publishing_ledger_expiry", ["status", "expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("publishing_ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_publishing_ledger_expiry")
        batch_op.drop_index("ix_publishing_ledger_account")
        batch_op.drop_column("expires_at")

    with op.batch_alter_table("publishing_accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_publishing_accounts_token_expiry")
        batch_op.drop_column("reconnect_reason")
        batch_op.drop_column("reconnect_needed_at")
        batch_op.drop_column("token_expires_at")

    op.drop_table("publishing_token_warnings")
