"""Domain <-> protobuf mapping (the wire format of both gRPC and events)."""

from __future__ import annotations

from datetime import datetime

from chorus.publishing.v1 import publishing_events_pb2 as events
from chorus.publishing.v1 import publishing_service_pb2 as pb
from chorus_core.prototime import to_timestamp

from publishing_service.domain.ledger import LedgerEntry, PublishStatus

STATUS_TO_PB = {
    PublishStatus.LEASED: pb.PUBLISH_STATUS_LEASED,
    PublishStatus.PUBLISHED: pb.PUBLISH_STATUS_PUBLISHED,
    PublishStatus.FAILED: pb.PUBLISH_STATUS_FAILED,
    PublishStatus.DEFERRED: pb.PUBLISH_STATUS_DEFERRED,
    PublishStatus.HELD: pb.PUBLISH_STATUS_HELD,
    PublishStatus.CANCELLED: pb.PUBLISH_STATUS_CANCELLED,
}


def record_to_pb(entry: LedgerEntry) -> pb.PublishRecord:
    record = pb.PublishRecord(
        share_id=entry.share_id,
        post_id=entry.post_id,
        employee_id=entry.employee_id,
        network=entry.network,
        status=STATUS_TO_PB[entry.status],
        post_uri=entry.post_uri,
        failure_reason=entry.failure_reason,
        text=entry.published_text,
        edited=entry.edited,
    )
    if entry.variant is not None:
        record.variant = entry.variant
    if entry.published_at is not None:
        record.published_at.CopyFrom(to_timestamp(entry.published_at))
    if entry.retry_at is not None and entry.status is PublishStatus.DEFERRED:
        record.retry_at.CopyFrom(to_timestamp(entry.retry_at))
    return record


def share_published(
    *,
    tenant_id: str,
    share_id: str,
    post_id: str,
    employee_id: str,
    network: str,
    post_uri: str,
    country: str,
    language: str,
    link_code: str,
    published_at: datetime,
) -> events.SharePublished:
    return events.SharePublished(
        tenant_id=tenant_id,
        share_id=share_id,
        post_id=post_id,
        employee_id=employee_id,
        network=network,
        post_uri=post_uri,
        country=country,
        language=language,
        link_code=link_code,
        published_at=to_timestamp(published_at),
    )


def share_failed(
    *, tenant_id: str, share_id: str, post_id: str, employee_id: str, network: str, reason: str
) -> events.ShareFailed:
    # Only failures a retry cannot fix become events; transient ones are
    # retried by the consumer and never announced. ShareFailed is also what
    # ends a share whose post expired while it waited (deferred, or held for
    # a reconnection): publishing has no other "this share is over" event.
    return events.ShareFailed(
        tenant_id=tenant_id,
        share_id=share_id,
        post_id=post_id,
        employee_id=employee_id,
        network=network,
        reason=reason,
        retryable=False,
    )


def share_deferred(
    *,
    tenant_id: str,
    share_id: str,
    post_id: str,
    employee_id: str,
    network: str,
    retry_at: datetime,
    reason: str,
) -> events.ShareDeferred:
    return events.ShareDeferred(
        tenant_id=tenant_id,
        share_id=share_id,
        post_id=post_id,
        employee_id=employee_id,
        network=network,
        retry_at=to_timestamp(retry_at),
        reason=reason,
    )


def share_held(
    *,
    tenant_id: str,
    share_id: str,
    post_id: str,
    employee_id: str,
    network: str,
    reason: str,
    held_at: datetime,
) -> events.ShareHeld:
    return events.ShareHeld(
        tenant_id=tenant_id,
        share_id=share_id,
        post_id=post_id,
        employee_id=employee_id,
        network=network,
        reason=reason,
        held_at=to_timestamp(held_at),
    )


def token_expiring(
    *,
    tenant_id: str,
    employee_id: str,
    network: str,
    account_id: str,
    expires_at: datetime,
) -> events.TokenExpiring:
    return events.TokenExpiring(
        tenant_id=tenant_id,
        employee_id=employee_id,
        network=network,
        account_id=account_id,
        expires_at=to_timestamp(expires_at),
    )


def account_needs_reconnect(
    *, tenant_id: str, employee_id: str, network: str, account_id: str, reason: str
) -> events.AccountNeedsReconnect:
    return events.AccountNeedsReconnect(
        tenant_id=tenant_id,
        employee_id=employee_id,
        network=network,
        account_id=account_id,
        reason=reason,
    )
