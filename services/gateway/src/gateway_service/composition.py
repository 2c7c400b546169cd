"""The gateway's parts, built from its settings and the adapters main.py
(or a test) hands in: the authenticator, idempotency, rate limits, role
grants and the cursor codec, as one GatewayDeps for build_app."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import timedelta

from chorus_core.outbound import resolve_public
from chorus_db import Database
from chorus_identity.keys import SigningKey, jwks_of
from chorus_identity.secrets import SecretBox
from chorus_identity.tokens import TokenMinter, TokenVerifier
from chorus_messaging import Outbox
from chorus_messaging.audit import OutboxAuditTrail

from gateway_service.adapters.audit_store import SqlAuditLog
from gateway_service.adapters.channels import Channels
from gateway_service.adapters.sql_stores import SqlIdempotencyStore, SqlRoleGrants
from gateway_service.adapters.webhook_queue import SqlDeliveryQueue
from gateway_service.adapters.webhook_store import SqlWebhookStore
from gateway_service.app.audit import AuditLog
from gateway_service.app.auth import Authenticator
from gateway_service.app.idempotency import Idempotency
from gateway_service.app.limits import RateLimits, Rates
from gateway_service.app.ports import AccountLinker, RateLimiter
from gateway_service.app.role_grants import RoleGrants
from gateway_service.app.webhook_delivery import Sender, WebhookDelivery, WebhookIntake
from gateway_service.app.webhooks import Webhooks
from gateway_service.domain.cursor import CursorCodec
from gateway_service.domain.webhooks import RetryPolicy
from gateway_service.entrypoints.deps import GatewayDeps
from gateway_service.settings import GatewaySettings

MEDIA_PREFIX = "/v1/media"
DIRECTORY_PREFIX = "/v1/directory"


def cursor_secret(key: SigningKey) -> bytes:
    """Derived from the signing key, so every replica accepts every replica's
    cursors without one more secret to distribute."""
    return hashlib.sha256(b"chorus-gateway-cursor\x00" + key.private_pem).digest()


def build(
    settings: GatewaySettings,
    db: Database,
    verifier: TokenVerifier,
    key: SigningKey,
    linker: AccountLinker,
    limiter: RateLimiter,
    channels: Channels,
    ready_checks: dict[str, Callable[[], Awaitable[None]]] | None = None,
    outbox: Outbox | None = None,
) -> GatewayDeps:
    """`outbox`: the runtime's (its relay wakes at once); another Outbox on the
    same database works too, the relay polls."""
    outbox = outbox or Outbox(settings.source)
    minter = TokenMinter(
        key,
        settings.internal_issuer,
        settings.oidc_audience,
        lifetime_seconds=settings.gateway_token_lifetime_seconds,
    )
    auth = Authenticator(
        verifier,
        minter,
        SqlRoleGrants(db),
        linker,
        external_id_claim=settings.gateway_external_id_claim,
    )
    rates = Rates(
        settings.gateway_user_rate,
        settings.gateway_user_burst,
        settings.gateway_tenant_rate,
        settings.gateway_tenant_burst,
    )
    return GatewayDeps(
        auth=auth,
        limits=RateLimits(limiter, rates),
        idempotency=Idempotency(SqlIdempotencyStore(db, cipher(settings))),
        role_grants=RoleGrants(SqlRoleGrants(db, OutboxAuditTrail(outbox)), auth),
        channels=channels,
        cursors=CursorCodec(cursor_secret(key)),
        jwks=dict(jwks_of(key)),
        max_body_bytes=settings.gateway_max_body_bytes,
        body_limits={
            MEDIA_PREFIX: settings.gateway_media_max_body_bytes,
            DIRECTORY_PREFIX: settings.gateway_directory_max_body_bytes,
        },
        cors_origins=settings.cors_origins,
        ready_checks=dict(ready_checks or {}),
        audit_log=AuditLog(db, SqlAuditLog.on),
        webhooks=webhooks(settings, db, outbox),
    )


def cipher(settings: GatewaySettings) -> SecretBox:
    return SecretBox(settings.gateway_encryption_key.get_secret_value())


def webhooks(settings: GatewaySettings, db: Database, outbox: Outbox) -> Webhooks:
    return Webhooks(
        db,
        SqlWebhookStore.on,
        SqlDeliveryQueue.on,
        cipher(settings),
        OutboxAuditTrail(outbox),
        resolve_public,
        timedelta(seconds=settings.gateway_webhook_rotation_grace_seconds),
    )


def retry_policy(settings: GatewaySettings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.gateway_webhook_max_attempts,
        first_delay=timedelta(seconds=settings.gateway_webhook_first_retry_seconds),
        max_delay=timedelta(seconds=settings.gateway_webhook_max_retry_seconds),
        disable_after=settings.gateway_webhook_disable_after,
    )


def webhook_delivery(
    settings: GatewaySettings, db: Database, outbox: Outbox, sender: Sender
) -> WebhookDelivery:
    """The worker that sends the queued deliveries (a background task)."""
    return WebhookDelivery(
        db,
        SqlDeliveryQueue.on,
        SqlWebhookStore.on,
        sender,
        cipher(settings),
        OutboxAuditTrail(outbox),
        retry_policy(settings),
        tick_seconds=settings.gateway_webhook_tick_seconds,
    )


def webhook_intake() -> WebhookIntake:
    return WebhookIntake(SqlDeliveryQueue.on)


def addresses(settings: GatewaySettings) -> dict[str, str]:
    return {
        "content": settings.content_addr,
        "targeting": settings.targeting_addr,
        "translation": settings.translation_addr,
        "scheduling": settings.scheduling_addr,
        "publishing": settings.publishing_addr,
        "gamification": settings.gamification_addr,
        "metrics": settings.metrics_addr,
    }
