"""Kafka entry points: decode the event -> use case. Thin. The employee topic
through chorus_messaging.privacy: erasure anonymises links, clicks and
counted shares and
keeps the erasure hold (a link or click of theirs after it names nobody); an
opt-out needs nothing here (counting a click on an existing link is not
sharing)."""

from __future__ import annotations

from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_core.prototime import from_timestamp
from chorus_messaging import EventContext, Subscription
from chorus_messaging.privacy import ERASED, employee_privacy_subscription
from chorus_messaging.topics import SHARES_PUBLISHED
from opentelemetry import trace

from metrics_service.app.use_cases import MetricsUseCases


def subscriptions(use_cases: MetricsUseCases) -> list[Subscription]:

    async def on_share_published(
        event: publishing_events.SharePublished, ctx: EventContext
    ) -> None:
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", ctx.tenant_id)
        span.set_attribute("chorus.post_id", event.post_id)
        span.set_attribute("chorus.share_id", event.share_id)
        await use_cases.count_share(
            ctx.tenant_id,
            event.share_id,
            event.post_id,
            event.country,
            ctx.transaction,
            employee_id=event.employee_id,
            published_at=from_timestamp(event.published_at),
        )

    return [
        Subscription(SHARES_PUBLISHED, {publishing_events.SharePublished: on_share_published}),
        employee_privacy_subscription(on_erased=use_cases.erase_employee, holds=ERASED),
    ]
