"""The transactional outbox and the inbox (chorus_messaging.tables).

Revision ID: messaging_0001
Revises:
Create Date: 2026-12-01 21:37:05.852954
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "messaging_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("messaging",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chorus_inbox",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("ce_id", sa.String(length=36), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "ce_id"),
    )
    op.create_table(
        "chorus_outbox",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("ce_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("ce_type", sa.String(length=200), nullable=False),
        sa.Column("ce_subject", sa.String(length=200), nullable=False),
        sa.Column("ce_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("traceparent", sa.String(length=100), nullable=True),
        sa.Column("tracestate", sa.String(length=512), nullable=True),
        sa.Column("baggage", sa.String(length=1024), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("ce_id"),
    )
    op.create_index(
        op.f("ix_chorus_outbox_published_at"), "chorus_outbox", ["published_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_chorus_outbox_published_at"), table_name="chorus_outbox")
    op.drop_table("chorus_outbox")
    op.drop_table("chorus_inbox")
