"""scheduling_withdrawn_employees moves into the shared chorus_employee_holds
(chorus_messaging.privacy).

Same columns, same meaning (reason opted_out | erased): the rows move as they
are. A hold already recorded for the same person is kept as it is.

Revision ID: scheduling_0002
Revises: scheduling_0001
Create Date: 2026-12-01 21:51:25.916579
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scheduling_0002"
down_revision: str | Sequence[str] | None = "scheduling_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "messaging_0002"


def upgrade() -> None:
    op.execute(
        "INSERT INTO chorus_employee_holds (tenant_id, employee_id, reason, since)"
        " SELECT w.tenant_id, w.employee_id, w.reason, w.since"
        " FROM scheduling_withdrawn_employees w"
        " WHERE NOT EXISTS (SELECT 1 FROM chorus_employee_holds h"
        " WHERE h.tenant_id = w.tenant_id AND h.employee_id = w.employee_id)"
    )
    op.drop_table("scheduling_withdrawn_employees")


def downgrade() -> None:
    op.create_table(
        "scheduling_withdrawn_employees",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "employee_id"),
    )
    op.execute(
        "INSERT INTO scheduling_withdrawn_employees (tenant_id, employee_id, reason, since)"
        " SELECT tenant_id, employee_id, reason, since FROM chorus_employee_holds"
    )
