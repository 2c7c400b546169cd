"""What the publishing use cases need from the outside world, as ports; the
adapters (Bluesky over XRPC, metrics over gRPC, AES-GCM for secrets at rest,
the service's database and its outbox) implement them; main.py wires them in.

A store is opened on a transaction the caller holds (chorus_db.ports.Transaction):
the ShareDue handler's ctx.transaction() (the outcome commits with the inbox
row), or one the use case opens on its UnitOfWork. Events are written in that
same transaction (the outbox): they commit with the ledger row, or neither does.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from chorus_core.clock import as_utc
from chorus_db.ports import Transaction
from chorus_identity.secrets import SecretUnreadable as SecretUnreadable  # the port's error

from publishing_service.domain.ledger import LedgerEntry
from publishing_service.domain.post_text import LinkSpan
from publishing_service.domain.rate_signals import RateSignal, Scope

# How a caller hands over the transaction a use case records its outcome in:
# the Kafka handler's ctx.transaction (effects + inbox row). A callable, not an
# open transaction, because the network call in between must not hold one open.
OpenTransaction = Callable[[], AbstractAsyncContextManager[Transaction]]


@dataclass(frozen=True)
class DueShare:
    """A ShareDue, as publishing needs it."""

    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    network: str
    language: str
    country: str
    text: str
    link: str
    # Set when `text` is in this language, not the employee's `language`
    # (translation fell back): the post is labelled with what it really is.
    fallback_language: str = ""
    # The post's expiry (None: it never expires): nothing is sent after it.
    expires_at: datetime | None = None
    # What the text is (kept in the ledger's record with it): the post's
    # variant for the network (None: it has none), and whether the employee
    # wrote it themself.
    variant: int | None = None
    edited: bool = False
    # The post's images (content's media drive ids, in order), and what its
    # link card shows: the post's title and a short description.
    media_ids: tuple[str, ...] = ()
    title: str = ""
    description: str = ""


def due_record(share: DueShare) -> dict[str, Any]:
    """A ShareDue as the ledger keeps it for a deferred share (JSON)."""
    record = asdict(share)
    record["expires_at"] = share.expires_at.isoformat() if share.expires_at else None
    return record


def due_from_record(record: dict[str, Any]) -> DueShare:
    """The ShareDue kept by due_record (one kept before expires_at existed
    has none: its post is taken as never expiring; one kept before media
    has no images)."""
    known = {f.name for f in fields(DueShare)} - {"expires_at", "variant", "edited", "media_ids"}
    expires = record.get("expires_at")
    variant = record.get("variant")
    return DueShare(
        **{k: str(v) for k, v in record.items() if k in known},
        expires_at=as_utc(datetime.fromisoformat(expires)) if expires else None,
        variant=int(variant) if variant is not None else None,
        edited=bool(record.get("edited", False)),
        media_ids=tuple(str(m) for m in record.get("media_ids") or ()),
    )


@dataclass(frozen=True)
class PublishedRecord:
    """A share the network took, as its ledger entry records it."""

    tenant_id: str
    share_id: str
    lease_token: str
    post_uri: str
    post_cid: str
    link_code: str
    text: str  # as posted, with its tracked link
    variant: int | None  # the variant it came from; None: the post's own text
    edited: bool  # by the employee, before sharing


@dataclass(frozen=True)
class NewLease:
    """The first lease on a share (`due`: its ShareDue, as due_record gives
    it; `expires_at`: its post's)."""

    share_id: str
    tenant_id: str
    post_id: str
    employee_id: str
    network: str
    lease_until: datetime
    lease_token: str
    now: datetime
    due: dict[str, Any] | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class AccountCredentials:
    """A connected account, secret decrypted only for the call that needs it.
    repr=False keeps the secret out of logs, tracebacks and debuggers' views."""

    account_id: str
    handle: str = field(repr=False)
    secret: str = field(repr=False)


@dataclass(frozen=True)
class MediaItem:
    """An image of the media drive, as the network receives it."""

    media_id: str  # the drive's id: stable, so an upload can be recognised again
    content_type: str  # image/jpeg, image/png, ...
    data: bytes = field(repr=False)
    alt_text: str = ""
    # A public address of the same bytes, for networks that fetch the image
    # themselves (Instagram's container takes an image_url); "" when none.
    url: str = ""
    # In pixels, as the drive measured them (0: not known): Bluesky lays the
    # image out with its aspect ratio before it has loaded.
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class LinkCard:
    """A link preview (Bluesky's external embed, LinkedIn's article)."""

    uri: str
    title: str
    description: str = ""
    thumbnail: MediaItem | None = None


@dataclass(frozen=True)
class PostDraft:
    share_id: str  # the connector derives its idempotency (Bluesky: the record key) from it
    text: str  # the tracked short link is in it: unique per share, the mark find() looks for
    link: LinkSpan | None
    language: str
    created_at: datetime
    media: tuple[MediaItem, ...] = ()
    card: LinkCard | None = None


@dataclass(frozen=True)
class PublishedPost:
    uri: str  # the network's own id of the post (AT URI, status id, URN, tweet id)
    cid: str  # Bluesky's content id; "" elsewhere
    already_existed: bool  # the network already had it: this was a redelivery
    url: str = ""  # where a person sees it


@dataclass(frozen=True)
class VerifiedAccount:
    """What the network says of a connected account."""

    network_account_id: str  # DID, account id, person URN, user id, page id
    # When the token stops working (LinkedIn: 60 days); None: it does not
    # expire, or the network does not say.
    token_expires_at: datetime | None = None


class RetryableNetworkError(Exception):
    """429, 5xx, timeouts, connection errors: trying again may succeed, and
    is safe (the connector's idempotency, or find() first)."""


class RateLimited(RetryableNetworkError):
    """Not now: the network (a 429, its rate-limit headers) or our shared
    budget says when. The share waits until `retry_at`: deferred, not
    retried blindly and not dead-lettered."""

    def __init__(self, reason: str, retry_at: datetime, scope: Scope) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_at = retry_at
        self.scope = scope


class OutcomeUnknown(RetryableNetworkError):
    """The write was sent and no answer came (a timeout after sending): the
    post may exist. Before sending again, the connector's find() must say
    it does not (publishing's sweeper does exactly that)."""


class Rejection(StrEnum):
    """Why a network refused, in terms the employee can act on."""

    REFUSED = "refused"  # anything else the network says no to, for good
    RECONNECT = "reconnect"  # the token expired or was revoked
    TEXT_TOO_LONG = "text_too_long"
    DUPLICATE = "duplicate"  # the network refuses the same text twice
    MEDIA_REFUSED = "media_refused"
    NOT_SUPPORTED = "not_supported"  # e.g. a personal Facebook timeline
    NO_ACCOUNT = "no_account"


class RejectedByNetwork(Exception):
    """The network refused the post for good (4xx other than 429)."""

    def __init__(self, reason: str, kind: Rejection = Rejection.REFUSED) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


class CredentialsRejected(RejectedByNetwork):
    """The network does not accept the stored (or offered) credentials: the
    employee must reconnect; their shares wait for it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, Rejection.RECONNECT)


class NetworkBudget(Protocol):
    """The shared budgets per network, application and account
    (adapters/redis_budget.py), seeded with domain.network_limits and
    adapted from what the network answers. A connector takes from it before
    every call it makes (session creation and token refresh included) and
    tells it what each answer said."""

    async def take(self, network: str, account_key: str, *, posts: float = 0.0) -> None:
        """One call, plus `posts` posts (each costing the network's
        post_cost units of its POSTS windows), from every window of the
        network's budgets, or nothing: raises RateLimited saying when.
        `account_key`: publishing's own account id (never a handle)."""
        ...

    async def observe(self, network: str, account_key: str, signals: Sequence[RateSignal]) -> None:
        """What an answer said: what is left, when it resets, not before when."""
        ...


class NetworkConnector(Protocol):
    network: str

    async def verify(self, account: AccountCredentials) -> VerifiedAccount:
        """Check the credentials with the network. Raises CredentialsRejected,
        RateLimited or RetryableNetworkError."""
        ...

    async def publish(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost:
        """Post once: calling it again for the same share returns the same
        post where the network allows it (an idempotency key, a record key
        of our own). Raises RejectedByNetwork (with its kind), RateLimited,
        OutcomeUnknown (sent, no answer) or RetryableNetworkError."""
        ...

    async def find(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost | None:
        """Is this share's post on the network already? (Bluesky: by record
        key; Mastodon: the idempotency key; others: the account's recent
        posts, by the draft's text and its unique short link.) None: it is
        not, and publish() may send it."""
        ...

    async def aclose(self) -> None:
        """Close its HTTP client (at shutdown)."""
        ...


class StoredSessions(Protocol):
    """A connector's sessions kept outside the database, per account (Bluesky's,
    sealed in Redis: adapters/session_store.py), which every replica uses."""

    network: str

    async def forget(self, account_id: str) -> None:
        """No replica uses this account's stored session again: the next call
        signs in with the account's credentials as the database has them.
        Nothing stored is no error. Raises RetryableNetworkError when the
        store does not answer."""
        ...


@dataclass(frozen=True)
class TrackedLink:
    code: str
    short_url: str


@dataclass(frozen=True)
class LinkRequest:
    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    country: str
    network: str
    target_url: str


class MediaRejected(Exception):
    """The post's image is not in the drive (deleted, or not the tenant's)
    or too large to fetch: the share cannot go out as approved. Not retryable."""


class MediaDrive(Protocol):
    """Content's media drive, read with publishing's own identity."""

    async def fetch(self, tenant_id: str, media_id: str) -> MediaItem:
        """The item's bytes, type, alt text and size. Raises MediaRejected;
        transient failures raise anything else (the consumer retries them)."""
        ...


class LinkRejected(Exception):
    """Metrics refused to create the link (a bad target URL): not retryable."""


class TrackedLinks(Protocol):
    async def create(self, request: LinkRequest) -> TrackedLink:
        """Idempotent per share. Transient failures raise anything but LinkRejected."""
        ...


class SecretCipher(Protocol):
    """Secrets at rest, bound to the row they belong to (associated data:
    domain.accounts.associated_data)."""

    def encrypt(self, plaintext: str, associated_data: bytes) -> bytes: ...

    def decrypt(self, stored: bytes, associated_data: bytes) -> str:
        """Raises SecretUnreadable."""
        ...


@dataclass(frozen=True)
class StoredAccount:
    account_id: str
    tenant_id: str
    employee_id: str
    network: str
    handle: str
    external_id: str
    secret_ciphertext: bytes = field(repr=False)
    request_id: str | None
    # When the network said the token stops working (None: it does not say).
    token_expires_at: datetime | None = None
    # Set when the network refused the token: the account's shares are held
    # until the employee reconnects (which clears both).
    reconnect_needed_at: datetime | None = None
    reconnect_reason: str = ""


class AccountStore(Protocol):
    async def find(
        self, tenant_id: str, employee_id: str, network: str, *, for_update: bool = False
    ) -> StoredAccount | None:
        """`for_update`: locked until the transaction ends (PostgreSQL), so a
        reconnection and a hold of the same account happen one after the other."""
        ...

    async def find_all(
        self, keys: Collection[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], StoredAccount]:
        """The accounts of these (tenant, employee, network), one statement."""
        ...

    async def save(
        self,
        *,
        account_id: str,
        tenant_id: str,
        employee_id: str,
        network: str,
        handle: str,
        external_id: str,
        secret_ciphertext: bytes,
        request_id: str | None,
        now: datetime,
        token_expires_at: datetime | None = None,
    ) -> None:
        """Insert, or replace the handle, secret and token expiry (an
        employee reconnects after changing their app password); a
        reconnection clears the account's "needs reconnect"."""
        ...

    async def mark_needs_reconnect(
        self, tenant_id: str, account_id: str, reason: str, now: datetime
    ) -> bool:
        """The network refused the account's token. True only for the call
        that set it (once per account until it is reconnected)."""
        ...

    async def delete(self, tenant_id: str, employee_id: str, network: str) -> bool:
        """Delete the account, its encrypted secret with it; False when none
        was connected (or a concurrent disconnect deleted it first)."""
        ...


class LedgerStore(Protocol):
    """The publish ledger. The transitions are conditional on the lease token
    (and status) read before: False when someone else changed the entry."""

    async def get(
        self, tenant_id: str, share_id: str, *, for_update: bool = False
    ) -> LedgerEntry | None: ...

    async def get_all(
        self, keys: Collection[tuple[str, str]], *, for_update: bool = False
    ) -> dict[tuple[str, str], LedgerEntry]:
        """The entries of these (tenant, share), one statement; locked in key
        order with `for_update`, so two batches never deadlock."""
        ...

    async def add_leased(
        self,
        *,
        share_id: str,
        tenant_id: str,
        post_id: str,
        employee_id: str,
        network: str,
        lease_until: datetime,
        lease_token: str,
        now: datetime,
        due: dict[str, Any] | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        """The first lease on a share (`due`: its ShareDue, as due_record
        gives it; `expires_at`: its post's). Raises domain.ledger.LeaseHeld
        when a concurrent first lease was written before ours."""
        ...

    async def add_all_leased(self, leases: Sequence[NewLease]) -> set[tuple[str, str]]:
        """First leases on many shares, one statement; returns the (tenant,
        share) of those written: one missing had a concurrent first lease."""
        ...

    async def take_over(
        self,
        before: LedgerEntry,
        lease_until: datetime,
        lease_token: str,
        now: datetime,
        due: dict[str, Any] | None = None,
        expires_at: datetime | None = None,
    ) -> bool: ...

    async def mark_deferred(
        self,
        tenant_id: str,
        share_id: str,
        lease_token: str,
        retry_at: datetime,
        reason: str,
        now: datetime,
    ) -> bool: ...

    async def sweepable(
        self, now: datetime, stale_before: datetime, limit: int
    ) -> list[tuple[LedgerEntry, dict[str, Any]]]:
        """Deferred shares whose time has come, leases that ended before
        `stale_before`, and deferred or held shares whose post has expired
        (every tenant), with their ShareDue."""
        ...

    async def release(
        self, tenant_id: str, share_id: str, lease_token: str, now: datetime
    ) -> bool: ...

    async def mark_published(
        self,
        tenant_id: str,
        share_id: str,
        lease_token: str,
        *,
        post_uri: str,
        post_cid: str,
        link_code: str,
        now: datetime,
    ) -> bool: ...

    async def mark_all_published(
        self, posts: Sequence[PublishedRecord], now: datetime
    ) -> set[tuple[str, str]]:
        """As mark_published, for many, one statement; returns the (tenant,
        share) of those still under their lease (now published)."""
        ...

    async def mark_failed(
        self, tenant_id: str, share_id: str, lease_token: str, reason: str, now: datetime
    ) -> bool: ...

    async def mark_cancelled(
        self, tenant_id: str, share_id: str, lease_token: str, reason: str, now: datetime
    ) -> bool: ...

    async def mark_held(
        self, tenant_id: str, share_id: str, lease_token: str, reason: str, now: datetime
    ) -> bool:
        """Held for a reconnection, with the reason the employee sees."""
        ...

    async def release_held(
        self, tenant_id: str, employee_id: str, network: str, now: datetime
    ) -> int:
        """The account was reconnected: its held shares become deferred to
        `now` (the sweeper sends them); returns how many."""
        ...

    async def list_published(
        self, tenant_id: str, post_id: str, limit: int, after_id: str, employee_id: str = ""
    ) -> list[LedgerEntry]:
        """Published entries of a post in share id order; `employee_id`: only theirs."""
        ...


class WithdrawalStore(Protocol):
    """What must not be published although a ShareDue says so, and erasure."""

    async def record_cancelled(
        self, tenant_id: str, share_id: str, reason: str, now: datetime
    ) -> None:
        """Once per share: a redelivered ShareCancelled changes nothing."""
        ...

    async def reason(self, tenant_id: str, share_id: str, employee_id: str) -> str | None:
        """Why this share must not be published (cancelled, or its employee
        opted out / was erased), or None."""
        ...

    async def reasons(self, shares: Collection[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
        """As `reason`, for many (tenant, share, employee): those withdrawn,
        by (tenant, share)."""
        ...

    async def erase(self, tenant_id: str, employee_id: str, into: str) -> tuple[int, int]:
        """Deletes their accounts and the relayed outbox copies of their
        events, hands their ledger rows to `into` with the personal columns
        cleared; returns (accounts deleted, ledger rows anonymised)."""
        ...


class TokenWarningStore(Protocol):
    """Which token expiries the employee was warned of (TokenExpiring)."""

    async def due(self, now: datetime, until: datetime, limit: int) -> list[StoredAccount]:
        """Accounts (every tenant) whose token expires after `now` and by
        `until`, not yet warned of that expiry."""
        ...

    async def record(
        self, tenant_id: str, account_id: str, expires_at: datetime, now: datetime
    ) -> bool:
        """The warning of this (account, expiry), once: False when it was
        recorded already (another replica, an earlier run)."""
        ...


class Stores(Protocol):
    """The stores, opened on a transaction (or read session) the caller holds."""

    def accounts(self, transaction: Transaction) -> AccountStore: ...

    def token_warnings(self, transaction: Transaction) -> TokenWarningStore: ...

    def ledger(self, transaction: Transaction) -> LedgerStore: ...

    def withdrawals(self, transaction: Transaction) -> WithdrawalStore: ...


class PublishEvents(Protocol):
    """SharePublished, ShareFailed, ShareDeferred, ShareHeld and
    AccountNeedsReconnect, in the caller's transaction."""

    def published(
        self,
        transaction: Transaction,
        share: DueShare,
        *,
        post_uri: str,
        link_code: str,
        at: datetime,
    ) -> None: ...

    def failed(self, transaction: Transaction, share: DueShare, reason: str) -> None: ...

    def deferred(
        self, transaction: Transaction, share: DueShare, *, retry_at: datetime, reason: str
    ) -> None: ...

    def held(self, transaction: Transaction, share: DueShare, *, reason: str, at: datetime) -> None:
        """The share waits for its account's reconnection, `reason` saying so."""
        ...

    def needs_reconnect(
        self, transaction: Transaction, account: StoredAccount, reason: str
    ) -> None: ...


class AccountEvents(Protocol):
    """TokenExpiring, in the caller's transaction."""

    def token_expiring(
        self, transaction: Transaction, account: StoredAccount, expires_at: datetime
    ) -> None: ...
