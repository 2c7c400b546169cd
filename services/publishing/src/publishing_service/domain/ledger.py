"""The publish ledger: one entry per share, the single source of truth on
whether a share reached the network. Pure: no I/O.

Networks take no idempotency keys, so "never post twice" is built here: a
worker takes a lease on the share before calling the network, and records the
outcome in the same transaction as the event that announces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# Longer than a worst-case attempt (metrics deadline + a few PDS calls with
# their timeouts), so a live worker never loses its lease mid-call; short
# enough that a crashed worker's share is taken over within a minute.
LEASE_DURATION = timedelta(seconds=60)


class PublishStatus(StrEnum):
    LEASED = "leased"
    PUBLISHED = "published"
    FAILED = "failed"
    # Not now: a budget (ours, shared, or the network's 429) allows it at
    # retry_at; publishing's sweeper sends it then. Never dead-lettered.
    DEFERRED = "deferred"
    # Waiting for the employee to reconnect: the network refused the
    # account's token (expired or revoked). Not failed: reconnecting sends
    # it (deferred to "now"); past its post's expiry it ends failed.
    HELD = "held"
    # Withdrawn while it waited for the sweeper (cancelled, or its employee
    # opted out or was erased): it never goes out.
    CANCELLED = "cancelled"


class LeaseDecision(StrEnum):
    TAKE = "take"  # no entry yet: create it, leased
    TAKE_OVER = "take_over"  # an expired lease (its worker died) or an earlier failure
    ALREADY_PUBLISHED = "published"  # nothing to do: the post and its event exist
    HELD = "held"  # another worker is on it right now: retry later
    WAITING = "waiting"  # deferred to a time still ahead: the sweeper sends it then
    ON_HOLD = "on_hold"  # its account waits for a reconnection: nothing to do now
    ENDED = "ended"  # failed, and its post has expired since: no attempt can follow


@dataclass(frozen=True)
class LedgerEntry:
    share_id: str
    tenant_id: str
    post_id: str
    employee_id: str
    network: str
    status: PublishStatus
    lease_until: datetime | None
    lease_token: str
    post_uri: str
    link_code: str
    failure_reason: str
    attempts: int
    published_at: datetime | None
    retry_at: datetime | None = None  # a deferred share's time
    expires_at: datetime | None = None  # its post's expiry (None: never)
    # What went out: the text posted (with its tracked link), the variant it
    # came from (None: the post's own text), whether the employee edited it.
    published_text: str = ""
    variant: int | None = None
    edited: bool = False


# A share in one of these has not gone out and waits for something (a
# budget's time, a reconnection): its post's expiry ends it.
WAITING_STATUSES = frozenset({PublishStatus.DEFERRED, PublishStatus.HELD})


def post_expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and expires_at <= now


def lease_decision(entry: LedgerEntry | None, now: datetime) -> LeaseDecision:
    if entry is None:
        return LeaseDecision.TAKE
    if entry.status is PublishStatus.PUBLISHED:
        return LeaseDecision.ALREADY_PUBLISHED
    if (
        entry.status is PublishStatus.LEASED
        and entry.lease_until is not None
        and entry.lease_until > now
    ):
        return LeaseDecision.HELD
    if entry.status in WAITING_STATUSES and post_expired(entry.expires_at, now):
        # Still waiting when its post expired: taken, to be ended failed
        # (never sent; see the Publisher).
        return LeaseDecision.TAKE_OVER
    if entry.status is PublishStatus.HELD:
        return LeaseDecision.ON_HOLD
    if entry.status is PublishStatus.CANCELLED:
        return LeaseDecision.ENDED  # withdrawn: a replay adds nothing
    if entry.status is PublishStatus.FAILED and post_expired(entry.expires_at, now):
        # Its ShareFailed was written with the failure; a replay adds none.
        return LeaseDecision.ENDED
    if (
        entry.status is PublishStatus.DEFERRED
        and entry.retry_at is not None
        and entry.retry_at > now
    ):
        return LeaseDecision.WAITING
    # An expired lease, or a failure (a new ShareDue for a share that failed,
    # e.g. before the employee connected an account) is a fresh attempt; the
    # record key derived from the share id keeps a second post impossible.
    return LeaseDecision.TAKE_OVER


def expired_reason(waiting: PublishStatus | None, network: str) -> str:
    """Why a share ends without going out: its post expired first. Said in
    terms of what it was waiting for, so the employee knows what happened."""
    if waiting is PublishStatus.HELD:
        return f"the post expired before the {network} account was reconnected; not shared"
    if waiting is PublishStatus.DEFERRED:
        return f"the post expired before the {network} rate limits allowed this share; not shared"
    return "the post expired before this share could go out; not shared"


def held_reason(network: str, rejection: str) -> str:
    """The ledger's word on a held share (what the employee sees)."""
    return f"waiting for the employee to reconnect their {network} account: {rejection}"


@dataclass(frozen=True)
class Lease:
    token: str
    # The entry was last seen mid-call (a lease that expired, or given back
    # after an answer that never came): the post may exist; look first.
    maybe_sent: bool = False
    # What the entry was before this lease (None: a new entry): a share that
    # was waiting and whose post has expired is ended with a reason saying so.
    previous: PublishStatus | None = None


class ShareExpired(Exception):
    """The share's post expired before the share went out: it ends failed
    with this reason and is never sent."""


class ShareEnded(Exception):
    """The share failed and its post has expired: a replayed ShareDue has
    nothing to do (its ShareFailed was written then)."""


class StillHeld(Exception):
    """The share waits for its account's reconnection; a redelivered
    ShareDue has nothing to do now (reconnecting sends it)."""


class StillDeferred(Exception):
    """The share is deferred to a time still ahead; the sweeper sends it
    then. Not an error: a redelivered ShareDue has nothing to do now."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(f"deferred until {retry_at.isoformat()}")
        self.retry_at = retry_at


class LeaseHeld(Exception):
    """Another worker holds the share's lease. Retryable: by the time the
    consumer retries, that worker has finished or its lease has expired."""
