"""Kafka entry points: decode the event -> use case inside ctx.transaction().

* PostApproved: the post's audience, once per version (none while its
  campaign is a draft, none for another region's campaign).
* CampaignAudienceChanged: the campaign started its pilot or widened; each
  of its approved posts is resolved again for that round, once per round.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from chorus.content.v1 import content_events_pb2 as content_events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus_core.prototime import from_timestamp
from chorus_messaging import EventContext, Subscription
from chorus_messaging.topics import POSTS

from targeting_service.app.resolution import ApprovedPost, AudienceResolution
from targeting_service.domain.audience import Delivery

PostApprovedHandler = Callable[[content_events.PostApproved, EventContext], Awaitable[None]]
AudienceChangedHandler = Callable[
    [content_events.CampaignAudienceChanged, EventContext], Awaitable[None]
]
# The campaign phases that change an audience, as round names.
ROUNDS = {content_pb.CAMPAIGN_PHASE_PILOT: "pilot", content_pb.CAMPAIGN_PHASE_LIVE: "live"}


def approved_post(tenant_id: str, post: content_pb.Post, round: str = "") -> ApprovedPost:
    targeting = post.targeting
    return ApprovedPost(
        tenant_id=tenant_id,
        post_id=post.post_id,
        version=post.version,
        source_language=post.source_language,
        countries=tuple(targeting.countries),
        departments=tuple(targeting.departments),
        segment_id=targeting.segment_id,
        channel_ids=tuple(targeting.channel_ids),
        delivery=Delivery(
            valid_from=from_timestamp(post.valid_from),
            expires_at=from_timestamp(post.expires_at),
            campaign_id=post.campaign_id,
            round=round,
        ),
        regions=tuple(targeting.regions),
        held=targeting.held,
    )


def post_approved_handler(resolution: AudienceResolution) -> PostApprovedHandler:
    async def on_post_approved(event: content_events.PostApproved, ctx: EventContext) -> None:
        async with ctx.transaction() as transaction:
            await resolution.resolve(transaction, approved_post(ctx.tenant_id, event.post))

    return on_post_approved


def audience_changed_handler(resolution: AudienceResolution) -> AudienceChangedHandler:
    async def on_audience_changed(
        event: content_events.CampaignAudienceChanged, ctx: EventContext
    ) -> None:
        round = ROUNDS.get(event.phase)
        if round is None:
            return  # no other phase changes an audience
        # Every post of the round in one transaction: all resolved, or none.
        async with ctx.transaction() as transaction:
            for post in event.posts:
                await resolution.resolve(transaction, approved_post(ctx.tenant_id, post, round))

    return on_audience_changed


def subscriptions(resolution: AudienceResolution) -> list[Subscription]:
    return [
        Subscription(
            POSTS,
            {
                content_events.PostApproved: post_approved_handler(resolution),
                content_events.CampaignAudienceChanged: audience_changed_handler(resolution),
            },
        )
    ]
