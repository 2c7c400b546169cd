"""What the publishing use cases need from the outside world, as ports; the
adapters (Bluesky over XRPC, metrics over gRPC, AES-GCM for secrets at rest,
the service's database and its outbox) implement them; main.py wires them in.

A store is opened on a transaction the caller holds (chorus_db.ports.Transaction):
the ShareDue handler's ctx.transaction() (the outcome commits with the inbox
row), or one the use case opens on its UnitOfWork. Events are written in that
same transaction (the outbox): they commit with the ledger row, or neither does.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from chorus_db.ports import Transaction
from chorus_identity.secrets import SecretUnreadable as SecretUnreadable  # the port's error

from publishing_service.domain.ledger import LedgerEntry
from publishing_service.domain.post_text import LinkSpan

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


@dataclass(frozen=True)
class AccountCredentials:
    """A connected account, secret decrypted only for the call that needs it.
    repr=False keeps the secret out of logs, tracebacks and debuggers' views."""

    account_id: str
    handle: str = field(repr=False)
    secret: str = field(repr=False)


@dataclass(frozen=True)
class PostDraft:
    share_id: str  # the connector derives its idempotency (Bluesky: the record key) from it
    text: str
    link: LinkSpan | None
    language: str
    created_at: datetime


@dataclass(frozen=True)
class PublishedPost:
    uri: str
    cid: str
    already_existed: bool  # the network already had it: this was a redelivery


class RetryableNetworkError(Exception):
    """429, 5xx, timeouts, connection errors: the outcome may be unknown, and
    trying again is safe (the connector's idempotency) and may succeed."""


class RejectedByNetwork(Exception):
    """The network refused the post for good (4xx other than 429)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CredentialsRejected(RejectedByNetwork):
    """The network does not accept the stored (or offered) credentials."""


class NetworkConnector(Protocol):
    network: str

    async def verify(self, account: AccountCredentials) -> str:
        """Check the credentials with the network; returns the network's own
        account id (Bluesky: the DID). Raises CredentialsRejected or
        RetryableNetworkError."""
        ...

    async def publish(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost:
        """Post once: calling it again for the same share returns the same post."""
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
    secret_ciphertext: bytes
    request_id: str | None


class AccountStore(Protocol):
    async def find(
        self, tenant_id: str, employee_id: str, network: str
    ) -> StoredAccount | None: ...

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
    ) -> None:
        """Insert, or replace the handle and secret (an employee reconnects
        after changing their app password)."""
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
    ) -> None:
        """The first lease on a share. Raises domain.ledger.LeaseHeld when a
        concurrent first lease was written before ours."""
        ...

    async def take_over(
        self, before: LedgerEntry, lease_until: datetime, lease_token: str, now: datetime
    ) -> bool: ...

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

    async def mark_failed(
        self, tenant_id: str, share_id: str, lease_token: str, reason: str, now: datetime
    ) -> bool: ...

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

    async def erase(self, tenant_id: str, employee_id: str, into: str) -> tuple[int, int]:
        """Deletes their accounts and the relayed outbox copies of their
        events, hands their ledger rows to `into` with the personal columns
        cleared; returns (accounts deleted, ledger rows anonymised)."""
        ...


class Stores(Protocol):
    """The stores, opened on a transaction (or read session) the caller holds."""

    def accounts(self, transaction: Transaction) -> AccountStore: ...

    def ledger(self, transaction: Transaction) -> LedgerStore: ...

    def withdrawals(self, transaction: Transaction) -> WithdrawalStore: ...


class PublishEvents(Protocol):
    """SharePublished and ShareFailed, in the caller's transaction."""

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
