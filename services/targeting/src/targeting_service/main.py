"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases -> gRPC + Kafka."""

from __future__ import annotations

import asyncio

from chorus.content.v1 import content_events_pb2 as content_events
from chorus_core.settings import ServiceSettings
from chorus_messaging.topics import POSTS
from chorus_runtime import ServiceRuntime

from targeting_service.adapters.tables import MIGRATIONS
from targeting_service.app.directory import DirectoryUseCases
from targeting_service.entrypoints import grpc_api
from targeting_service.entrypoints.kafka_handlers import post_approved_handler

DEFAULT_GRPC_PORT = 7002


async def serve() -> None:
    settings = ServiceSettings.from_env("targeting", DEFAULT_GRPC_PORT)
    runtime = ServiceRuntime(settings)
    runtime.consume(
        POSTS, {content_events.PostApproved: post_approved_handler(runtime.outbox, settings.region)}
    )
    use_cases = DirectoryUseCases(runtime.db, settings.region)
    await runtime.run([grpc_api.binding(use_cases)], MIGRATIONS)


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
