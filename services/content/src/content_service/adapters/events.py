"""The PostEvents port on the outbox: each app event as its chorus.content.v1
message, on the posts topic, keyed by post id (every event of a post on one
partition, in order), in the caller's transaction."""

from __future__ import annotations

from typing import assert_never

from chorus.content.v1 import content_events_pb2 as pb
from chorus_core.prototime import to_timestamp
from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_messaging import Outbox
from chorus_messaging.topics import POSTS
from google.protobuf.message import Message

from content_service.adapters.campaign_messages import PHASE_TO_PB
from content_service.adapters.messages import (
    KIND_TO_PB,
    STATUS_TO_PB,
    delivered_post_to_pb,
    violation_to_pb,
)
from content_service.app import events
from content_service.app.events import PostEvent


class OutboxPostEvents:
    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def emit(self, transaction: Transaction, event: PostEvent) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=POSTS,
            key=event.post_id,
            tenant_id=event.tenant_id,
            event=event_to_pb(event),
        )


def event_to_pb(event: PostEvent) -> Message:
    """Times of a post's transition are the post's updated_at, as stored."""
    match event:
        case events.PostCreated(post=p):
            return pb.PostCreated(
                tenant_id=p.tenant_id,
                post_id=p.post_id,
                version=p.version,
                kind=KIND_TO_PB[p.kind],
                created_at=to_timestamp(p.created_at),
            )
        case events.PostUpdated(post=p):
            return pb.PostUpdated(
                tenant_id=p.tenant_id,
                post_id=p.post_id,
                version=p.version,
                status=STATUS_TO_PB[p.status],
                updated_at=to_timestamp(p.updated_at),
            )
        case events.PostSubmitted(post=p):
            return pb.PostSubmitted(
                tenant_id=p.tenant_id,
                post_id=p.post_id,
                version=p.version,
                submitted_at=to_timestamp(p.updated_at),
            )
        case events.PostApproved(post=p, chain=chain, delivery=delivery):
            return pb.PostApproved(
                tenant_id=p.tenant_id,
                post=delivered_post_to_pb(p, delivery, chain),
                approved_at=to_timestamp(p.updated_at),
            )
        case events.CampaignAudienceChanged(campaign=c, posts=posts, at=at):
            delivery = c.delivery()
            return pb.CampaignAudienceChanged(
                tenant_id=c.tenant_id,
                campaign_id=c.campaign_id,
                phase=PHASE_TO_PB[c.phase],
                posts=[delivered_post_to_pb(p, delivery) for p in posts],
                changed_at=to_timestamp(at),
            )
        case events.PostStepApproved(post=p, step=step, next_step=next_step):
            return pb.PostStepApproved(
                tenant_id=p.tenant_id,
                post_id=p.post_id,
                version=p.version,
                step=step,
                next_step=next_step,
                approved_at=to_timestamp(p.updated_at),
            )
        case events.PostChangesRequested(post=p, comment=comment):
            return pb.PostChangesRequested(
                tenant_id=p.tenant_id,
                post_id=p.post_id,
                version=p.version,
                comment=comment,
                requested_at=to_timestamp(p.updated_at),
            )
        case events.PostRejected(post=p, reason=reason):
            return pb.PostRejected(
                tenant_id=p.tenant_id,
                post_id=p.post_id,
                version=p.version,
                reason=reason,
                rejected_at=to_timestamp(p.updated_at),
            )
        case events.PostArchived(post=p):
            return pb.PostArchived(
                tenant_id=p.tenant_id,
                post_id=p.post_id,
                version=p.version,
                archived_at=to_timestamp(p.updated_at),
            )
        case events.PostExpired(post=p, at=at):
            return pb.PostExpired(
                tenant_id=p.tenant_id,
                post_id=p.post_id,
                version=p.version,
                expired_at=to_timestamp(at),
            )
        case events.UgcProposed(post=p, language=language, at=at):
            return pb.UgcProposed(
                tenant_id=p.tenant_id,
                post_id=p.post_id,
                author_id=p.author_id,
                detected_language=language,
                proposed_at=to_timestamp(at),
            )
        case events.UgcModerated(post=p, approved=approved, reason=reason, at=at):
            return pb.UgcModerated(
                tenant_id=p.tenant_id,
                post_id=p.post_id,
                author_id=p.author_id,
                approved=approved,
                reason=reason,
                moderated_at=to_timestamp(at),
            )
        case events.TranslationCleared():
            return pb.TranslationCleared(
                tenant_id=event.tenant_id,
                post_id=event.post_id,
                post_version=event.version,
                language=event.language,
                text_digest=event.text_digest,
                cleared_at=to_timestamp(event.at),
            )
        case events.TranslationHeld():
            return pb.TranslationHeld(
                tenant_id=event.tenant_id,
                post_id=event.post_id,
                post_version=event.version,
                language=event.language,
                violations=[violation_to_pb(v) for v in event.violations],
                held_at=to_timestamp(event.at),
                text_digest=event.text_digest,
            )
        case _:
            assert_never(event)
