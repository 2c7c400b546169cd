"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases ->
Kafka consumer, click HTTP endpoint (background task), gRPC."""

from __future__ import annotations

import asyncio

from chorus_runtime import ServiceRuntime

from metrics_service.adapters.migrations import SCHEMA
from metrics_service.adapters.stores import OutboxClickEvents, SqlStores
from metrics_service.app.use_cases import MetricsUseCases
from metrics_service.entrypoints import grpc_api, kafka_handlers
from metrics_service.entrypoints.http_app import create_app
from metrics_service.entrypoints.http_server import HttpServer
from metrics_service.settings import MetricsSettings

HTTP_HOST = "127.0.0.1"  # DESIGN: bind to loopback; a deployment fronts it with its ingress


async def serve() -> None:
    settings = MetricsSettings.from_env()
    runtime = ServiceRuntime(settings)
    use_cases = MetricsUseCases(
        runtime.db,
        SqlStores(),
        OutboxClickEvents(runtime.outbox),
        settings.metrics_public_url,
        region=settings.region,
    )
    runtime.subscribe(kafka_handlers.subscriptions(use_cases))
    http = HttpServer(create_app(use_cases), HTTP_HOST, settings.metrics_http_port)
    await runtime.run([grpc_api.binding(use_cases)], SCHEMA, background=[http.serve])


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
