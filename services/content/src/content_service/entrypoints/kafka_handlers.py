"""Kafka entry points: decode -> use case inside ctx.transaction().

  * TranslationCompleted: the per-locale charter check (may hold a language);
  * EmployeeErased: anonymise every reference to the employee.
EmployeeOptedOut shares the employee topic; no handler is registered for it,
so the consumer skips it."""

from __future__ import annotations

from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus.translation.v1 import translation_events_pb2 as translation
from chorus_messaging import EventContext, Subscription
from chorus_messaging.consumer import Handler
from chorus_messaging.topics import EMPLOYEES, TRANSLATIONS

from content_service.app.translations import TranslatedText, TranslationCheck
from content_service.app.ugc import UgcUseCases


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
        )
        async with ctx.transaction() as session:
            await check.apply(session, text)

    return on_translation_completed


def erasure_handler() -> Handler:
    async def on_employee_erased(event: targeting.EmployeeErased, ctx: EventContext) -> None:
        async with ctx.transaction() as session:
            await UgcUseCases.erase_employee(session, event.tenant_id, event.employee_id)

    return on_employee_erased


def subscriptions(check: TranslationCheck) -> list[Subscription]:
    return [
        Subscription(TRANSLATIONS, {translation.TranslationCompleted: translation_handler(check)}),
        Subscription(EMPLOYEES, {targeting.EmployeeErased: erasure_handler()}),
    ]
