"""Composition root: settings (the encryption key first: no key, no start) ->
runtime -> connectors, metrics client, use cases -> gRPC and the ShareDue consumer."""

from __future__ import annotations

import asyncio

from chorus_messaging.audit import OutboxAuditTrail
from chorus_runtime import ServiceRuntime

from publishing_service.adapters.bluesky import BlueskyConnector
from publishing_service.adapters.events import OutboxPublishEvents
from publishing_service.adapters.migrations import SCHEMA
from publishing_service.adapters.secrets import SecretBox
from publishing_service.adapters.stores import SqlStores
from publishing_service.adapters.tracked_links import GrpcTrackedLinks
from publishing_service.app.accounts import AccountUseCases, LedgerQueries
from publishing_service.app.publish import Publisher
from publishing_service.app.withdrawal import Withdrawals
from publishing_service.domain.rate_budget import BLUESKY_ACCOUNT, BLUESKY_APP, RateBudget
from publishing_service.entrypoints import grpc_api, kafka_handlers
from publishing_service.settings import PublishingSettings


async def serve() -> None:
    settings = PublishingSettings.from_env()
    runtime = ServiceRuntime(settings)
    secrets = SecretBox(settings.publishing_encryption_key.get_secret_value())
    bluesky = BlueskyConnector(settings.bluesky_pds_url)
    links = GrpcTrackedLinks(settings.metrics_addr, runtime.credentials)
    connectors = {bluesky.network: bluesky}
    stores = SqlStores()
    publisher = Publisher(
        runtime.db,
        stores,
        OutboxPublishEvents(runtime.outbox),
        connectors,
        links,
        secrets,
        RateBudget(BLUESKY_ACCOUNT, BLUESKY_APP),
    )
    runtime.subscribe(kafka_handlers.subscriptions(publisher, Withdrawals(runtime.db, stores)))
    binding = grpc_api.binding(
        AccountUseCases(runtime.db, stores, connectors, secrets, OutboxAuditTrail(runtime.outbox)),
        LedgerQueries(runtime.db, stores),
    )
    await runtime.run([binding], SCHEMA, on_stop=[bluesky.aclose, links.close])


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
