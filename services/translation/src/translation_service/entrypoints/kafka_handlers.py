"""Kafka entry points: decode the event -> use case; effects in ctx.transaction()."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus_messaging import EventContext, Subscription
from chorus_messaging.topics import AUDIENCE

from translation_service.app.post_translations import Needed, PostTranslations, needed_languages

SummaryHandler = Callable[[targeting_events.AudienceSummary, EventContext], Awaitable[None]]


def audience_summary_handler(use_cases: PostTranslations) -> SummaryHandler:
    async def on_audience_summary(
        event: targeting_events.AudienceSummary, ctx: EventContext
    ) -> None:
        needed = Needed(
            tenant_id=ctx.tenant_id,
            post_id=event.post_id,
            version=event.post_version,
            source_language=event.source_language,
            languages=needed_languages(
                lang for lang, count in event.by_language.items() if count > 0
            ),
        )
        # Network first (content, provider), then one short transaction.
        prepared = await use_cases.prepare(needed)
        async with ctx.transaction() as session:
            await use_cases.record(session, prepared)

    return on_audience_summary


def subscriptions(use_cases: PostTranslations) -> list[Subscription]:
    return [
        Subscription(
            AUDIENCE, {targeting_events.AudienceSummary: audience_summary_handler(use_cases)}
        )
    ]
