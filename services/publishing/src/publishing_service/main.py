"""Composition root: settings (the encryption key first: no key, no start) ->
runtime -> connectors, metrics client, use cases -> gRPC and the ShareDue consumer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from chorus_core.settings import ConfigError, ServiceSettings, env_str
from chorus_runtime import ServiceRuntime

from publishing_service.adapters.bluesky import BlueskyConnector
from publishing_service.adapters.secrets import SecretBox, key_from_env
from publishing_service.adapters.tables import MIGRATIONS
from publishing_service.adapters.tracked_links import GrpcTrackedLinks
from publishing_service.app.accounts import AccountUseCases, LedgerQueries
from publishing_service.app.publish import Publisher
from publishing_service.domain.rate_budget import BLUESKY_ACCOUNT, BLUESKY_APP, RateBudget
from publishing_service.entrypoints import employee_handlers, grpc_api, kafka_handlers

DEFAULT_GRPC_PORT = 7005


@dataclass(frozen=True)
class PublishingSettings:
    encryption_key: bytes
    bluesky_pds_url: str
    metrics_addr: str

    @classmethod
    def from_env(cls) -> PublishingSettings:
        key = key_from_env()
        pds = env_str("CHORUS_BLUESKY_PDS_URL", "http://127.0.0.1:2583").rstrip("/")
        if not pds.startswith(("http://", "https://")):
            raise ConfigError(f"CHORUS_BLUESKY_PDS_URL must be an http(s) URL, got {pds!r}")
        metrics = env_str("CHORUS_METRICS_ADDR", "127.0.0.1:7007")
        if ":" not in metrics:
            raise ConfigError(f"CHORUS_METRICS_ADDR must be host:port, got {metrics!r}")
        return cls(encryption_key=key, bluesky_pds_url=pds, metrics_addr=metrics)


async def serve() -> None:
    settings = ServiceSettings.from_env("publishing", DEFAULT_GRPC_PORT)
    own = PublishingSettings.from_env()
    runtime = ServiceRuntime(settings)
    secrets = SecretBox(own.encryption_key)
    bluesky = BlueskyConnector(own.bluesky_pds_url)
    links = GrpcTrackedLinks(own.metrics_addr)
    connectors = {bluesky.network: bluesky}
    publisher = Publisher(
        runtime.db,
        runtime.outbox,
        connectors,
        links,
        secrets,
        RateBudget(BLUESKY_ACCOUNT, BLUESKY_APP),
    )
    runtime.subscribe(
        [*kafka_handlers.subscriptions(publisher), *employee_handlers.subscriptions()]
    )
    binding = grpc_api.binding(
        AccountUseCases(runtime.db, connectors, secrets), LedgerQueries(runtime.db)
    )
    await runtime.run([binding], MIGRATIONS, on_stop=[bluesky.aclose, links.close])


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
