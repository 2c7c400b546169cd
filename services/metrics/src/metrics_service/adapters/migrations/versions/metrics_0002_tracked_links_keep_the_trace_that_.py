"""Tracked links keep the W3C context of the CreateTrackedLink call, so a
click is recorded in the trace that created the link (nullable: links made
before this revision have none, and their clicks stay under the request).

Revision ID: metrics_0002
Revises: metrics_0001
Create Date: 2026-12-01 22:15:45.647938
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "metrics_0002"
down_revision: str | Sequence[str] | None = "metrics_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("metrics_tracked_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("traceparent", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("tracestate", sa.String(length=512), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("metrics_tracked_links", schema=None) as batch_op:
        batch_op.drop_column("tracestate")
        batch_op.drop_column("traceparent")
