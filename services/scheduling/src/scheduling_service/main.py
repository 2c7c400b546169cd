"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases,
event handlers and the durable timer -> gRPC."""

from __future__ import annotations

import asyncio

from chorus_core.settings import ConfigError, ServiceSettings, env_float
from chorus_runtime import ServiceRuntime

from scheduling_service.adapters.tables import MIGRATIONS
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.timer import DueShareTimer
from scheduling_service.app.use_cases import SchedulingUseCases
from scheduling_service.entrypoints import (
    content_handlers,
    employee_handlers,
    grpc_api,
    kafka_handlers,
)

DEFAULT_GRPC_PORT = 7004


def tick_seconds() -> float:
    value = env_float("CHORUS_SCHEDULING_TICK_SECONDS", 1.0)
    if not 0 < value <= 60:
        # A share fires at most one tick late: more than a minute is not "at the minute".
        raise ConfigError(f"CHORUS_SCHEDULING_TICK_SECONDS must be in (0, 60], got {value}")
    return value


async def serve() -> None:
    settings = ServiceSettings.from_env("scheduling", DEFAULT_GRPC_PORT)
    tick = tick_seconds()
    runtime = ServiceRuntime(settings)
    use_cases = SchedulingUseCases(runtime.db, runtime.outbox)
    runtime.subscribe(
        [
            *kafka_handlers.subscriptions(ShareIntake(runtime.outbox)),
            *employee_handlers.subscriptions(runtime.outbox),
            *content_handlers.subscriptions(),
        ]
    )
    timer = DueShareTimer(runtime.db, runtime.outbox, tick_seconds=tick)

    async def due_share_timer() -> None:
        await timer.run()

    await runtime.run([grpc_api.binding(use_cases)], MIGRATIONS, background=[due_share_timer])


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
