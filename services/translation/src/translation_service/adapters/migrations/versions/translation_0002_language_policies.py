"""Per-tenant policy for languages the engine cannot produce (domain.policy),
the decisions it took, and the request ids of SetLanguagePolicy.

Revision ID: translation_0002
Revises: translation_0001
Create Date: 2026-12-01 21:53:01.960436
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "translation_0002"
down_revision: str | Sequence[str] | None = "translation_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "translation_language_decisions",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("fallback_language", sa.String(length=35), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id", "version", "language"),
    )
    op.create_table(
        "translation_language_policies",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("fallback_language", sa.String(length=35), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "language"),
    )
    op.create_table(
        "translation_requests",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("operation", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "request_id"),
    )


def downgrade() -> None:
    op.drop_table("translation_requests")
    op.drop_table("translation_language_policies")
    op.drop_table("translation_language_decisions")
