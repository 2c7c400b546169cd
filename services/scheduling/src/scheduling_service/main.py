"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases,
event handlers and the durable timer -> gRPC."""

from __future__ import annotations

import asyncio

from chorus_runtime import ServiceRuntime

from scheduling_service.adapters.content_client import GrpcCharterCheck
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.migrations import SCHEMA
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.adapters.waiting import SqlWaitingReader
from scheduling_service.app.delivery import Delivery
from scheduling_service.app.engagement import Engagement
from scheduling_service.app.insights import ShareInsights
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.planning import SlotPlanner
from scheduling_service.app.timer import DueShareTimer
from scheduling_service.app.use_cases import SchedulingUseCases
from scheduling_service.app.waiting import WaitingShares
from scheduling_service.app.withdrawal import Withdrawal
from scheduling_service.entrypoints import (
    content_handlers,
    grpc_api,
    kafka_handlers,
)
from scheduling_service.settings import SchedulingSettings


async def serve() -> None:
    settings = SchedulingSettings.from_env()
    runtime = ServiceRuntime(settings)
    stores, events = SqlStores(), OutboxShareEvents(runtime.outbox)
    engagement = Engagement(runtime.db, stores)
    # One holiday cache for intake and the RPCs; the best hours learned from clicks.
    planner = SlotPlanner(settings.spread(), hours=engagement)
    # Content's charter, asked with the employee's own token about a text they edited.
    charter = GrpcCharterCheck(settings.content_addr)
    use_cases = SchedulingUseCases(runtime.db, stores, events, planner, charter=charter)
    runtime.subscribe(
        [
            *kafka_handlers.subscriptions(
                ShareIntake(stores, events, planner, traced=settings.scheduling_traced_shares),
                Withdrawal(stores, events),
                engagement,
                Delivery(stores),
            ),
            *content_handlers.subscriptions(),
        ]
    )
    timer = DueShareTimer(runtime.db, stores, events, tick_seconds=settings.scheduling_tick_seconds)

    async def due_share_timer() -> None:
        await timer.run()

    await runtime.run(
        [
            grpc_api.binding(
                use_cases,
                WaitingShares(SqlWaitingReader(runtime.db)),
                ShareInsights(runtime.db, stores, region=settings.region),
                engagement,
            )
        ],
        SCHEMA,
        background=[due_share_timer],
        on_stop=[charter.close],
    )


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
