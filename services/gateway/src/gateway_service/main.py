"""Composition root: settings -> runtime (telemetry, db, broker) -> the
gateway's parts (composition.build) -> the HTTP app (build_app with
ROUTERS) served by uvicorn as a background task, the idempotency purge,
and a gRPC server with the health service only (probes)."""

from __future__ import annotations

import asyncio

from chorus_grpc import insecure_channel
from chorus_identity.config import oidc_issuer
from chorus_identity.tokens import TokenVerifier
from chorus_runtime import ServiceRuntime
from chorus_runtime.http import HttpServer

from gateway_service import composition
from gateway_service.adapters.account_linker import GrpcAccountLinker
from gateway_service.adapters.channels import Channels
from gateway_service.adapters.migrations import SCHEMA
from gateway_service.adapters.rate_limiter import RedisTokenBuckets
from gateway_service.adapters.readiness import ServiceHealth, database_check
from gateway_service.adapters.signing import load_signing_key
from gateway_service.adapters.webhook_sender import HttpSender, tls_context
from gateway_service.app.idempotency import IdempotencyPurge
from gateway_service.entrypoints import kafka_handlers
from gateway_service.entrypoints.http_app import build_app, route_templates
from gateway_service.entrypoints.routers import ROUTERS
from gateway_service.settings import GatewaySettings


async def serve() -> None:
    settings = GatewaySettings.from_env()
    runtime = ServiceRuntime(settings)
    key = load_signing_key(
        settings.gateway_signing_key,
        settings.gateway_signing_kid,
        settings.env_name("gateway_signing_key"),
    )
    # People come in with the identity provider's tokens only.
    verifier = TokenVerifier([oidc_issuer(settings)])
    limiter = RedisTokenBuckets.from_url(settings.redis_url)
    addresses = composition.addresses(settings)
    channels = Channels(addresses)
    # The link is the gateway's own call (its client credentials), not the person's.
    linker_channel = insecure_channel(settings.targeting_addr, credentials=runtime.credentials)
    health = ServiceHealth(addresses)
    checks = {"database": database_check(runtime.db), "redis": limiter.ping, **health.checks()}
    deps = composition.build(
        settings,
        runtime.db,
        verifier,
        key,
        GrpcAccountLinker(linker_channel),
        limiter,
        channels,
        checks,
        outbox=runtime.outbox,
    )
    assert deps.audit_log is not None
    runtime.subscribe(
        kafka_handlers.subscriptions(deps.audit_log, composition.webhook_intake(), deps.role_grants)
    )
    sender = HttpSender(
        tls_context(settings.gateway_webhook_ca_bundle),
        timeout=settings.gateway_webhook_timeout_seconds,
    )
    delivery = composition.webhook_delivery(settings, runtime.db, runtime.outbox, sender)
    http = HttpServer(
        build_app(deps, ROUTERS),
        settings.gateway_http_host,
        settings.gateway_http_port,
        port_setting=settings.env_name("gateway_http_port"),
        routes=route_templates(ROUTERS),
    )
    purge = IdempotencyPurge(deps.idempotency)

    async def idempotency_purge() -> None:
        await purge.run()

    async def webhook_delivery() -> None:
        await delivery.run()

    async def close() -> None:
        purge.stop()
        delivery.stop()
        await sender.aclose()
        await channels.close()
        await linker_channel.close()
        await health.close()
        await limiter.close()

    await runtime.run(
        [], SCHEMA, background=[http.serve, idempotency_purge, webhook_delivery], on_stop=[close]
    )


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()
