"""Content's events that scheduling obeys, each inside ctx.transaction():

  * TranslationCleared / TranslationHeld: content's verdict on the text of
    one language of a post version (one verdict for every translation, the
    source language included). The timer fires a share only when the text it
    stores for that language has a cleared verdict: until content has checked
    it, or while it is held, the share waits; a corrected translation that
    content clears releases it. Other languages go on independently.
  * PostExpired: the post left employees' feeds; its shares still suggested
    or scheduled are cancelled (due ones belong to publishing already).
The other post events on the topic have no handler here and are skipped."""

from __future__ import annotations

from chorus.content.v1 import content_events_pb2 as content
from chorus_core.clock import utcnow
from chorus_messaging import EventContext, Subscription
from chorus_messaging.consumer import Handler
from chorus_messaging.topics import POSTS

from scheduling_service.adapters.repository import CLEARED, HELD, VerdictRepository


def cleared_handler() -> Handler:
    async def on_translation_cleared(event: content.TranslationCleared, ctx: EventContext) -> None:
        async with ctx.transaction() as session:
            await VerdictRepository(session).record(
                event.tenant_id,
                event.post_id,
                event.post_version,
                event.language,
                CLEARED,
                event.text_digest,
                utcnow(),
            )

    return on_translation_cleared


def held_handler() -> Handler:
    async def on_translation_held(event: content.TranslationHeld, ctx: EventContext) -> None:
        async with ctx.transaction() as session:
            await VerdictRepository(session).record(
                event.tenant_id,
                event.post_id,
                event.post_version,
                event.language,
                HELD,
                event.text_digest,
                utcnow(),
            )

    return on_translation_held


def expired_handler() -> Handler:
    async def on_post_expired(event: content.PostExpired, ctx: EventContext) -> None:
        async with ctx.transaction() as session:
            await VerdictRepository(session).cancel_pending(
                event.tenant_id, event.post_id, utcnow()
            )

    return on_post_expired


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            POSTS,
            {
                content.TranslationCleared: cleared_handler(),
                content.TranslationHeld: held_handler(),
                content.PostExpired: expired_handler(),
            },
        )
    ]
