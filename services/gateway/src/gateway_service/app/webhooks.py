"""A tenant's outgoing webhooks: subscriptions, secrets, the hosts they may
reach, and the delivery log.

Policy: only a tenant admin manages or reads webhooks, in their own tenant
(the tenant is the admin's, never a request field); another tenant's webhook
is simply not found. Every change is audited (chorus_messaging.audit).

An endpoint is HTTPS only and passes the same outbound-address guard as
content's feeds (chorus_core.outbound): a host resolving to a non-public
address is refused unless the tenant admin allow-listed it by name. It is
checked when the webhook is created and again at every delivery (DNS may
change). The signing secret is shown once, when it is made; it is stored
encrypted. A rotation keeps the old secret signing for a grace period.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument, NotFound, PermissionDenied
from chorus_core.ids import new_id
from chorus_core.outbound import Unresolvable
from chorus_db.ports import Transaction, UnitOfWork
from chorus_identity.policy import require_admin
from chorus_identity.principal import Principal
from chorus_messaging.audit import AuditTrail, State, Value

from gateway_service.domain.webhooks import (
    Delivery,
    Webhook,
    check_endpoint,
    check_event_types,
    new_secret,
)

MAX_WEBHOOKS = 20
MAX_ALLOWED_HOSTS = 50
Resolve = Callable[[str, int, Collection[str]], Awaitable[list[str]]]


@dataclass(frozen=True)
class Secrets:
    """A webhook's signing secrets, encrypted as stored."""

    current: bytes
    previous: bytes | None = None


class WebhookStore(Protocol):
    async def count(self, tenant_id: str) -> int: ...

    async def add(self, webhook: Webhook, secret: bytes) -> None: ...

    async def get(self, tenant_id: str, webhook_id: str) -> Webhook | None:
        """Not deleted ones only."""

    async def all(self, tenant_id: str) -> list[Webhook]: ...

    async def secrets(self, webhook_id: str) -> Secrets: ...

    async def delete(self, tenant_id: str, webhook_id: str) -> bool: ...

    async def rotate(
        self, tenant_id: str, webhook_id: str, secret: bytes, previous_until: datetime
    ) -> None:
        """The new secret becomes current; the current one signs until `previous_until`."""

    async def enable(self, tenant_id: str, webhook_id: str) -> None:
        """Enabled again, its failure count back to 0."""

    async def allowed_hosts(self, tenant_id: str) -> frozenset[str]: ...

    async def set_allowed_hosts(self, tenant_id: str, hosts: Sequence[str]) -> None: ...


class DeliveryLog(Protocol):
    async def log(
        self, tenant_id: str, webhook_id: str, before_id: str, limit: int
    ) -> list[Delivery]:
        """Newest first, with their attempts; `before_id` "" = from the newest."""


class SecretCipher(Protocol):
    def encrypt(self, plaintext: str, associated_data: bytes) -> bytes: ...

    def decrypt(self, stored: bytes, associated_data: bytes) -> str: ...


def secret_binding(tenant_id: str, webhook_id: str) -> bytes:
    """Associated data of a webhook's secrets: a secret copied onto another
    row (or tenant) does not decrypt."""
    return f"gateway-webhook\x1f{tenant_id}\x1f{webhook_id}".encode()


def _host(value: str, index: int) -> str:
    host = value.strip().lower().rstrip(".")
    if not host or len(host) > 253 or any(c in host for c in "/:@ ?#"):
        raise InvalidArgument(f"hosts[{index}]", "a host name or IP address, without port or path")
    return host


