"""Publishing one due share: lease -> tracked link -> network -> record.

  1. lease (own small transaction): nobody else calls the network for this
     share while we do; a published share is done; a held lease is retried;
  2. tracked link from metrics (idempotent per share);
  3. the network call, with a record key derived from the share id;
  4. ledger -> published and SharePublished, in the event's transaction
     (with the inbox row).
A crash between 3 and 4 is safe: the redelivered event re-runs 3, the network
refuses a second record under the same key, and the connector returns the
first one. Failures a retry cannot fix end as ledger failed + ShareFailed;
transient ones give the lease back and go to the consumer's bounded retry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from enum import StrEnum

from chorus_core.clock import utcnow
from chorus_core.errors import PermanentError
from chorus_db.ports import UnitOfWork
from opentelemetry import trace

from publishing_service.app.lease import Leases
from publishing_service.app.ports import (
    AccountCredentials,
    DueShare,
    LinkRejected,
    LinkRequest,
    NetworkConnector,
    OpenTransaction,
    PostDraft,
    PublishedPost,
    PublishEvents,
    RejectedByNetwork,
    SecretCipher,
    SecretUnreadable,
    Stores,
    TrackedLink,
    TrackedLinks,
)
from publishing_service.domain.accounts import associated_data
from publishing_service.domain.ledger import LEASE_DURATION
from publishing_service.domain.post_text import compose
from publishing_service.domain.rate_budget import BLUESKY_CREATE_COST, RateBudget

log = logging.getLogger(__name__)


class PublishOutcome(StrEnum):
    PUBLISHED = "published"
    ALREADY_PUBLISHED = "already_published"
    FAILED = "failed"


class Publisher:
    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        events: PublishEvents,
        connectors: Mapping[str, NetworkConnector],
        links: TrackedLinks,
        secrets: SecretCipher,
        budget: RateBudget,
        *,
        lease: timedelta = LEASE_DURATION,
        post_cost: float = BLUESKY_CREATE_COST,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.stores = stores
        self.events = events
        self.connectors = connectors
        self.links = links
        self.secrets = secrets
        self.budget = budget
        self.leases = Leases(db, stores, lease)
        self.post_cost = post_cost
        self.monotonic = monotonic

    async def publish(self, share: DueShare, commit: OpenTransaction) -> PublishOutcome:
        """`commit` opens the event's transaction (ctx.transaction: effects +
        inbox row); it is used exactly once, whatever the outcome."""
        if not (share.tenant_id and share.share_id and share.employee_id and share.post_id):
            raise PermanentError("share due without tenant, share, post or employee id")
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", share.tenant_id)
        span.set_attribute("chorus.post_id", share.post_id)
        span.set_attribute("chorus.share_id", share.share_id)
        token = await self.leases.take(share)
        if token is None:
            # Published before: its SharePublished was written with the ledger
            # row, atomically; only this event's inbox row is left to record.
            async with commit():
                pass
            return PublishOutcome.ALREADY_PUBLISHED
        try:
            return await self._attempt(share, token, commit)
        except (RejectedByNetwork, LinkRejected) as rejected:
            await self._record_failure(share, token, str(rejected), commit)
            return PublishOutcome.FAILED
        except BaseException:
            await self.leases.release(share, token)
            raise

    async def _attempt(
        self, share: DueShare, token: str, commit: OpenTransaction
    ) -> PublishOutcome:
        connector = self.connectors.get(share.network)
        if connector is None:
            raise RejectedByNetwork(f"network {share.network!r} is not supported by publishing")
        account = await self._account(share)
        if account is None:
            raise RejectedByNetwork(f"no connected {share.network} account for this employee")
        link = (
            await self.links.create(
                LinkRequest(
                    tenant_id=share.tenant_id,
                    share_id=share.share_id,
                    post_id=share.post_id,
                    employee_id=share.employee_id,
                    country=share.country,
                    network=share.network,
                    target_url=share.link,
                )
            )
            if share.link
            else None
        )
        composed = compose(share.text, share.link, link.short_url if link else "")
        self.budget.spend(account.account_id, self.post_cost, self.monotonic())
        post = await connector.publish(
            account,
            PostDraft(
                share_id=share.share_id,
                text=composed.text,
                link=composed.link,
                language=share.fallback_language or share.language,
                created_at=utcnow(),
            ),
        )
        await self._record_success(share, token, post, link, commit)
        return PublishOutcome.PUBLISHED

    async def _account(self, share: DueShare) -> AccountCredentials | None:
        async with self.db.session() as reads:
            stored = await self.stores.accounts(reads).find(
                share.tenant_id, share.employee_id, share.network
            )
        if stored is None:
            return None
        try:
            secret = self.secrets.decrypt(
                stored.secret_ciphertext,
                associated_data(share.tenant_id, share.employee_id, share.network),
            )
        except SecretUnreadable:
            # A wrong key in this deployment, not a fault of the share: to the
            # DLQ, to be replayed once the key is right.
            raise PermanentError(
                "stored account secret cannot be decrypted with the configured key"
            ) from None
        return AccountCredentials(account_id=stored.account_id, handle=stored.handle, secret=secret)

    async def _record_success(
        self,
        share: DueShare,
        token: str,
        post: PublishedPost,
        link: TrackedLink | None,
        commit: OpenTransaction,
    ) -> None:
        now = utcnow()
        async with commit() as transaction:
            recorded = await self.stores.ledger(transaction).mark_published(
                share.tenant_id,
                share.share_id,
                token,
                post_uri=post.uri,
                post_cid=post.cid,
                link_code=link.code if link else "",
                now=now,
            )
            if not recorded:
                # Our lease expired and another worker took over: it will find
                # this same record (same key) and announce it, once.
                log.warning(
                    "lease lost before recording; left to its new holder",
                    extra={"chorus": {"share_id": share.share_id}},
                )
                return
            self.events.published(
                transaction,
                share,
                post_uri=post.uri,
                link_code=link.code if link else "",
                at=now,
            )
        log.info(
            "share published",
            extra={"chorus": {"share_id": share.share_id, "redelivery": post.already_existed}},
        )

    async def _record_failure(
        self, share: DueShare, token: str, reason: str, commit: OpenTransaction
    ) -> None:
        async with commit() as transaction:
            if not await self.stores.ledger(transaction).mark_failed(
                share.tenant_id, share.share_id, token, reason, utcnow()
            ):
                return  # lease lost: the new holder decides the outcome
            self.events.failed(transaction, share, reason)
        # The reason stays in the ledger: network messages may quote what the
        # employee wrote, which has no place in logs.
        log.warning("share failed", extra={"chorus": {"share_id": share.share_id}})
