"""Publishing due shares: lease -> tracked link -> network -> record.

Shares due at once (a Kafka batch; the sweeper's one at a time) go through
together: one read of their withdrawals, one transaction for their leases,
one read of their accounts, the network calls concurrently (each under its
own event's scope: chorus_core.scope), then every outcome in ONE
transaction with the events' inbox rows. One share's failure a retry may
fix leaves only that share to be tried again (publish_all's answer).

  1. lease (own small transaction): nobody else calls the network for this
     share while we do; a published share is done; a held lease is retried;
     a share deferred to a time still ahead waits for the sweeper;
  2. tracked link from metrics (idempotent per share), and the post's
     images from content's media drive (its link card with them);
  3. the network call (paid for from the shared budgets by the connector);
     when the lease was taken over from an attempt that may have sent it,
     the connector's find() is asked first;
  4. ledger -> published and SharePublished, in the event's transaction
     (with the inbox row).
A crash between 3 and 4 is safe: the redelivered event re-runs 3, and the
connector's idempotency (a record key derived from the share id, an
idempotency key) or find() returns the first post. Failures a retry cannot
fix end as ledger failed + ShareFailed. A budget that says "not now"
(RateLimited) defers the share to the time it gives: ledger deferred +
ShareDeferred, sent then by the sweeper (app/sweeper.py), never dead-lettered.

A token the network refuses (CredentialsRejected: expired, revoked) fails
nothing: the share is held for the employee's reconnection (app/holds.py),
and so is every later share of that account, without calling the network.
A share whose post has expired is never sent: one still waiting then
(deferred, held) ends as ledger failed + ShareFailed with a reason saying
so. ShareFailed is what ends a share today (publishing announces no
"cancelled"): the expiry is in its reason.

Nothing waits in the consumer: a share whose lease another worker holds,
or whose network call failed in a way a retry may fix (a 5xx, a timeout,
no connection), is handed to the sweeper (the lease given back; the
sweeper takes it once stale) and the event is done, so the shares behind
it on the partition go on. Other transient failures (the database, the
metrics service) give the lease back and go to the consumer's bounded retry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial

from chorus_core.clock import utcnow
from chorus_core.errors import PermanentError
from chorus_core.scope import Scope
from chorus_db.ports import Transaction, UnitOfWork
from opentelemetry import trace

from publishing_service.app.holds import AccountHold, HoldOutcome, Holds
from publishing_service.app.lease import Leases, WithdrawnBeforeDue
from publishing_service.app.ports import (
    AccountCredentials,
    CredentialsRejected,
    DueShare,
    LinkCard,
    LinkRejected,
    LinkRequest,
    MediaDrive,
    MediaItem,
    MediaRejected,
    NetworkConnector,
    OpenTransaction,
    PostDraft,
    PublishedPost,
    PublishedRecord,
    PublishEvents,
    RateLimited,
    RejectedByNetwork,
    RetryableNetworkError,
    SecretCipher,
    SecretUnreadable,
    StoredAccount,
    Stores,
    TrackedLink,
    TrackedLinks,
)
from publishing_service.domain.accounts import associated_data
from publishing_service.domain.ledger import (
    LEASE_DURATION,
    Lease,
    LeaseHeld,
    ShareEnded,
    ShareExpired,
    StillDeferred,
    StillHeld,
    expired_reason,
    post_expired,
)
from publishing_service.domain.post_text import compose

log = logging.getLogger(__name__)


class PublishOutcome(StrEnum):
    PUBLISHED = "published"
    ALREADY_PUBLISHED = "already_published"
    FAILED = "failed"
    DEFERRED = "deferred"  # a budget said when; the sweeper sends it then
    HELD = "held"  # its account waits for a reconnection, which sends it
    HANDED_OVER = "handed_over"  # another worker has it, or the sweeper retries it
    CANCELLED = "cancelled"  # withdrawn while it waited: never sent


# A ShareDue whose share has nothing to do now (Leases.take says why):
# only the event's inbox row is recorded.
_NOTHING_TO_DO_NOW: dict[type[Exception], PublishOutcome] = {
    # Withdrawn before it was ever due here: never sent, nothing recorded.
    WithdrawnBeforeDue: PublishOutcome.CANCELLED,
    # Another worker is on it; if it dies, its lease goes stale and the
    # sweeper sends the share (its ShareDue is in the ledger).
    LeaseHeld: PublishOutcome.HANDED_OVER,
    # Deferred to a time still ahead: the sweeper sends it then.
    StillDeferred: PublishOutcome.DEFERRED,
    # Its account waits for a reconnection, which sends it.
    StillHeld: PublishOutcome.HELD,
    # Failed, and its post expired since: its ShareFailed was written then.
    ShareEnded: PublishOutcome.FAILED,
}


# What a share's attempt leaves to write, in the outcome's transaction (the
# event's, with its inbox row; a batch's, with all of theirs): it answers the
# outcome, and what to log once that transaction has committed (a line such
# as "share published" states a fact, so it never precedes the commit).
Note = Callable[[], None]
Settled = tuple[PublishOutcome, Note | None]
Settle = Callable[[Transaction], Awaitable[Settled]]


@dataclass(frozen=True)
class Posted:
    """A share the network took: its ledger entry is marked published with
    the others' (one statement), then its SharePublished written."""

    share: DueShare
    token: str
    post: PublishedPost
    link: TrackedLink | None
    text: str  # as posted

    @property
    def record(self) -> PublishedRecord:
        return PublishedRecord(
            tenant_id=self.share.tenant_id,
            share_id=self.share.share_id,
            lease_token=self.token,
            post_uri=self.post.uri,
            post_cid=self.post.cid,
            link_code=self.link.code if self.link else "",
            text=self.text,
            variant=self.share.variant,
            edited=self.share.edited,
        )


