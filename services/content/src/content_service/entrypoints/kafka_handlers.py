"""Kafka entry points: decode -> use case inside ctx.transaction().

* TranslationCompleted: the per-locale charter check (may hold a language);
* EmployeeErased (through chorus_messaging.privacy): anonymise every
  reference to the employee. The opt-out events on the employee topic need
  nothing here; no handler is registered for them, so the consumer skips them."""

from __future__ import annotations

from chorus.translation.v1 import translation_events_pb2 as translation
from chorus_messaging import EventContext, Subscription
from chorus_messaging.consumer import Handler
from chorus_messaging.privacy import employee_privacy_subscription
from chorus_messaging.topics import TRANSLATIONS

from content_service.adapters.messages import variants_from_pb
from content_service.app.erasure import EmployeeErasure
from content_service.app.translations import TranslatedText, TranslationCheck


def translation_handler(check: TranslationCheck) -> Handler:
    async def on_translation_completed(
        event: translation.TranslationCompleted, ctx: EventContext
    ) -> None:
        text = TranslatedText(
            tenant_id=event.tenant_id,
            post_id=event.post_id,
            version=event.post_version,
            language=event.language,
            title=event.title,
            body=event.body,
            link=event.link,
            network_texts=dict(event.network_texts),
            fallback_language=event.fallback_language,
            network_variants=variants_from_pb(event.network_variants),
        )
        async with ctx.transaction() as session:
            await check.apply(session, text)

    return on_translation_completed


def subscriptions(check: TranslationCheck, erasure: EmployeeErasure) -> list[Subscription]:
    return [
        Subscription(TRANSLATIONS, {translation.TranslationCompleted: translation_handler(check)}),
        employee_privacy_subscription(
            on_erased=erasure.erase, on_erased_subjects=erasure.erase_subjects, holds=False
        ),
    ]
