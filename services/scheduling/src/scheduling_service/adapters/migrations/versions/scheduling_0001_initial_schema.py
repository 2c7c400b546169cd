"""The scheduling schema as the runner before Alembic left it (all its steps in one).

Revision ID: scheduling_0001
Revises:
Create Date: 2026-12-01 21:41:51.346085
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scheduling_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("scheduling",)
depends_on: str | Sequence[str] | None = "messaging_0001"


def upgrade() -> None:
    op.create_table(
        "scheduling_requests",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("operation", sa.String(length=20), nullable=False),
        sa.Column("share_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "request_id"),
    )
    op.create_table(
        "scheduling_shares",
        sa.Column("share_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("post_version", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("network", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("auto_share", sa.Boolean(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("traceparent", sa.String(length=100), nullable=True),
        sa.Column("tracestate", sa.String(length=512), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("share_id"),
    )
    op.create_index(
        "ix_scheduling_shares_employee",
        "scheduling_shares",
        ["tenant_id", "employee_id"],
        unique=False,
    )
    op.create_index(
        "ix_scheduling_shares_post", "scheduling_shares", ["tenant_id", "post_id"], unique=False
    )
    op.create_index(
        "ix_scheduling_shares_status_due", "scheduling_shares", ["status", "due_at"], unique=False
    )
    op.create_table(
        "scheduling_translation_verdicts",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("text_digest", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id", "version", "language"),
    )
    op.create_table(
        "scheduling_translations",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("link", sa.String(), nullable=False),
        sa.Column("network_texts", sa.JSON(), nullable=False),
        sa.Column("text_digest", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id", "version", "language"),
    )
    op.create_table(
        "scheduling_withdrawn_employees",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "employee_id"),
    )


def downgrade() -> None:
    op.drop_table("scheduling_withdrawn_employees")
    op.drop_table("scheduling_translations")
    op.drop_table("scheduling_translation_verdicts")
    op.drop_index("ix_scheduling_shares_status_due", table_name="scheduling_shares")
    op.drop_index("ix_scheduling_shares_post", table_name="scheduling_shares")
    op.drop_index("ix_scheduling_shares_employee", table_name="scheduling_shares")
    op.drop_table("scheduling_shares")
    op.drop_table("scheduling_requests")