def _inbox_only(outcome: PublishOutcome) -> Settle:
    """No effect of ours: the event's inbox row alone (a redelivery is then
    a no-op)."""

    async def settle(_transaction: Transaction) -> Settled:
        return outcome, None

    return settle


_AFTER_HOLD = {
    HoldOutcome.HELD: PublishOutcome.HELD,
    HoldOutcome.RETRY_NOW: PublishOutcome.DEFERRED,  # reconnected meanwhile
    HoldOutcome.NO_ACCOUNT: PublishOutcome.FAILED,  # disconnected meanwhile
    HoldOutcome.LEASE_LOST: PublishOutcome.HANDED_OVER,
}


class Publisher:
    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        events: PublishEvents,
        connectors: Mapping[str, NetworkConnector],
        links: TrackedLinks,
        secrets: SecretCipher,
        *,
        media: MediaDrive | None = None,
        lease: timedelta = LEASE_DURATION,
    ) -> None:
        """`media`: content's drive, for shares with images (None: only for
        compositions whose shares have none)."""
        self.db = db
        self.stores = stores
        self.events = events
        self.connectors = connectors
        self.links = links
        self.secrets = secrets
        self.media = media
        self.leases = Leases(db, stores, lease)
        self.holds = Holds(stores, events)

    async def publish(self, share: DueShare, commit: OpenTransaction) -> PublishOutcome:
        """`commit` opens the event's transaction (ctx.transaction: effects +
        inbox row); it is used once, whatever the outcome, unless the share
        is left undone: then the error is raised (its lease given back)."""
        (outcome,) = await self.publish_all([(share, nullcontext)], commit)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def publish_all(
        self,
        shares: Sequence[tuple[DueShare, Scope]],
        commit: OpenTransaction,
        undone: Callable[[int, Exception], None] | None = None,
    ) -> list[PublishOutcome | Exception]:
        """Each share's outcome, in its place, or the error that left it
        undone (its lease given back: to be retried alone). `undone(i,
        error)` is told of each of those BEFORE `commit` is opened, so that
        it can leave their events out of it (Batch.leave). `commit` opens
        the transaction every outcome is written in; it is opened once,
        unless every share was left undone. What is done for one share runs
        in its scope."""
        answers: list[PublishOutcome | Exception | None] = [None] * len(shares)
        for i, (share, scope) in enumerate(shares):
            if not (share.tenant_id and share.share_id and share.employee_id and share.post_id):
                answers[i] = PermanentError("share due without tenant, share, post or employee id")
                continue
            with scope():
                span = trace.get_current_span()
                span.set_attribute("chorus.tenant_id", share.tenant_id)
                span.set_attribute("chorus.post_id", share.post_id)
                span.set_attribute("chorus.share_id", share.share_id)
        todo = [i for i, answer in enumerate(answers) if answer is None]
        withdrawn = await self._withdrawn_all([shares[i][0] for i in todo])
        taken = await self.leases.take_all([shares[i][0] for i in todo], withdrawn)
        settles: dict[int, Settle | Posted] = {}
        leased: dict[int, Lease] = {}
        for i, lease in zip(todo, taken, strict=True):
            if lease is None:
                # Published before: its SharePublished was written with the
                # ledger row, atomically; only this event's inbox row is left.
                settles[i] = _inbox_only(PublishOutcome.ALREADY_PUBLISHED)
            elif isinstance(lease, Exception):
                if isinstance(lease, WithdrawnBeforeDue):
                    log.info(
                        "due share withdrawn: not published",
                        extra={"chorus": {"share_id": shares[i][0].share_id}},
                    )
                settles[i] = _inbox_only(_NOTHING_TO_DO_NOW[type(lease)])
            else:
                leased[i] = lease
        if leased:
            # Before the network calls: how an SRE (and the kill test) sees a
            # batch out on the networks.
            log.info("shares leased", extra={"chorus": {"shares": len(leased)}})
        try:
            stored = await self._stored_accounts([shares[i][0] for i in leased])
        except BaseException:
            await self._release_all(shares, leased)
            raise
        attempts = await asyncio.gather(
            *(self._outcome(shares[i], leased[i], withdrawn, stored) for i in leased),
            return_exceptions=True,
        )
        for i, attempt in zip(leased, attempts, strict=True):
            if isinstance(attempt, Exception):
                await self.leases.release(shares[i][0], leased[i].token)
                answers[i] = attempt
            elif isinstance(attempt, BaseException):  # cancelled: shutting down
                await self._release_all(shares, leased)
                raise attempt
            else:
                settles[i] = attempt
        if undone is not None:
            for i, answer in enumerate(answers):
                if isinstance(answer, Exception):
                    undone(i, answer)
        if settles:
            try:
                notes: list[tuple[int, Note]] = []
                async with commit() as transaction:
                    now = utcnow()
                    posted = [s.record for s in settles.values() if isinstance(s, Posted)]
                    marked = await self.stores.ledger(transaction).mark_all_published(posted, now)
                    for i in sorted(settles):
                        settle = settles[i]
                        with shares[i][1]():
                            if isinstance(settle, Posted):
                                outcome, note = self._announce(settle, marked, now, transaction)
                            else:
                                outcome, note = await settle(transaction)
                        answers[i] = outcome
                        if note is not None:
                            notes.append((i, note))
            except BaseException:
                await self._release_all(shares, {i: leased[i] for i in settles if i in leased})
                raise
            for i, note in notes:
                with shares[i][1]():
                    note()
        return [
            a if a is not None else PermanentError("share left without an outcome") for a in answers
        ]

    async def _outcome(
        self,
        item: tuple[DueShare, Scope],
        lease: Lease,
        withdrawn: Mapping[tuple[str, str], str],
        stored: Mapping[tuple[str, str, str], StoredAccount],
    ) -> Settle | Posted:
        """What to record for a leased share, in its scope: after its network
        call, or without one. Raises what a retry may fix (the lease is then
        given back by the caller)."""
        share, scope = item
        with scope():
            token = lease.token
            # Withdrawals were read for every share a moment before its lease:
            # one that waited (a deferral, a hold, a dead worker's lease) is
            # checked as a fresh ShareDue is.
            reason = withdrawn.get((share.tenant_id, share.share_id))
            if reason is not None:
                return partial(self._record_cancelled, share, token, reason)
            try:
                account = stored.get((share.tenant_id, share.employee_id, share.network))
                return await self._attempt(share, lease, account)
            except ShareExpired as expired:
                return partial(self._record_failure, share, token, str(expired))
            except AccountHold as hold:
                return partial(self._record_hold, share, token, hold)
            except (RejectedByNetwork, LinkRejected, MediaRejected) as rejected:
                return partial(self._record_failure, share, token, str(rejected))
            except RateLimited as limited:
                return partial(self._record_deferral, share, token, limited)
            except RetryableNetworkError:
                await self.leases.release(share, token)
                log.info(
                    "network call failed; the sweeper retries it",
                    extra={"chorus": {"share_id": share.share_id}},
                )
                return _inbox_only(PublishOutcome.HANDED_OVER)

    async def _release_all(
        self, shares: Sequence[tuple[DueShare, Scope]], leased: Mapping[int, Lease]
    ) -> None:
        for i, lease in leased.items():
            await self.leases.release(shares[i][0], lease.token)

    async def _withdrawn_all(self, shares: Collection[DueShare]) -> dict[tuple[str, str], str]:
        """Why each share must not go out (cancelled, its employee opted out
        or erased), by (tenant, share): a fresh ShareDue is not even leased,
        one that waited is ended cancelled."""
        if not shares:
            return {}
        async with self.db.session() as reads:
            return await self.stores.withdrawals(reads).reasons(
                [(s.tenant_id, s.share_id, s.employee_id) for s in shares]
            )

    async def _stored_accounts(
        self, shares: Collection[DueShare]
    ) -> dict[tuple[str, str, str], StoredAccount]:
        if not shares:
            return {}
        async with self.db.session() as reads:
            return await self.stores.accounts(reads).find_all(
                {(s.tenant_id, s.employee_id, s.network) for s in shares}
            )

    async def _record_cancelled(
        self, share: DueShare, token: str, reason: str, transaction: Transaction
    ) -> Settled:
        await self.stores.ledger(transaction).mark_cancelled(
            share.tenant_id, share.share_id, token, f"withdrawn: {reason}", utcnow()
        )
        return PublishOutcome.CANCELLED, partial(
            log.info, "share withdrawn: not published", extra=_about(share)
        )

    async def _record_hold(
        self, share: DueShare, token: str, hold: AccountHold, transaction: Transaction
    ) -> Settled:
        return _AFTER_HOLD[await self.holds.record(transaction, share, token, hold)], None

    async def _attempt(self, share: DueShare, lease: Lease, stored: StoredAccount | None) -> Posted:
        if not lease.maybe_sent:
            # (One that may have gone out is looked for first, below.)
            self._refuse_expired(share, lease)
        connector = self.connectors.get(share.network)
        if connector is None:
            raise RejectedByNetwork(f"network {share.network!r} is not supported by publishing")
        if stored is None:
            raise RejectedByNetwork(f"no connected {share.network} account for this employee")
        if stored.reconnect_needed_at is not None:
            # Known refused: no link minted, no network call, no budget spent.
            raise AccountHold(stored, stored.reconnect_reason)
        account = self._credentials(share, stored)
        try:
            return await self._send(share, lease, connector, account)
        except CredentialsRejected as rejected:
            raise AccountHold(stored, rejected.reason) from None

    async def _send(
        self,
        share: DueShare,
        lease: Lease,
        connector: NetworkConnector,
        account: AccountCredentials,
    ) -> Posted:
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
        draft = PostDraft(
            share_id=share.share_id,
            text=composed.text,
            link=composed.link,
            language=share.fallback_language or share.language,
            created_at=utcnow(),
        )
        # find() goes by the text and its short link: the images are fetched
        # only for a post that is to be sent.
        post = await connector.find(account, draft) if lease.maybe_sent else None
        if post is None:
            self._refuse_expired(share, lease)
            post = await connector.publish(account, await self._with_media(share, draft, link))
        return Posted(share, lease.token, post, link, draft.text)

    async def _with_media(
        self, share: DueShare, draft: PostDraft, link: TrackedLink | None
    ) -> PostDraft:
        """The draft with the post's images and, for a share with a link, its
        card: on the tracked link, so a click on it counts; the first image
        is its picture (a network posting the images themselves shows them
        instead)."""
        media = await self._media(share)
        card = (
            LinkCard(
                uri=link.short_url,
                title=share.title or share.link,
                description=share.description,
                thumbnail=media[0] if media else None,
            )
            if link
            else None
        )
        return replace(draft, media=media, card=card)

    async def _media(self, share: DueShare) -> tuple[MediaItem, ...]:
        """The share's images, in the post's order, from content's drive."""
        if not share.media_ids:
            return ()
        if self.media is None:
            # A composition without the drive, not a fault of the share: to
            # the DLQ, replayed once the drive is wired.
            raise PermanentError("share due with images and no media drive configured")
        drive = self.media
        return tuple(
            await asyncio.gather(*(drive.fetch(share.tenant_id, m) for m in share.media_ids))
        )

    @staticmethod
    def _refuse_expired(share: DueShare, lease: Lease) -> None:
        if post_expired(share.expires_at, utcnow()):
            raise ShareExpired(expired_reason(lease.previous, share.network))

    def _credentials(self, share: DueShare, stored: StoredAccount) -> AccountCredentials:
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

    def _announce(
        self, posted: Posted, marked: set[tuple[str, str]], now: datetime, transaction: Transaction
    ) -> Settled:
        share, post = posted.share, posted.post
        if (share.tenant_id, share.share_id) not in marked:
            # Our lease expired and another worker took over: it will find
            # this same record (same key) and announce it, once.
            return PublishOutcome.HANDED_OVER, partial(
                log.warning,
                "lease lost before recording; left to its new holder",
                extra=_about(share),
            )
        self.events.published(
            transaction,
            share,
            post_uri=post.uri,
            link_code=posted.link.code if posted.link else "",
            at=now,
        )
        return PublishOutcome.PUBLISHED, partial(
            log.info,
            "share published",
            extra={"chorus": {"share_id": share.share_id, "redelivery": post.already_existed}},
        )

    async def _record_deferral(
        self, share: DueShare, token: str, limited: RateLimited, transaction: Transaction
    ) -> Settled:
        if not await self.stores.ledger(transaction).mark_deferred(
            share.tenant_id, share.share_id, token, limited.retry_at, limited.reason, utcnow()
        ):
            return PublishOutcome.HANDED_OVER, None  # lease lost: its new holder decides
        self.events.deferred(transaction, share, retry_at=limited.retry_at, reason=limited.reason)
        return PublishOutcome.DEFERRED, partial(
            log.info,
            "share deferred",
            extra={
                "chorus": {"share_id": share.share_id, "retry_at": limited.retry_at.isoformat()}
            },
        )

    async def _record_failure(
        self, share: DueShare, token: str, reason: str, transaction: Transaction
    ) -> Settled:
        if not await self.stores.ledger(transaction).mark_failed(
            share.tenant_id, share.share_id, token, reason, utcnow()
        ):
            return PublishOutcome.HANDED_OVER, None  # lease lost: its new holder decides
        self.events.failed(transaction, share, reason)
        # The reason stays in the ledger: network messages may quote what the
        # employee wrote, which has no place in logs.
        return PublishOutcome.FAILED, partial(log.warning, "share failed", extra=_about(share))


def _about(share: DueShare) -> dict[str, object]:
    return {"chorus": {"share_id": share.share_id}}
