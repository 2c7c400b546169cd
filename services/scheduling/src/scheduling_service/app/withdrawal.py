"""What scheduling does when an employee opts out or is erased (the holds
themselves are chorus_messaging.privacy's, kept by the same subscription).

Opt-out: every suggested or scheduled share of theirs is cancelled at once,
each with a ShareCancelled event; the hold makes an audience batch resolved
before the opt-out (still on its way) create no share for them, until
EmployeeOptedIn lifts it. Erasure: the same, then every share row of theirs
is deleted; its hold is never lifted.
"""

from __future__ import annotations

import logging

from chorus_core.clock import utcnow
from chorus_db.ports import Transaction
from chorus_messaging.privacy import ERASED, OPTED_OUT

from scheduling_service.app.ports import Cancellation, ShareEvents, Stores

log = logging.getLogger(__name__)


class Withdrawal:
    """The effects for chorus_messaging.privacy.employee_privacy_subscription,
    each in the employee event's transaction."""

    def __init__(self, stores: Stores, events: ShareEvents) -> None:
        self.stores = stores
        self.events = events

    async def opted_out(self, transaction: Transaction, tenant_id: str, employee_id: str) -> None:
        cancelled = await self._cancel_open_shares(transaction, tenant_id, employee_id, OPTED_OUT)
        log.info(
            "employee opted out: shares cancelled",
            extra={
                "chorus": {
                    "tenant_id": tenant_id,
                    "employee_id": employee_id,
                    "cancelled": cancelled,
                }
            },
        )

    async def erased(self, transaction: Transaction, tenant_id: str, employee_id: str) -> None:
        await self._cancel_open_shares(transaction, tenant_id, employee_id, ERASED)
        deleted = await self.stores.employee_shares(transaction).delete_all(tenant_id, employee_id)
        log.info(
            "employee erased: shares deleted",
            extra={
                "chorus": {
                    "tenant_id": tenant_id,
                    "employee_id": employee_id,
                    "deleted": deleted,
                }
            },
        )

    async def _cancel_open_shares(
        self, transaction: Transaction, tenant_id: str, employee_id: str, reason: str
    ) -> int:
        """Every suggested or scheduled share of theirs, each with its ShareCancelled."""
        now = utcnow()
        shares = self.stores.employee_shares(transaction)
        cancelled = await shares.cancel_open(tenant_id, employee_id, now)
        for share in cancelled:
            self.events.cancelled(
                transaction,
                Cancellation(
                    tenant_id=tenant_id,
                    share_id=share.share_id,
                    post_id=share.post_id,
                    employee_id=employee_id,
                    reason=reason,
                    at=now,
                ),
            )
        return len(cancelled)
