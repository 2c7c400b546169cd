"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases,
event handlers and background jobs (expiry, feed polling) -> gRPC."""

from __future__ import annotations

import asyncio
import os

from chorus_core.settings import ConfigError, ServiceSettings, env_float
from chorus_runtime import ServiceRuntime

from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.tables import MIGRATIONS
from content_service.app.charters import CharterService
from content_service.app.expiry import ExpiryJob
from content_service.app.media import DEFAULT_MAX_BYTES
from content_service.app.translations import TranslationCheck
from content_service.app.use_cases import ContentUseCases
from content_service.entrypoints import grpc_api, kafka_handlers
from content_service.entrypoints.grpc_extras import Services

DEFAULT_GRPC_PORT = 7001


def positive(name: str, default: float) -> float:
    value = env_float(name, default)
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {value}")
    return value


async def serve() -> None:
    runtime = ServiceRuntime(ServiceSettings.from_env("content", DEFAULT_GRPC_PORT))
    charters = CharterService(runtime.db)
    posts = ContentUseCases(runtime.db, runtime.outbox, charters)
    store = LocalDiskStore(os.environ.get("CHORUS_CONTENT_MEDIA_DIR", "var/data/content-media"))
    max_bytes = int(positive("CHORUS_CONTENT_MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES))
    services = Services.around(posts, store, max_bytes)
    runtime.subscribe(kafka_handlers.subscriptions(TranslationCheck(charters, runtime.outbox)))
    expiry = ExpiryJob(
        runtime.db,
        runtime.outbox,
        tick_seconds=positive("CHORUS_CONTENT_EXPIRY_TICK_SECONDS", 30.0),
    )
    feed_interval = positive("CHORUS_CONTENT_FEED_POLL_SECONDS", 900.0)
    stop_feeds = asyncio.Event()

    async def post_expiry() -> None:
        await expiry.run()

    async def feed_polling() -> None:
        await services.feeds.run(feed_interval, stop_feeds)

    async def stop_jobs() -> None:
        expiry.stop()
        stop_feeds.set()

    await runtime.run(
        [grpc_api.binding(services)],
        MIGRATIONS,
        background=[post_expiry, feed_polling],
        on_stop=[stop_jobs],
    )


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
