"""Composition root: settings -> runtime (telemetry, db, broker) -> Redis ->
use cases -> Kafka consumers, reconciliation job, gRPC."""

from __future__ import annotations

import asyncio

from chorus_db.sessions import after_commit
from chorus_messaging.audit import OutboxAuditTrail
from chorus_runtime import ServiceRuntime

from gamification_service.adapters.events import OutboxPointsEvents
from gamification_service.adapters.leaderboard import RedisLeaderboard
from gamification_service.adapters.migrations import SCHEMA
from gamification_service.adapters.repository import LedgerRepository
from gamification_service.app.reconciliation import LeaderboardReconciliation
from gamification_service.app.use_cases import GamificationUseCases
from gamification_service.entrypoints import grpc_api, kafka_handlers
from gamification_service.settings import GamificationSettings


async def serve() -> None:
    settings = GamificationSettings.from_env()
    runtime = ServiceRuntime(settings)
    # Connects lazily: Redis being down at start-up does not stop the service,
    # because awards go to the ledger and reconciliation fills the board later.
    leaderboard = RedisLeaderboard.from_url(settings.redis_url)
    use_cases = GamificationUseCases(
        runtime.db,
        LedgerRepository,
        OutboxPointsEvents(runtime.outbox),
        leaderboard,
        OutboxAuditTrail(runtime.outbox),
        after_commit=after_commit,
    )
    runtime.subscribe(kafka_handlers.subscriptions(use_cases))

    reconciliation = LeaderboardReconciliation(use_cases)

    async def reconcile_leaderboards() -> None:
        await reconciliation.run()

    await runtime.run(
        [grpc_api.binding(use_cases)],
        SCHEMA,
        background=[reconcile_leaderboards],
        on_stop=[leaderboard.close],
    )


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
