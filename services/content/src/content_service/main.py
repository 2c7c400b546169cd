"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases
on their adapters (composition.build), event handlers and background jobs
(expiry, feed polling) -> gRPC."""

from __future__ import annotations

import asyncio

from chorus_runtime import ServiceRuntime

from content_service import composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA
from content_service.app.feeds import FeedPolling
from content_service.entrypoints import grpc_api, kafka_handlers
from content_service.settings import ContentSettings


async def serve() -> None:
    settings = ContentSettings.from_env()
    runtime = ServiceRuntime(settings)
    content = composition.build(
        runtime.db,
        runtime.outbox,
        LocalDiskStore(settings.content_media_dir),
        media_max_bytes=settings.content_media_max_bytes,
        expiry_tick_seconds=settings.content_expiry_tick_seconds,
        region=settings.region,
        known_regions=settings.known_regions,
        targeting_addr=settings.targeting_addr,
        metrics_addr=settings.metrics_addr,
        scheduling_addr=settings.scheduling_addr,
        countries_by_region=settings.countries_by_region,
    )
    runtime.subscribe(kafka_handlers.subscriptions(content.translations, content.erasure))
    expiry = content.expiry
    feeds = FeedPolling(content.services.feeds, tick_seconds=settings.content_feed_poll_seconds)

    async def post_expiry() -> None:
        await expiry.run()

    async def feed_polling() -> None:
        await feeds.run()

    async def stop_jobs() -> None:
        expiry.stop()
        feeds.stop()
        await content.close()

    await runtime.run(
        [grpc_api.binding(content.services)],
        SCHEMA,
        background=[post_expiry, feed_polling],
        on_stop=[stop_jobs],
    )


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
