"""The audit log (append-only: triggers refuse UPDATE and DELETE, and on
PostgreSQL TRUNCATE) and the webhooks: subscriptions, allowed hosts, the
delivery queue and its attempts.

Revision ID: gateway_0002
Revises: gateway_0001
Create Date: 2026-12-02 00:45:32.247114
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0002"
down_revision: str | Sequence[str] | None = "gateway_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gateway_audit_log",
        sa.Column("audit_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("target_type", sa.String(length=64), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("request_id", sa.String(length=255), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("audit_id"),
    )
    with op.batch_alter_table("gateway_audit_log", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gateway_audit_log_action", ["tenant_id", "action", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_gateway_audit_log_actor", ["tenant_id", "actor", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_gateway_audit_log_target", ["tenant_id", "target_type", "target_id"], unique=False
        )
        batch_op.create_index(
            "ix_gateway_audit_log_time", ["tenant_id", "occurred_at", "audit_id"], unique=False
        )
    _refuse_changes()

    op.create_table(
        "gateway_webhook_allowed_hosts",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=253), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "host"),
    )
    op.create_table(
        "gateway_webhook_attempts",
        sa.Column("delivery_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("delivery_id", "number"),
    )
    op.create_table(
        "gateway_webhook_deliveries",
        sa.Column("delivery_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("webhook_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("delivery_id"),
        sa.UniqueConstraint("webhook_id", "event_id", name="uq_gateway_webhook_deliveries_event"),
    )
    with op.batch_alter_table("gateway_webhook_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gateway_webhook_deliveries_due", ["status", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            "ix_gateway_webhook_deliveries_log",
            ["tenant_id", "webhook_id", "delivery_id"],
            unique=False,
        )

    op.create_table(
        "gateway_webhooks",
        sa.Column("webhook_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("event_types", sa.Text(), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("previous_secret", sa.LargeBinary(), nullable=True),
        sa.Column("previous_secret_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_reason", sa.String(length=200), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("webhook_id"),
    )
    with op.batch_alter_table("gateway_webhooks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_webhooks_tenant_id"), ["tenant_id"], unique=False
        )


# The log is evidence: no application path changes it, and neither may a
# mistaken statement or a compromised service account's UPDATE. Only a
# schema owner dropping the trigger could, and that is itself visible.
_REFUSED = "gateway_audit_log is append-only"


def _refuse_changes() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION gateway_audit_log_refuse() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{_REFUSED}' USING ERRCODE = 'insufficient_privilege';
            END
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER gateway_audit_log_no_change BEFORE UPDATE OR DELETE"
            " ON gateway_audit_log FOR EACH ROW EXECUTE FUNCTION gateway_audit_log_refuse()"
        )
        op.execute(
            "CREATE TRIGGER gateway_audit_log_no_truncate BEFORE TRUNCATE"
            " ON gateway_audit_log FOR EACH STATEMENT EXECUTE FUNCTION gateway_audit_log_refuse()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER gateway_audit_log_no_{verb.lower()} BEFORE {verb}"
                f" ON gateway_audit_log BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END"
            )


def _allow_changes() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER gateway_audit_log_no_truncate ON gateway_audit_log")
        op.execute("DROP TRIGGER gateway_audit_log_no_change ON gateway_audit_log")
        op.execute("DROP FUNCTION gateway_audit_log_refuse()")
    else:
        op.execute("DROP TRIGGER gateway_audit_log_no_update")
        op.execute("DROP TRIGGER gateway_audit_log_no_delete")


def downgrade() -> None:
    with op.batch_alter_table("gateway_webhooks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_webhooks_tenant_id"))

    op.drop_table("gateway_webhooks")
    with op.batch_alter_table("gateway_webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_gateway_webhook_deliveries_log")
        batch_op.drop_index("ix_gateway_webhook_deliveries_due")

    op.drop_table("gateway_webhook_deliveries")
    op.drop_table("gateway_webhook_attempts")
    op.drop_table("gateway_webhook_allowed_hosts")
    _allow_changes()
    with op.batch_alter_table("gateway_audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_gateway_audit_log_time")
        batch_op.drop_index("ix_gateway_audit_log_target")
        batch_op.drop_index("ix_gateway_audit_log_actor")
        batch_op.drop_index("ix_gateway_audit_log_action")

    op.drop_table("gateway_audit_log")