class Webhooks:
    def __init__(
        self,
        db: UnitOfWork,
        store: Callable[[Transaction], WebhookStore],
        log: Callable[[Transaction], DeliveryLog],
        cipher: SecretCipher,
        audit: AuditTrail,
        resolve: Resolve,
        rotation_grace: timedelta,
    ) -> None:
        self.db = db
        self.store = store
        self.log_of = log
        self.cipher = cipher
        self.audit = audit
        self.resolve = resolve
        self.rotation_grace = rotation_grace

    async def create(
        self, actor: Principal, url: str, event_types: Sequence[str], request_id: str
    ) -> tuple[Webhook, str]:
        """The webhook and its signing secret (shown this once)."""
        require_admin(actor)
        tenant = actor.tenant_id
        target = check_endpoint(url)
        chosen = check_event_types(event_types)
        async with self.db.session() as session:
            allowed = await self.store(session).allowed_hosts(tenant)
        await self._check_reachable(target.host, target.port, allowed)
        webhook = Webhook(new_id(), tenant, url.strip(), chosen, utcnow(), actor.ref)
        secret = new_secret()
        stored = self.cipher.encrypt(secret, secret_binding(tenant, webhook.webhook_id))
        async with self.db.transaction() as tx:
            store = self.store(tx)
            if await store.count(tenant) >= MAX_WEBHOOKS:
                raise InvalidArgument("url", f"a tenant has at most {MAX_WEBHOOKS} webhooks")
            await store.add(webhook, stored)
            self._audit(tx, webhook, "webhook.create", None, _state(webhook), request_id)
        return webhook, secret

    async def _check_reachable(self, host: str, port: int, allowed: frozenset[str]) -> None:
        try:
            await self.resolve(host, port, allowed)
        except Unresolvable:
            raise InvalidArgument("url", "the host does not resolve") from None
        except PermissionDenied as error:
            raise InvalidArgument("url", error.message) from None

    async def all(self, actor: Principal) -> list[Webhook]:
        require_admin(actor)
        async with self.db.session() as session:
            return await self.store(session).all(actor.tenant_id)

    async def get(self, actor: Principal, webhook_id: str) -> Webhook:
        require_admin(actor)
        async with self.db.session() as session:
            return await self._get(self.store(session), actor.tenant_id, webhook_id)

    @staticmethod
    async def _get(store: WebhookStore, tenant_id: str, webhook_id: str) -> Webhook:
        found = await store.get(tenant_id, webhook_id)
        if found is None:
            raise NotFound("webhook", webhook_id)
        return found

    async def delete(self, actor: Principal, webhook_id: str, request_id: str) -> None:
        require_admin(actor)
        async with self.db.transaction() as tx:
            store = self.store(tx)
            webhook = await self._get(store, actor.tenant_id, webhook_id)
            await store.delete(actor.tenant_id, webhook_id)
            self._audit(tx, webhook, "webhook.delete", _state(webhook), None, request_id)

    async def rotate_secret(self, actor: Principal, webhook_id: str, request_id: str) -> str:
        """A new secret (shown this once); the old one keeps signing, next to
        it, for the grace period."""
        require_admin(actor)
        secret = new_secret()
        stored = self.cipher.encrypt(secret, secret_binding(actor.tenant_id, webhook_id))
        until = utcnow() + self.rotation_grace
        async with self.db.transaction() as tx:
            store = self.store(tx)
            webhook = await self._get(store, actor.tenant_id, webhook_id)
            await store.rotate(actor.tenant_id, webhook_id, stored, until)
            after = {"previous_secret_until": until.isoformat()}
            self._audit(tx, webhook, "webhook.rotate_secret", None, after, request_id)
        return secret

    async def enable(self, actor: Principal, webhook_id: str, request_id: str) -> Webhook:
        """Back on after it was disabled for failing; deliveries resume."""
        require_admin(actor)
        async with self.db.transaction() as tx:
            store = self.store(tx)
            webhook = await self._get(store, actor.tenant_id, webhook_id)
            await store.enable(actor.tenant_id, webhook_id)
            self._audit(
                tx,
                webhook,
                "webhook.enable",
                {"enabled": webhook.enabled},
                {"enabled": True},
                request_id,
            )
            return await self._get(store, actor.tenant_id, webhook_id)

    async def deliveries(
        self, actor: Principal, webhook_id: str, before_id: str, limit: int
    ) -> tuple[list[Delivery], str]:
        """A page of the delivery log and the id the next page starts before."""
        require_admin(actor)
        async with self.db.session() as session:
            await self._get(self.store(session), actor.tenant_id, webhook_id)
            found = await self.log_of(session).log(
                actor.tenant_id, webhook_id, before_id, limit + 1
            )
        items = found[:limit]
        return items, (items[-1].delivery_id if len(found) > limit else "")

    async def allowed_hosts(self, actor: Principal) -> frozenset[str]:
        require_admin(actor)
        async with self.db.session() as session:
            return await self.store(session).allowed_hosts(actor.tenant_id)

    async def set_allowed_hosts(
        self, actor: Principal, hosts: Sequence[str], request_id: str
    ) -> frozenset[str]:
        require_admin(actor)
        if len(hosts) > MAX_ALLOWED_HOSTS:
            raise InvalidArgument("hosts", f"at most {MAX_ALLOWED_HOSTS}")
        chosen = sorted({_host(h, i) for i, h in enumerate(hosts)})
        async with self.db.transaction() as tx:
            store = self.store(tx)
            before = sorted(await store.allowed_hosts(actor.tenant_id))
            await store.set_allowed_hosts(actor.tenant_id, chosen)
            # Host names of the tenant's own receivers: configuration, not people.
            self.audit.record(
                tx,
                tenant_id=actor.tenant_id,
                action="webhook_allowlist.set",
                target_type="webhook_allowlist",
                target_id=actor.tenant_id,
                before={"hosts": before},
                after={"hosts": chosen},
                request_id=request_id,
            )
        return frozenset(chosen)

    def _audit(
        self,
        tx: Transaction,
        webhook: Webhook,
        action: str,
        before: State | None,
        after: State | None,
        request_id: str,
    ) -> None:
        self.audit.record(
            tx,
            tenant_id=webhook.tenant_id,
            action=action,
            target_type="webhook",
            target_id=webhook.webhook_id,
            before=before,
            after=after,
            request_id=request_id,
        )


def _state(webhook: Webhook) -> dict[str, Value]:
    # The endpoint's URL is the tenant's configuration, not personal data;
    # the secret is never part of it.
    return {"url": webhook.url, "event_types": list(webhook.event_types)}
