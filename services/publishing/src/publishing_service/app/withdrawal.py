"""What publishing must not publish although a ShareDue says so, and the
erasure of an employee (EmployeeErased from targeting).

A ShareDue already emitted (in Kafka, or being retried) when the employee
opts out or is erased must not reach the network: scheduling's ShareCancelled
is recorded per share, targeting's opt-out / erasure per
employee as a chorus_messaging.privacy hold (that event travels on another
topic, so it can overtake a ShareDue still queued). The ShareDue handler
checks both before taking any lease. Opaque ids only.

On erasure, their connected accounts (handle, network id, encrypted
credentials) are deleted; their ledger rows stay, so a redelivered ShareDue
still finds its share already handled and publishes nothing twice, but the
personal columns (employee id, and the post URI / CID, which embed the
account's DID) are overwritten, and the already-relayed outbox copies of
their SharePublished events are dropped. The token warnings of their
accounts go with them, and a share of theirs held for a reconnection (that
can no longer come) ends failed, saying so. A ShareDue for them arriving
later finds no account and fails as for anyone without one. Their accounts'
stored sessions (Bluesky's, in Redis) are forgotten once the erasure has
committed (app/sessions.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from chorus_core.clock import utcnow
from chorus_db.ports import AfterCommit, Transaction, UnitOfWork

from publishing_service.app.ports import (
    RetryableNetworkError,
    StoredSessions,
    Stores,
)
from publishing_service.app.sessions import AccountSessions

log = logging.getLogger(__name__)
ERASED = "erased"  # who an erased employee's ledger rows belong to from then on


class Withdrawals:
    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        sessions: Sequence[StoredSessions] = (),
        after_commit: AfterCommit | None = None,
    ) -> None:
        if sessions and after_commit is None:
            raise ValueError("forgetting sessions on erasure needs after_commit")
        self.db = db
        self.stores = stores
        self.sessions = AccountSessions(sessions)
        self.after_commit = after_commit

    async def reason(self, tenant_id: str, share_id: str, employee_id: str) -> str | None:
        """Why this due share must not be published, or None (it may)."""
        async with self.db.session() as reads:
            return await self.stores.withdrawals(reads).reason(tenant_id, share_id, employee_id)

    async def record_cancelled(
        self, transaction: Transaction, tenant_id: str, share_id: str, reason: str
    ) -> None:
        """ShareCancelled, in the event's transaction."""
        withdrawals = self.stores.withdrawals(transaction)
        await withdrawals.record_cancelled(tenant_id, share_id, reason or "cancelled", utcnow())

    async def erase_employee(
        self, transaction: Transaction, tenant_id: str, employee_id: str
    ) -> tuple[int, int]:
        """EmployeeErased, in the event's transaction (chorus_messaging.privacy
        opens it). Returns (accounts deleted, ledger rows anonymised)."""
        accounts, ledger_rows = await self.stores.withdrawals(transaction).erase(
            tenant_id, employee_id, ERASED
        )
        if self.after_commit is not None:

            async def forget_sessions() -> None:
                try:
                    await self.sessions.forget_all(tenant_id, employee_id)
                except RetryableNetworkError:
                    # Committed: a redelivery is a no-op, so this is the one
                    # chance; the session expires with its refresh token.
                    log.warning(
                        "erased employee's stored sessions could not be forgotten",
                        extra={"chorus": {"tenant_id": tenant_id, "employee_id": employee_id}},
                    )

            self.after_commit(transaction, forget_sessions)
        log.info(
            "employee erased: accounts deleted, ledger anonymised",
            extra={
                "chorus": {
                    "tenant_id": tenant_id,
                    "employee_id": employee_id,
                    "accounts": accounts,
                    "ledger_rows": ledger_rows,
                }
            },
        )
        return accounts, ledger_rows
