"""Kafka entry points of the gateway: decode -> use case, in the event's
transaction (with its inbox row). Thin.

* chorus.audit.entry.v1: every service's AuditRecorded into the audit log;
* EmployeeErased: the erased person's sign-in subjects lose their role grants;
* the events tenants subscribe webhooks to: each becomes a queued delivery
  per subscribed webhook (app/webhook_delivery.py). Only the fields named
  here go out: a field added to a Chorus event reaches receivers only once
  someone decides it should (ids, not personal data).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus.content.v1 import content_events_pb2 as content_events
from chorus.gamification.v1 import gamification_events_pb2 as gamification_events
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_core.prototime import from_timestamp
from chorus_messaging import EventContext, Subscription
from chorus_messaging.privacy import employee_privacy_subscription
from chorus_messaging.topics import AUDIT, POINTS, POSTS, PUBLISHING_ACCOUNTS, SHARES_PUBLISHED
from opentelemetry import trace

from gateway_service.app.audit import AuditEntry, AuditLog
from gateway_service.app.role_grants import RoleGrants
from gateway_service.app.webhook_delivery import WebhookIntake


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def subscriptions(
    audit_log: AuditLog, intake: WebhookIntake, role_grants: RoleGrants | None = None
) -> list[Subscription]:
    """role_grants None: no erasure subscription (tests of the other handlers)."""

    async def on_audit(event: audit_events.AuditRecorded, ctx: EventContext) -> None:
        trace.get_current_span().set_attribute("chorus.tenant_id", ctx.tenant_id)
        entry = AuditEntry(
            audit_id=event.audit_id,
            tenant_id=ctx.tenant_id,
            actor=event.actor,
            action=event.action,
            target_type=event.target_type,
            target_id=event.target_id,
            summary=event.summary,
            request_id=event.request_id,
            trace_id=event.trace_id,
            service=event.service,
            occurred_at=from_timestamp(event.occurred_at) or ctx.envelope.ce_time,
        )
        async with ctx.transaction() as tx:
            await audit_log.keep(entry, tx)

    async def webhook(ctx: EventContext, event_type: str, data: Mapping[str, Any]) -> None:
        trace.get_current_span().set_attribute("chorus.tenant_id", ctx.tenant_id)
        async with ctx.transaction() as tx:
            await intake.enqueue(
                tx,
                tenant_id=ctx.tenant_id,
                event_type=event_type,
                event_id=ctx.envelope.ce_id,
                occurred_at=ctx.envelope.ce_time,
                data=data,
            )

    async def on_post_approved(event: content_events.PostApproved, ctx: EventContext) -> None:
        post = event.post
        data = {
            "post_id": post.post_id,
            "version": post.version,
            "title": post.title,
            "link": post.link,
            "campaign": post.campaign,
            "approved_at": _iso(from_timestamp(event.approved_at)),
        }
        await webhook(ctx, "post.approved", data)

    async def on_share_published(
        event: publishing_events.SharePublished, ctx: EventContext
    ) -> None:
        data = {
            "share_id": event.share_id,
            "post_id": event.post_id,
            "employee_id": event.employee_id,
            "network": event.network,
            "post_uri": event.post_uri,
            "published_at": _iso(from_timestamp(event.published_at)),
        }
        await webhook(ctx, "share.published", data)

    async def on_share_failed(event: publishing_events.ShareFailed, ctx: EventContext) -> None:
        data = {
            "share_id": event.share_id,
            "post_id": event.post_id,
            "employee_id": event.employee_id,
            "network": event.network,
            "reason": event.reason,
            "retryable": event.retryable,
        }
        await webhook(ctx, "share.failed", data)

    async def on_points_awarded(
        event: gamification_events.PointsAwarded, ctx: EventContext
    ) -> None:
        data = {
            "employee_id": event.employee_id,
            "points": event.points,
            "reason": event.reason,
            "total": event.total,
        }
        await webhook(ctx, "points.awarded", data)

    async def on_token_expiring(event: publishing_events.TokenExpiring, ctx: EventContext) -> None:
        data = {
            "account_id": event.account_id,
            "employee_id": event.employee_id,
            "network": event.network,
            "expires_at": _iso(from_timestamp(event.expires_at)),
        }
        await webhook(ctx, "account.token_expiring", data)

    async def on_account_needs_reconnect(
        event: publishing_events.AccountNeedsReconnect, ctx: EventContext
    ) -> None:
        data = {
            "account_id": event.account_id,
            "employee_id": event.employee_id,
            "network": event.network,
            "reason": event.reason,
        }
        await webhook(ctx, "account.reconnect_needed", data)

    erasure = (
        [employee_privacy_subscription(on_erased_subjects=role_grants.erase, holds=False)]
        if role_grants is not None
        else []
    )
    return erasure + [
        Subscription(AUDIT, {audit_events.AuditRecorded: on_audit}),
        Subscription(POSTS, {content_events.PostApproved: on_post_approved}),
        Subscription(
            SHARES_PUBLISHED,
            {
                publishing_events.SharePublished: on_share_published,
                publishing_events.ShareFailed: on_share_failed,
            },
        ),
        Subscription(POINTS, {gamification_events.PointsAwarded: on_points_awarded}),
        Subscription(
            PUBLISHING_ACCOUNTS,
            {
                publishing_events.TokenExpiring: on_token_expiring,
                publishing_events.AccountNeedsReconnect: on_account_needs_reconnect,
            },
        ),
    ]
