"""Counted shares name their sharer and their publish time, so a campaign's
active ambassadors (distinct employees with a counted share of its posts in
a period) can be counted in SQL.

Existing rows: employee_id is copied from the share's tracked link where
metrics has one; where it has none, or the link was already anonymised by an
erasure (the shared "erased" marker, which cannot tell erased people apart),
it stays empty (NULL): that share counts as a share, not as an ambassador.
published_at takes counted_at, the closest time metrics kept (the counter
moved when SharePublished arrived, moments after the publish).

Revision ID: metrics_0003
Revises: metrics_0002
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "metrics_0003"
down_revision: str | Sequence[str] | None = "metrics_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ERASED = "erased"  # app.erasure's marker on links, as it was at this revision


def upgrade() -> None:
    with op.batch_alter_table("metrics_counted_shares", schema=None) as batch_op:
        batch_op.add_column(sa.Column("employee_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    # One statement on both databases (a correlated subquery on the links'
    # unique (tenant_id, share_id)): no rows pulled into Python.
    op.execute(
        sa.text(
            "UPDATE metrics_counted_shares SET published_at = counted_at,"
            " employee_id = (SELECT l.employee_id FROM metrics_tracked_links l"
            " WHERE l.tenant_id = metrics_counted_shares.tenant_id"
            " AND l.share_id = metrics_counted_shares.share_id"
            " AND l.employee_id <> :erased)"
        ).bindparams(erased=ERASED)
    )
    with op.batch_alter_table("metrics_counted_shares", schema=None) as batch_op:
        batch_op.alter_column(
            "published_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.create_index(
            "ix_metrics_counted_shares_post",
            ["tenant_id", "post_id", "published_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("metrics_counted_shares", schema=None) as batch_op:
        batch_op.drop_index("ix_metrics_counted_shares_post")
        batch_op.drop_column("published_at")
        batch_op.drop_column("employee_id")
