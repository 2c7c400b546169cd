"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases ->
Kafka consumer, click HTTP endpoint (background task), gRPC."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

from chorus_core.settings import ConfigError, ServiceSettings, env_int, env_str
from chorus_runtime import ServiceRuntime

from metrics_service.adapters.tables import MIGRATIONS
from metrics_service.app.use_cases import MetricsUseCases
from metrics_service.entrypoints import employee_handlers, grpc_api, kafka_handlers
from metrics_service.entrypoints.http_app import create_app
from metrics_service.entrypoints.http_server import HttpServer

DEFAULT_GRPC_PORT = 7007
DEFAULT_HTTP_PORT = 7080
HTTP_HOST = "127.0.0.1"  # DESIGN: bind to loopback; a deployment fronts it with its ingress


@dataclass(frozen=True)
class MetricsSettings:
    http_port: int
    public_url: str  # base of the short links handed to publishing

    @classmethod
    def from_env(cls) -> MetricsSettings:
        port = env_int("CHORUS_METRICS_HTTP_PORT", DEFAULT_HTTP_PORT)
        if not 0 <= port <= 65535:
            raise ConfigError(f"CHORUS_METRICS_HTTP_PORT must be a TCP port, got {port}")
        public_url = env_str("CHORUS_METRICS_PUBLIC_URL", f"http://127.0.0.1:{DEFAULT_HTTP_PORT}")
        parts = urlsplit(public_url)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.query
            or parts.fragment
        ):
            raise ConfigError(
                f"CHORUS_METRICS_PUBLIC_URL must be an http(s) base URL without query, got {public_url!r}"
            )
        return cls(http_port=port, public_url=public_url)


async def serve() -> None:
    settings = ServiceSettings.from_env("metrics", DEFAULT_GRPC_PORT)
    metrics_settings = MetricsSettings.from_env()
    runtime = ServiceRuntime(settings)
    use_cases = MetricsUseCases(runtime.db, runtime.outbox, metrics_settings.public_url)
    runtime.subscribe(
        [*kafka_handlers.subscriptions(use_cases), *employee_handlers.subscriptions()]
    )
    http = HttpServer(create_app(use_cases), HTTP_HOST, metrics_settings.http_port)
    await runtime.run([grpc_api.binding(use_cases)], MIGRATIONS, background=[http.serve])


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
