"""The app's WithdrawalStore port in the service's database: cancelled shares,
the employee holds (chorus_messaging.privacy), and what an erasure deletes or
anonymises (see app/withdrawal.py for why each)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from chorus_db import affected_rows
from chorus_messaging.privacy import withdrawn
from chorus_messaging.tables import OutboxMessage
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from publishing_service.adapters.tables import (
    AccountRow,
    CancelledShareRow,
    LedgerRow,
    TokenWarningRow,
)
from publishing_service.domain.ledger import PublishStatus

# A held share of an erased employee waits for a reconnection that cannot come.
ERASED_WHILE_HELD = "the employee's data was erased while this share waited for a reconnection"


class WithdrawalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record_cancelled(
        self, tenant_id: str, share_id: str, reason: str, now: datetime
    ) -> None:
        if await self.session.get(CancelledShareRow, (tenant_id, share_id)) is None:
            self.session.add(
                CancelledShareRow(
                    tenant_id=tenant_id, share_id=share_id, reason=reason, cancelled_at=now
                )
            )
            await self.session.flush()

    async def reason(self, tenant_id: str, share_id: str, employee_id: str) -> str | None:
        return (await self.reasons([(tenant_id, share_id, employee_id)])).get((tenant_id, share_id))

    async def reasons(self, shares: Collection[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
        """Two statements per tenant (the cancellations, the holds: see
        chorus_messaging.privacy.withdrawn), whatever the number of shares."""
        found: dict[tuple[str, str], str] = {}
        by_tenant: dict[str, list[tuple[str, str]]] = {}
        for tenant_id, share_id, employee_id in shares:
            by_tenant.setdefault(tenant_id, []).append((share_id, employee_id))
        for tenant_id, of_tenant in by_tenant.items():
            held = await withdrawn(self.session, tenant_id, [e for _, e in of_tenant])
            query = select(col(CancelledShareRow.share_id), col(CancelledShareRow.reason)).where(
                col(CancelledShareRow.tenant_id) == tenant_id,
                col(CancelledShareRow.share_id).in_([s for s, _ in of_tenant]),
            )
            cancelled = {share: why for share, why in await self.session.execute(query)}
            for share_id, employee_id in of_tenant:
                reason = cancelled.get(share_id) or held.get(employee_id)
                if reason:
                    found[(tenant_id, share_id)] = reason
        return found

    async def erase(self, tenant_id: str, employee_id: str, into: str) -> tuple[int, int]:
        share_ids = list(
            (
                await self.session.execute(
                    select(col(LedgerRow.share_id)).where(
                        col(LedgerRow.tenant_id) == tenant_id,
                        col(LedgerRow.employee_id) == employee_id,
                    )
                )
            ).scalars()
        )
        if share_ids:
            # SharePublished copies (post URI: the account's DID) already relayed
            # to Kafka: the outbox keeps them only as a record. Unsent ones stay,
            # or the relay would lose them.
            await self.session.execute(
                delete(OutboxMessage).where(
                    col(OutboxMessage.tenant_id) == tenant_id,
                    col(OutboxMessage.key).in_(share_ids),
                    col(OutboxMessage.published_at).is_not(None),
                )
            )
        account_ids = select(col(AccountRow.account_id)).where(
            col(AccountRow.tenant_id) == tenant_id, col(AccountRow.employee_id) == employee_id
        )
        await self.session.execute(
            delete(TokenWarningRow).where(
                col(TokenWarningRow.tenant_id) == tenant_id,
                col(TokenWarningRow.account_id).in_(account_ids),
            )
        )
        accounts = await self.session.execute(
            delete(AccountRow).where(
                col(AccountRow.tenant_id) == tenant_id, col(AccountRow.employee_id) == employee_id
            )
        )
        await self.session.execute(
            update(LedgerRow)
            .where(
                col(LedgerRow.tenant_id) == tenant_id,
                col(LedgerRow.employee_id) == employee_id,
                col(LedgerRow.status) == PublishStatus.HELD.value,
            )
            .values(status=PublishStatus.FAILED.value, failure_reason=ERASED_WHILE_HELD)
        )
        # A share still waiting for the sweeper will never go out: it ends
        # cancelled, and its kept ShareDue (which names the employee) goes.
        await self.session.execute(
            update(LedgerRow)
            .where(
                col(LedgerRow.tenant_id) == tenant_id,
                col(LedgerRow.employee_id) == employee_id,
                col(LedgerRow.status) == PublishStatus.DEFERRED.value,
            )
            .values(status=PublishStatus.CANCELLED.value, failure_reason="withdrawn: erased")
        )
        ledger = await self.session.execute(
            update(LedgerRow)
            .where(col(LedgerRow.tenant_id) == tenant_id, col(LedgerRow.employee_id) == employee_id)
            .values(employee_id=into, post_uri="", post_cid="", due=None, published_text="")
        )
        return affected_rows(accounts), affected_rows(ledger)
