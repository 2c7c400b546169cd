"""Holding a share for its account's reconnection, instead of failing it.

The network refused the account's token (expired, revoked: the connector
raises CredentialsRejected), or the account is already known to need a
reconnection (then the network is not called at all). The share's ledger
entry becomes held, with the reason, and says so (ShareHeld, in the same
transaction: scheduling shows it on the share), and the account is marked
"needs reconnect" with one AccountNeedsReconnect (once per account until the
employee reconnects). Reconnecting (app/accounts.py) defers the held shares
to "now", so the sweeper sends them; past their post's expiry the sweeper
ends them failed instead (app/publish.py).

Recorded in the outcome's transaction, with the account row locked first:
a reconnection of the same account commits either before (the credentials
differ from the ones the attempt used: the share is deferred to now and goes
out with the new ones) or after (it then finds this share held, and
releases it). Either way no share is left held on a reconnected account."""

from __future__ import annotations

import logging
from enum import StrEnum

from chorus_core.clock import utcnow
from chorus_db.ports import Transaction

from publishing_service.app.ports import (
    DueShare,
    PublishEvents,
    StoredAccount,
    Stores,
)
from publishing_service.domain.ledger import held_reason

log = logging.getLogger(__name__)

RECONNECTED_MEANWHILE = "the account was reconnected while this share was tried; going out now"


class AccountHold(Exception):
    """A share of `account` must wait for the employee to reconnect it."""

    def __init__(self, account: StoredAccount, reason: str) -> None:
        super().__init__(reason)
        self.account = account
        self.reason = reason


class HoldOutcome(StrEnum):
    HELD = "held"
    RETRY_NOW = "retry_now"  # reconnected meanwhile: deferred to now
    NO_ACCOUNT = "no_account"  # disconnected meanwhile: failed as without an account
    LEASE_LOST = "lease_lost"  # another worker took over: it decides


class Holds:
    def __init__(self, stores: Stores, events: PublishEvents) -> None:
        self.stores = stores
        self.events = events

    async def record(
        self, transaction: Transaction, share: DueShare, token: str, hold: AccountHold
    ) -> HoldOutcome:
        """In the outcome's transaction (the event's, or a batch's)."""
        now = utcnow()
        accounts = self.stores.accounts(transaction)
        ledger = self.stores.ledger(transaction)
        current = await accounts.find(
            share.tenant_id, share.employee_id, share.network, for_update=True
        )
        if current is None:
            reason = f"no connected {share.network} account for this employee"
            if not await ledger.mark_failed(share.tenant_id, share.share_id, token, reason, now):
                return HoldOutcome.LEASE_LOST
            self.events.failed(transaction, share, reason)
            return HoldOutcome.NO_ACCOUNT
        if current.secret_ciphertext != hold.account.secret_ciphertext:
            if not await ledger.mark_deferred(
                share.tenant_id, share.share_id, token, now, RECONNECTED_MEANWHILE, now
            ):
                return HoldOutcome.LEASE_LOST
            self.events.deferred(transaction, share, retry_at=now, reason=RECONNECTED_MEANWHILE)
            return HoldOutcome.RETRY_NOW
        # The account's state is a fact whoever holds this share's lease.
        if await accounts.mark_needs_reconnect(
            current.tenant_id, current.account_id, hold.reason, now
        ):
            self.events.needs_reconnect(transaction, current, hold.reason)
            log.warning(
                "account needs reconnecting; its shares are held",
                extra={"chorus": {"account_id": current.account_id}},
            )
        reason = held_reason(share.network, current.reconnect_reason or hold.reason)
        if not await ledger.mark_held(share.tenant_id, share.share_id, token, reason, now):
            return HoldOutcome.LEASE_LOST
        self.events.held(transaction, share, reason=reason, at=now)
        log.info("share held for a reconnection", extra={"chorus": {"share_id": share.share_id}})
        return HoldOutcome.HELD
