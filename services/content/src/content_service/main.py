"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases -> gRPC."""

from __future__ import annotations

import asyncio

from chorus_core.settings import ServiceSettings
from chorus_runtime import ServiceRuntime

from content_service.adapters.tables import MIGRATIONS
from content_service.app.use_cases import ContentUseCases
from content_service.entrypoints import grpc_api

DEFAULT_GRPC_PORT = 7001


async def serve() -> None:
    runtime = ServiceRuntime(ServiceSettings.from_env("content", DEFAULT_GRPC_PORT))
    use_cases = ContentUseCases(runtime.db, runtime.outbox)
    await runtime.run([grpc_api.binding(use_cases)], MIGRATIONS)


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
