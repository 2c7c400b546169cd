"""Composition root: settings -> runtime (telemetry, db, broker) -> Redis ->
use cases -> Kafka consumers, reconciliation job, gRPC."""

from __future__ import annotations

import asyncio

from chorus_core.settings import ConfigError, ServiceSettings, env_str
from chorus_runtime import ServiceRuntime

from gamification_service.adapters.leaderboard import RedisLeaderboard
from gamification_service.adapters.tables import MIGRATIONS
from gamification_service.app.use_cases import GamificationUseCases
from gamification_service.entrypoints import employee_handlers, grpc_api, kafka_handlers

DEFAULT_GRPC_PORT = 7006
# How often the board is brought level with the ledger's running totals
# (after a Redis outage); start-up runs it once at once.
RECONCILE_INTERVAL_SECONDS = 60.0


def redis_url() -> str:
    url = env_str("CHORUS_REDIS_URL")
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(
            f"CHORUS_REDIS_URL must be a redis:// or rediss:// URL, got scheme {url.split(':')[0]!r}"
        )
    return url


async def serve() -> None:
    settings = ServiceSettings.from_env("gamification", DEFAULT_GRPC_PORT)
    url = redis_url()
    runtime = ServiceRuntime(settings)
    # Connects lazily: Redis being down at start-up does not stop the service,
    # because awards go to the ledger and reconciliation fills the board later.
    leaderboard = RedisLeaderboard.from_url(url)
    use_cases = GamificationUseCases(runtime.db, runtime.outbox, leaderboard)
    runtime.subscribe(
        [
            *kafka_handlers.subscriptions(use_cases),
            *employee_handlers.subscriptions(leaderboard.redis),
        ]
    )

    async def reconcile_leaderboards() -> None:
        await use_cases.reconcile_forever(RECONCILE_INTERVAL_SECONDS)

    await runtime.run(
        [grpc_api.binding(use_cases)],
        MIGRATIONS,
        background=[reconcile_leaderboards],
        on_stop=[leaderboard.close],
    )


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
