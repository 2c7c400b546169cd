"""Kafka entry points: decode the event -> domain award -> use case. Thin.
The employee topic through chorus_messaging.privacy: erasure anonymises the
ledger and keeps the erasure hold (a share or click of theirs arriving later
earns nothing); an opt-out changes nothing here (points already earned stay
theirs)."""

from __future__ import annotations

from chorus.metrics.v1 import metrics_events_pb2 as metrics_events
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_messaging import Batch, Batched, EventContext, Subscription
from chorus_messaging.privacy import ERASED, employee_privacy_subscription
from chorus_messaging.topics import CLICKS, SHARES_PUBLISHED
from opentelemetry import trace

from gamification_service.app.use_cases import GamificationUseCases
from gamification_service.domain import points


def _trace(tenant_id: str, post_id: str, share_id: str) -> None:
    span = trace.get_current_span()
    span.set_attribute("chorus.tenant_id", tenant_id)
    span.set_attribute("chorus.post_id", post_id)
    span.set_attribute("chorus.share_id", share_id)


# SharePublished events taken at once, in one transaction (a campaign's
# shares arrive by the thousand): chorus_messaging.Batched.
SHARES_AT_ONCE = 200


def subscriptions(use_cases: GamificationUseCases) -> list[Subscription]:

    async def on_shares_published(batch: Batch[publishing_events.SharePublished]) -> None:
        awards = []
        for delivery in batch.deliveries:
            event = delivery.event
            with delivery.scope():
                _trace(delivery.tenant_id, event.post_id, event.share_id)
            award = points.for_share_published(
                delivery.tenant_id, event.employee_id, event.share_id
            )
            awards.append((award, delivery.scope))
        async with batch.transaction() as unit:
            await use_cases.award_all(unit, awards)

    async def on_link_clicked(event: metrics_events.LinkClicked, ctx: EventContext) -> None:
        _trace(ctx.tenant_id, event.post_id, event.share_id)
        award = points.for_link_clicked(ctx.tenant_id, event.employee_id, event.click_id)
        await use_cases.award(award, ctx.transaction)

    return [
        Subscription(
            SHARES_PUBLISHED,
            {publishing_events.SharePublished: Batched(on_shares_published)},
            in_flight=SHARES_AT_ONCE,
        ),
        Subscription(CLICKS, {metrics_events.LinkClicked: on_link_clicked}),
        employee_privacy_subscription(on_erased=use_cases.erase_employee, holds=ERASED),
    ]
