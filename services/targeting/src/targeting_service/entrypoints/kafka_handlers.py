"""Kafka entry points: decode the event -> use case inside ctx.transaction()."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from chorus.content.v1 import content_events_pb2 as content_events
from chorus_core.prototime import from_timestamp
from chorus_messaging import EventContext, Subscription
from chorus_messaging.topics import POSTS

from targeting_service.app.resolution import ApprovedPost, AudienceResolution
from targeting_service.domain.audience import Delivery

PostApprovedHandler = Callable[[content_events.PostApproved, EventContext], Awaitable[None]]


def post_approved_handler(resolution: AudienceResolution) -> PostApprovedHandler:
    async def on_post_approved(event: content_events.PostApproved, ctx: EventContext) -> None:
        post = ApprovedPost(
            tenant_id=ctx.tenant_id,
            post_id=event.post.post_id,
            version=event.post.version,
            source_language=event.post.source_language,
            countries=tuple(event.post.targeting.countries),
            departments=tuple(event.post.targeting.departments),
            segment_id=event.post.targeting.segment_id,
            channel_ids=tuple(event.post.targeting.channel_ids),
            delivery=Delivery(
                valid_from=from_timestamp(event.post.valid_from),
                expires_at=from_timestamp(event.post.expires_at),
                campaign_id=event.post.campaign_id,
            ),
        )
        async with ctx.transaction() as transaction:
            await resolution.resolve(transaction, post)

    return on_post_approved


def subscriptions(resolution: AudienceResolution) -> list[Subscription]:
    return [Subscription(POSTS, {content_events.PostApproved: post_approved_handler(resolution)})]
