"""The publishing schema as the runner before Alembic left it (all its steps in one).

Revision ID: publishing_0001
Revises:
Create Date: 2026-12-01 21:42:12.295978
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "publishing_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("publishing",)
depends_on: str | Sequence[str] | None = "messaging_0001"


def upgrade() -> None:
    op.create_table(
        "publishing_accounts",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("network", sa.String(length=20), nullable=False),
        sa.Column("handle", sa.String(length=253), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("secret_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=True),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id"),
        sa.UniqueConstraint(
            "tenant_id", "employee_id", "network", name="uq_publishing_accounts_owner"
        ),
    )
    op.create_table(
        "publishing_cancelled_shares",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("share_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "share_id"),
    )
    op.create_table(
        "publishing_ledger",
        sa.Column("share_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("network", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_token", sa.String(length=36), nullable=False),
        sa.Column("post_uri", sa.String(length=500), nullable=False),
        sa.Column("post_cid", sa.String(length=200), nullable=False),
        sa.Column("link_code", sa.String(length=64), nullable=False),
        sa.Column("failure_reason", sa.String(length=500), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("share_id"),
    )
    op.create_index(
        "ix_publishing_ledger_post",
        "publishing_ledger",
        ["tenant_id", "post_id", "status"],
        unique=False,
    )
    op.create_table(
        "publishing_withdrawn_employees",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "employee_id"),
    )


def downgrade() -> None:
    op.drop_table("publishing_withdrawn_employees")
    op.drop_index("ix_publishing_ledger_post", table_name="publishing_ledger")
    op.drop_table("publishing_ledger")
    op.drop_table("publishing_cancelled_shares")
    op.drop_table("publishing_accounts")
