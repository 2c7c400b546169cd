"""Consent records: each RecordConsent / SetParticipation decision by
request_id (the proof of consent, and what makes a retry harmless).

Revision ID: targeting_0002
Revises: targeting_0001
Create Date: 2026-12-01 22:18:01.943850
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "targeting_0002"
down_revision: str | Sequence[str] | None = "targeting_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "targeting_consent_records",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("employee_id", sa.String(length=36), nullable=False),
        sa.Column("operation", sa.String(length=20), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("auto_share", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "request_id"),
    )
    op.create_index(
        "ix_targeting_consent_records_employee",
        "targeting_consent_records",
        ["tenant_id", "employee_id", "decided_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_targeting_consent_records_employee", table_name="targeting_consent_records")
    op.drop_table("targeting_consent_records")
