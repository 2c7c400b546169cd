"""Composition root: settings (the encryption key first: no key, no start) ->
runtime -> connectors, metrics client, use cases -> gRPC and the ShareDue consumer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from chorus_db.sessions import after_commit
from chorus_messaging.audit import OutboxAuditTrail
from chorus_runtime import ServiceRuntime

from publishing_service.adapters.bluesky import BlueskyConnector
from publishing_service.adapters.events import OutboxPublishEvents
from publishing_service.adapters.linkedin import LinkedInConnector
from publishing_service.adapters.mastodon import MastodonConnector
from publishing_service.adapters.media_drive import GrpcMediaDrive
from publishing_service.adapters.meta import FacebookConnector, InstagramConnector
from publishing_service.adapters.migrations import SCHEMA
from publishing_service.adapters.redis_budget import RedisNetworkBudget
from publishing_service.adapters.secrets import SecretBox
from publishing_service.adapters.session_store import RedisSessionStore
from publishing_service.adapters.stores import SqlStores
from publishing_service.adapters.tracked_links import GrpcTrackedLinks
from publishing_service.adapters.x import XConnector
from publishing_service.app.accounts import AccountUseCases, LedgerQueries
from publishing_service.app.ports import NetworkConnector
from publishing_service.app.publish import Publisher
from publishing_service.app.sweeper import Sweeper
from publishing_service.app.token_warnings import TokenWarnings
from publishing_service.app.withdrawal import Withdrawals
from publishing_service.domain.network_limits import LIMITS, parse_app_limits, with_app_limits
from publishing_service.entrypoints import grpc_api, kafka_handlers
from publishing_service.settings import PublishingSettings

NetworkFactory = Callable[
    [PublishingSettings, RedisNetworkBudget, RedisSessionStore], list[NetworkConnector]
]


def every_network(
    settings: PublishingSettings, budget: RedisNetworkBudget, bluesky_sessions: RedisSessionStore
) -> list[NetworkConnector]:
    """The connectors a deployment runs: one per network."""
    return [
        BlueskyConnector(settings.bluesky_pds_url, budget, sessions=bluesky_sessions),
        MastodonConnector(budget),
        LinkedInConnector(budget),
        XConnector(budget),
        FacebookConnector(budget),
        InstagramConnector(budget),
    ]


async def serve(networks_for: NetworkFactory = every_network) -> None:
    """`networks_for`: the connectors; bench/campaign.py runs this very
    composition with connectors of its own (one that answers at once, one
    that answers in 200 ms) to measure publishing without a network's cost."""
    settings = PublishingSettings.from_env()
    runtime = ServiceRuntime(settings)
    secrets = SecretBox(settings.publishing_encryption_key.get_secret_value())
    # One budget for every replica: the networks' limits bind per account
    # and per app, not per process.
    budget = RedisNetworkBudget.from_url(
        settings.redis_url,
        limits=with_app_limits(LIMITS, parse_app_limits(settings.publishing_app_limits)),
    )
    # Bluesky sessions too: sealed in Redis, they survive restarts and one
    # replica's sign-in serves them all (createSession is slow and limited).
    bluesky_sessions = RedisSessionStore.from_url(settings.redis_url, secrets)
    networks = networks_for(settings, budget, bluesky_sessions)
    links = GrpcTrackedLinks(settings.metrics_addr, runtime.credentials)
    media = GrpcMediaDrive(settings.content_addr, runtime.credentials)
    connectors = {c.network: c for c in networks}
    stores = SqlStores()
    publisher = Publisher(
        runtime.db,
        stores,
        OutboxPublishEvents(runtime.outbox),
        connectors,
        links,
        secrets,
        media=media,
    )
    sweeper = Sweeper(runtime.db, stores, publisher)
    # TokenExpiring, days before a token stops working: once per (account,
    # expiry) whatever the replicas (a conditional insert decides).
    token_warnings = TokenWarnings(
        runtime.db,
        stores,
        OutboxPublishEvents(runtime.outbox),
        warning_days=settings.publishing_token_warning_days,
    )

    async def sweep() -> None:
        await sweeper.run()

    async def warn() -> None:
        await token_warnings.run()

    runtime.subscribe(
        kafka_handlers.subscriptions(
            publisher,
            # An erased employee's sessions are forgotten once the erasure commits.
            Withdrawals(runtime.db, stores, [bluesky_sessions], after_commit),
            in_flight=settings.publishing_in_flight,
        )
    )
    binding = grpc_api.binding(
        AccountUseCases(
            runtime.db,
            stores,
            connectors,
            secrets,
            OutboxAuditTrail(runtime.outbox),
            sessions=[bluesky_sessions],
        ),
        LedgerQueries(runtime.db, stores),
    )
    await runtime.run(
        [binding],
        SCHEMA,
        background=[sweep, warn],
        on_stop=[
            *(c.aclose for c in networks),
            links.close,
            media.close,
            budget.close,
            bluesky_sessions.close,
        ],
    )


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
