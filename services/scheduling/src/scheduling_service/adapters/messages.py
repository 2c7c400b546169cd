"""Domain <-> protobuf mapping (the wire format of both gRPC and events)."""

from __future__ import annotations

from chorus.scheduling.v1 import scheduling_events_pb2 as events
from chorus.scheduling.v1 import scheduling_service_pb2 as pb
from chorus_core.prototime import to_timestamp

from scheduling_service.domain.shares import Share, ShareMode, ShareStatus
from scheduling_service.domain.translations import Translation

STATUS_TO_PB = {
    ShareStatus.SUGGESTED: pb.SHARE_STATUS_SUGGESTED,
    ShareStatus.SCHEDULED: pb.SHARE_STATUS_SCHEDULED,
    ShareStatus.DUE: pb.SHARE_STATUS_DUE,
    ShareStatus.CANCELLED: pb.SHARE_STATUS_CANCELLED,
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}
MODE_FROM_PB = {pb.SHARE_MODE_NOW: ShareMode.NOW, pb.SHARE_MODE_AT: ShareMode.AT}


def share_to_pb(share: Share) -> pb.Share:
    message = pb.Share(
        share_id=share.share_id,
        tenant_id=share.tenant_id,
        post_id=share.post_id,
        post_version=share.post_version,
        employee_id=share.employee_id,
        network=share.network,
        language=share.language,
        country=share.country,
        status=STATUS_TO_PB[share.status],
        auto_share=share.auto_share,
    )
    if share.due_at is not None:
        message.due_at.CopyFrom(to_timestamp(share.due_at))
    return message


def share_scheduled(share: Share) -> events.ShareScheduled:
    assert share.due_at is not None, "only a scheduled share is announced"
    return events.ShareScheduled(
        tenant_id=share.tenant_id,
        share_id=share.share_id,
        post_id=share.post_id,
        employee_id=share.employee_id,
        due_at=to_timestamp(share.due_at),
    )


def share_due(share: Share, translation: Translation) -> events.ShareDue:
    assert share.due_at is not None, "only a scheduled share becomes due"
    return events.ShareDue(
        tenant_id=share.tenant_id,
        share_id=share.share_id,
        post_id=share.post_id,
        post_version=share.post_version,
        employee_id=share.employee_id,
        network=share.network,
        language=share.language,
        country=share.country,
        text=translation.text_for(share.network),
        link=translation.link,
        due_at=to_timestamp(share.due_at),
    )
