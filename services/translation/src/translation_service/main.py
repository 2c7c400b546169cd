"""Composition root: settings -> runtime (telemetry, db, broker) -> adapters
(Apertium, Redis, content) -> use cases -> gRPC + Kafka."""

from __future__ import annotations

import asyncio

import httpx
from chorus_messaging.audit import OutboxAuditTrail
from chorus_runtime import ServiceRuntime

from translation_service.adapters.apertium import ApertiumTranslator
from translation_service.adapters.content_client import GrpcContentReader
from translation_service.adapters.decisions import SqlDecisionReader
from translation_service.adapters.migrations import SCHEMA
from translation_service.adapters.policies import SqlPolicyStore
from translation_service.adapters.redis_cache import RedisTranslationCache
from translation_service.adapters.repository import SqlTranslationReader
from translation_service.adapters.stores import OutboxTranslationEvents, SqlStores
from translation_service.app.language_policies import LanguagePolicies
from translation_service.app.post_translations import PostTranslations
from translation_service.app.queries import TranslationQueries
from translation_service.app.text_translator import TextTranslator
from translation_service.entrypoints import grpc_api, kafka_handlers
from translation_service.settings import TranslationSettings


async def serve() -> None:
    settings = TranslationSettings.from_env()
    runtime = ServiceRuntime(settings)
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.apertium_timeout_seconds, connect=2.0),
        limits=httpx.Limits(max_connections=20),
    )
    cache = RedisTranslationCache.from_url(settings.redis_url)
    content = GrpcContentReader(settings.content_addr, runtime.credentials)
    texts = TextTranslator(
        ApertiumTranslator(settings.apertium_url, http),
        cache,
        settings.translation_cache_ttl_seconds,
    )
    policies = SqlPolicyStore(runtime.db, OutboxAuditTrail(runtime.outbox))
    post_translations = PostTranslations(
        runtime.db,
        SqlStores(),
        OutboxTranslationEvents(runtime.outbox),
        content,
        texts,
        policies,
    )
    runtime.subscribe(kafka_handlers.subscriptions(post_translations))
    await runtime.run(
        [
            grpc_api.binding(
                TranslationQueries(SqlTranslationReader(runtime.db), texts),
                LanguagePolicies(policies, SqlDecisionReader(runtime.db), texts),
            )
        ],
        SCHEMA,
        on_stop=[http.aclose, cache.close, content.close],
    )


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
