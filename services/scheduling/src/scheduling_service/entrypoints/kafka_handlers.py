"""Kafka entry points: decode -> intake use case inside ctx.transaction(); the
employee topic through chorus_messaging.privacy, with scheduling's withdrawal;
metrics' clicks counted by the local hour of their share (app.engagement);
publishing's deferrals, holds for a reconnection, publications and failures
noted on the share (app.delivery).

AudienceSummary shares the audience topic; no handler is registered for it,
so the consumer skips it (it is translation's business)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from chorus.metrics.v1 import metrics_events_pb2 as metrics
from chorus.publishing.v1 import publishing_events_pb2 as publishing
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus.translation.v1 import translation_events_pb2 as translation
from chorus_core.prototime import from_timestamp
from chorus_messaging import Batch, Batched, EventContext, Subscription
from chorus_messaging.consumer import Handler
from chorus_messaging.privacy import employee_privacy_subscription, withdrawn
from chorus_messaging.topics import AUDIENCE, CLICKS, SHARES_PUBLISHED, TRANSLATIONS
from google.protobuf.message import Message
from opentelemetry import trace

from scheduling_service.adapters.messages import audience_batch
from scheduling_service.adapters.waiting import WaitingRepository
from scheduling_service.app.delivery import Delivery, DeliveryNews
from scheduling_service.app.engagement import Click, Engagement
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.waiting import UnavailableLanguage, hold_for_human
from scheduling_service.app.withdrawal import Withdrawal
from scheduling_service.domain.translations import Translation

# A campaign's SharePublished events taken at once (chorus_messaging.Batched).
SHARES_AT_ONCE = 200


def audience_handler(intake: ShareIntake) -> Handler:
    async def on_audience_batch(event: targeting.AudienceBatchResolved, ctx: EventContext) -> None:
        batch = audience_batch(event)
        async with ctx.transaction() as session:
            # Resolved before an opt-out or erasure we have heard of: not them.
            held = await withdrawn(session, batch.tenant_id, [m.employee_id for m in batch.members])
            if held:
                batch = replace(
                    batch, members=tuple(m for m in batch.members if m.employee_id not in held)
                )
            await intake.apply_audience(session, batch)

    return on_audience_batch


def translation_handler(intake: ShareIntake) -> Handler:
    async def on_translation_completed(
        event: translation.TranslationCompleted, ctx: EventContext
    ) -> None:
        text = Translation(
            tenant_id=event.tenant_id,
            post_id=event.post_id,
            version=event.post_version,
            language=event.language,
            body=event.body,
            link=event.link,
            network_texts=dict(event.network_texts),
            fallback_language=event.fallback_language,
            network_variants={n: tuple(v.texts) for n, v in event.network_variants.items()},
            title=event.title,
            media_ids=tuple(event.media_ids),
        )
        async with ctx.transaction() as session:
            await intake.apply_translation(session, text)

    return on_translation_completed


def unavailable_handler() -> Handler:
    async def on_translation_unavailable(
        event: translation.TranslationUnavailable, ctx: EventContext
    ) -> None:
        held = UnavailableLanguage(
            tenant_id=ctx.tenant_id,
            post_id=event.post_id,
            version=event.post_version,
            language=event.language,
            reason=event.reason,
        )
        async with ctx.transaction() as session:
            await hold_for_human(WaitingRepository(session), held)

    return on_translation_unavailable


def click_handler(engagement: Engagement) -> Handler:
    async def on_link_clicked(event: metrics.LinkClicked, ctx: EventContext) -> None:
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", ctx.tenant_id)
        span.set_attribute("chorus.share_id", event.share_id)
        click = Click(tenant_id=ctx.tenant_id, share_id=event.share_id, click_id=event.click_id)
        async with ctx.transaction() as session:
            await engagement.count_click(session, click)

    return on_link_clicked


def delivery_handlers(delivery: Delivery) -> dict[type[Message], Handler]:
    """Publishing's share events, each the share's latest news."""

    async def apply(news: DeliveryNews, ctx: EventContext) -> None:
        async with ctx.transaction() as session:
            await delivery.apply(session, news)

    async def on_share_deferred(event: publishing.ShareDeferred, ctx: EventContext) -> None:
        until = from_timestamp(event.retry_at)
        await apply(DeliveryNews(ctx.tenant_id, event.share_id, until, reason=event.reason), ctx)

    async def on_share_held(event: publishing.ShareHeld, ctx: EventContext) -> None:
        since = from_timestamp(event.held_at)
        news = DeliveryNews(ctx.tenant_id, event.share_id, held_since=since, reason=event.reason)
        await apply(news, ctx)

    async def on_share_out(
        event: publishing.SharePublished | publishing.ShareFailed, ctx: EventContext
    ) -> None:
        await apply(DeliveryNews(ctx.tenant_id, event.share_id), ctx)

    async def on_shares_published(batch: Batch[publishing.SharePublished]) -> None:
        by_tenant: defaultdict[str, list[str]] = defaultdict(list)
        for d in batch.deliveries:
            by_tenant[d.tenant_id].append(d.event.share_id)
        async with batch.transaction() as session:
            for tenant_id, share_ids in by_tenant.items():
                await delivery.out(session, tenant_id, share_ids)

    return {
        publishing.ShareDeferred: on_share_deferred,
        publishing.ShareHeld: on_share_held,
        publishing.SharePublished: Batched(on_shares_published),
        publishing.ShareFailed: on_share_out,
    }


def subscriptions(
    intake: ShareIntake, withdrawal: Withdrawal, engagement: Engagement, delivery: Delivery
) -> list[Subscription]:
    return [
        Subscription(AUDIENCE, {targeting.AudienceBatchResolved: audience_handler(intake)}),
        employee_privacy_subscription(
            on_opted_out=withdrawal.opted_out, on_erased=withdrawal.erased
        ),
        Subscription(
            TRANSLATIONS,
            {
                translation.TranslationCompleted: translation_handler(intake),
                translation.TranslationUnavailable: unavailable_handler(),
            },
        ),
        Subscription(CLICKS, {metrics.LinkClicked: click_handler(engagement)}),
        Subscription(SHARES_PUBLISHED, delivery_handlers(delivery), in_flight=SHARES_AT_ONCE),
    ]
