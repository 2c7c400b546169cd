"""settings -> telemetry -> database (migrated) -> broker -> consumers and
outbox relay -> gRPC server -> run until SIGTERM -> drain and stop.

Services compose their own adapters, use cases and entry points in their
main.py and hand them to this runtime; the plumbing lives here once.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from typing import Any

from chorus_core.settings import ServiceSettings
from chorus_db import Database, Schema, migrate
from chorus_grpc import GrpcServer, ServiceBinding
from chorus_identity import config as identity
from chorus_identity.sources import TokenSource
from chorus_identity.tokens import TokenVerifier
from chorus_messaging import (
    EventConsumer,
    Outbox,
    OutboxRelay,
    Subscription,
    make_broker,
)
from chorus_messaging.consumer import RetryPolicy
from chorus_messaging.subscriptions import merge_by_topic
from chorus_telemetry import setup_telemetry

from chorus_runtime.statistics import StatisticsKeeper

log = logging.getLogger(__name__)

BackgroundTask = Callable[[], Coroutine[Any, Any, None]]


class ServiceRuntime:
    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.telemetry = setup_telemetry(
            settings.service, settings.region, settings.environment, settings.metrics_port
        )
        self.db = Database(settings.database_url)
        self.outbox = Outbox(settings.source)
        self.broker = make_broker(settings.kafka_bootstrap, client_id=f"chorus-{settings.service}")
        self.relay = OutboxRelay(
            self.db, self.broker, self.outbox, topic_prefix=settings.topic_prefix
        )
        self._consumers: list[EventConsumer] = []
        self._stop = asyncio.Event()
        # Built now so a missing key set fails the start, not the first call.
        self.verifier: TokenVerifier = identity.verifier(settings)
        self._credentials: TokenSource | None = None

    @property
    def credentials(self) -> TokenSource:
        """This service's own identity for its calls to other services
        (client credentials); only services that call others need the secret."""
        if self._credentials is None:
            self._credentials = identity.credentials(self.settings)
        return self._credentials

    def subscribe(self, subscriptions: Iterable[Subscription]) -> list[EventConsumer]:
        """Every event this service consumes, declared once by its entry
        points' `subscriptions()`; one consumer per topic."""
        consumers = []
        for sub in merge_by_topic(subscriptions):
            consumer = EventConsumer(
                service=self.settings.service,
                topic=sub.topic,
                db=self.db,
                broker=self.broker,
                handlers=sub.handlers,
                retry=sub.retry or RetryPolicy(),
                in_flight=sub.in_flight or 1,
                topic_prefix=self.settings.topic_prefix,
            )
            consumer.register()
            consumers.append(consumer)
        self._consumers += consumers
        return consumers

    async def migrate(self, schema: Schema) -> None:
        """Alembic upgrade to every head of the service's schema (its own
        history and the outbox/inbox one), under the PostgreSQL advisory lock."""
        applied = await migrate(self.db, schema)
        if applied:
            log.info("database migrated", extra={"chorus": {"applied": applied}})

    async def run(
        self,
        bindings: list[ServiceBinding],
        schema: Schema,
        background: Sequence[BackgroundTask] = (),
        on_stop: Sequence[Callable[[], Awaitable[Any]]] = (),
    ) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stop.set)
        await self.migrate(schema)
        await self.broker.start()
        server = GrpcServer(self.settings.grpc_port, bindings, verifier=self.verifier)
        await server.start()
        statistics = StatisticsKeeper(self.db)
        tasks = [
            asyncio.create_task(self.relay.run(), name="outbox-relay"),
            asyncio.create_task(statistics.run(), name="planner-statistics"),
        ]
        tasks += [
            asyncio.create_task(job(), name=getattr(job, "__name__", "job")) for job in background
        ]
        log.info("service ready", extra={"chorus": {"grpc": server.address}})
        stopper = asyncio.create_task(self._stop.wait())
        done, _ = await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not stopper and task.exception():
                log.error("background task died", exc_info=task.exception())
        log.info("service stopping")
        # Order matters: stop taking requests, stop consuming (in-flight
        # handlers finish, offsets commit), stop the relay, then flush spans.
        await server.stop()
        await self.broker.stop()
        self.relay.stop()
        statistics.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for hook in on_stop:
            await hook()
        await self.db.dispose()
        self.telemetry.shutdown()

    def request_stop(self) -> None:
        self._stop.set()
