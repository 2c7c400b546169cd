"""What the publishing use cases need from the outside world, as ports; the
adapters (Bluesky over XRPC, metrics over gRPC) implement them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from publishing_service.domain.post_text import LinkSpan


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
