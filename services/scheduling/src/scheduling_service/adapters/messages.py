"""Domain <-> protobuf mapping (the wire format of both gRPC and events)."""

from __future__ import annotations

from collections.abc import Sequence

from chorus.scheduling.v1 import scheduling_events_pb2 as events
from chorus.scheduling.v1 import scheduling_service_pb2 as pb
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_core.prototime import from_timestamp, optional_timestamp, to_timestamp

from scheduling_service.app.intake import AudienceBatch, Member
from scheduling_service.app.ports import Cancellation
from scheduling_service.domain.personal import shared_text
from scheduling_service.domain.shares import Share, ShareMode, ShareStatus
from scheduling_service.domain.translations import Translation
from scheduling_service.domain.waiting import WaitingGroup, WaitingReason

STATUS_TO_PB = {
    ShareStatus.SUGGESTED: pb.SHARE_STATUS_SUGGESTED,
    ShareStatus.SCHEDULED: pb.SHARE_STATUS_SCHEDULED,
    ShareStatus.DUE: pb.SHARE_STATUS_DUE,
    ShareStatus.CANCELLED: pb.SHARE_STATUS_CANCELLED,
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}
MODE_FROM_PB = {
    pb.SHARE_MODE_NOW: ShareMode.NOW,
    pb.SHARE_MODE_AT: ShareMode.AT,
    pb.SHARE_MODE_NEXT_GOOD_SLOT: ShareMode.NEXT_GOOD_SLOT,
}
REASON_TO_PB = {
    WaitingReason.TRANSLATION: pb.WAITING_REASON_TRANSLATION,
    WaitingReason.HUMAN_TRANSLATION: pb.WAITING_REASON_HUMAN_TRANSLATION,
    WaitingReason.CHARTER_CHECK: pb.WAITING_REASON_CHARTER_CHECK,
    WaitingReason.CHARTER_HELD: pb.WAITING_REASON_CHARTER_HELD,
}


def audience_batch(event: targeting.AudienceBatchResolved) -> AudienceBatch:
    """Targeting's audience batch: the members with their sharing
    preferences, and the post's window (unset = from now / never)."""
    return AudienceBatch(
        tenant_id=event.tenant_id,
        post_id=event.post_id,
        post_version=event.post_version,
        members=tuple(
            Member(
                employee_id=m.employee_id,
                language=m.language,
                country=m.country,
                timezone=m.timezone,
                auto_share=m.auto_share,
                sharing_hours=m.sharing_hours,
                max_shares_per_day=m.max_shares_per_day,
                home_region=m.home_region,
                subdivision=m.subdivision,
            )
            for m in event.members
        ),
        valid_from=from_timestamp(event.valid_from) if event.HasField("valid_from") else None,
        expires_at=from_timestamp(event.expires_at) if event.HasField("expires_at") else None,
        campaign_id=event.campaign_id,
    )


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
    if share.deferred_until is not None:
        message.deferred_until.CopyFrom(to_timestamp(share.deferred_until))
        message.deferred_reason = share.deferred_reason
    if share.held_since is not None:
        message.held_since.CopyFrom(to_timestamp(share.held_since))
        message.held_reason = share.held_reason
    if share.variant is not None:
        message.variant = share.variant
    message.edited_text = share.edited_text
    return message


def shares_scheduled(shares: Sequence[Share]) -> events.SharesScheduled:
    """Shares of one post (the caller groups them)."""
    first = shares[0]
    announced = events.SharesScheduled(tenant_id=first.tenant_id, post_id=first.post_id)
    for share in shares:
        assert share.due_at is not None, "only a scheduled share is announced"
        assert (share.tenant_id, share.post_id) == (first.tenant_id, first.post_id)
        announced.shares.add(
            share_id=share.share_id,
            employee_id=share.employee_id,
            due_at=to_timestamp(share.due_at),
        )
    return announced


def share_cancelled(cancellation: Cancellation) -> events.ShareCancelled:
    return events.ShareCancelled(
        tenant_id=cancellation.tenant_id,
        share_id=cancellation.share_id,
        post_id=cancellation.post_id,
        employee_id=cancellation.employee_id,
        reason=cancellation.reason,
        cancelled_at=to_timestamp(cancellation.at),
    )


def share_due(share: Share, translation: Translation) -> events.ShareDue:
    assert share.due_at is not None, "only a scheduled share becomes due"
    shared = shared_text(share, translation)
    return events.ShareDue(
        tenant_id=share.tenant_id,
        share_id=share.share_id,
        post_id=share.post_id,
        post_version=share.post_version,
        employee_id=share.employee_id,
        network=share.network,
        language=share.language,
        country=share.country,
        text=shared.text,
        variant=shared.variant,
        edited=shared.edited,
        link=translation.link,
        due_at=to_timestamp(share.due_at),
        fallback_language=translation.fallback_language,
        # Publishing sends nothing after it (a share waiting on a budget or
        # a reconnection ends failed instead); unset: the post never expires.
        expires_at=optional_timestamp(share.planning.expires_at),
        media_ids=list(translation.media_ids),
        title=translation.title,
        description=translation.description(),
    )


def waiting_to_pb(group: WaitingGroup) -> pb.WaitingShares:
    return pb.WaitingShares(
        language=group.language,
        reason=REASON_TO_PB[group.reason],
        count=group.count,
        share_ids=group.share_ids,
    )
