"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases,
event handlers and background jobs (expiry, feed polling) -> gRPC."""

from __future__ import annotations

import asyncio

from chorus_runtime import ServiceRuntime

from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA
from content_service.app.charters import CharterService
from content_service.app.expiry import ExpiryJob
from content_service.app.feeds import FeedPolling
from content_service.app.translations import TranslationCheck
from content_service.app.use_cases import ContentUseCases
from content_service.entrypoints import grpc_api, kafka_handlers
from content_service.entrypoints.grpc_extras import Services
from content_service.settings import ContentSettings


async def serve() -> None:
    settings = ContentSettings.from_env()
    runtime = ServiceRuntime(settings)
    charters = CharterService(runtime.db)
    posts = ContentUseCases(runtime.db, runtime.outbox, charters)
    store = LocalDiskStore(settings.content_media_dir)
    services = Services.around(posts, store, settings.content_media_max_bytes)
    runtime.subscribe(kafka_handlers.subscriptions(TranslationCheck(charters, runtime.outbox)))
    expiry = ExpiryJob(
        runtime.db,
        runtime.outbox,
        tick_seconds=settings.content_expiry_tick_seconds,
    )
    feeds = FeedPolling(services.feeds, tick_seconds=settings.content_feed_poll_seconds)

    async def post_expiry() -> None:
        await expiry.run()

    async def feed_polling() -> None:
        await feeds.run()

    async def stop_jobs() -> None:
        expiry.stop()
        feeds.stop()

    await runtime.run(
        [grpc_api.binding(services)],
        SCHEMA,
        background=[post_expiry, feed_polling],
        on_stop=[stop_jobs],
    )


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
