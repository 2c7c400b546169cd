"""Kafka entry points: decode the event -> use case. Thin. The employee topic
through chorus_messaging.privacy: erasure anonymises links, clicks and
counted shares and
keeps the erasure hold (a link or click of theirs after it names nobody); an
opt-out needs nothing here (counting a click on an existing link is not
sharing)."""

from __future__ import annotations

from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_core.prototime import from_timestamp
from chorus_messaging import Batch, Batched, Subscription
from chorus_messaging.privacy import ERASED, employee_privacy_subscription
from chorus_messaging.topics import SHARES_PUBLISHED
from opentelemetry import trace

from metrics_service.app.ports import PublishedShare
from metrics_service.app.use_cases import MetricsUseCases

# SharePublished events taken at once, in one transaction (a campaign's
# shares arrive by the thousand): chorus_messaging.Batched.
SHARES_AT_ONCE = 200


def subscriptions(use_cases: MetricsUseCases) -> list[Subscription]:

    async def on_shares_published(batch: Batch[publishing_events.SharePublished]) -> None:
        shares = []
        for delivery in batch.deliveries:
            event = delivery.event
            with delivery.scope():
                span = trace.get_current_span()
                span.set_attribute("chorus.tenant_id", delivery.tenant_id)
                span.set_attribute("chorus.post_id", event.post_id)
                span.set_attribute("chorus.share_id", event.share_id)
            shares.append(
                PublishedShare(
                    tenant_id=delivery.tenant_id,
                    share_id=event.share_id,
                    post_id=event.post_id,
                    country=event.country,
                    employee_id=event.employee_id,
                    published_at=from_timestamp(event.published_at),
                )
            )
        async with batch.transaction() as unit:
            await use_cases.count_shares(unit, shares)

    return [
        Subscription(
            SHARES_PUBLISHED,
            {publishing_events.SharePublished: Batched(on_shares_published)},
            in_flight=SHARES_AT_ONCE,
        ),
        employee_privacy_subscription(on_erased=use_cases.erase_employee, holds=ERASED),
    ]
