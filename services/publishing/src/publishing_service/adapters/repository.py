"""Accounts and the publish ledger in the service's own database
(tenant-scoped): the app's AccountStore and LedgerStore ports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chorus_core.clock import as_utc
from chorus_db import affected_rows, is_unique_violation
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from publishing_service.adapters.tables import AccountRow, LedgerRow
from publishing_service.app.ports import StoredAccount
from publishing_service.domain.ledger import LeaseHeld, LedgerEntry, PublishStatus


def _account(row: AccountRow) -> StoredAccount:
    return StoredAccount(
        account_id=row.account_id,
        tenant_id=row.tenant_id,
        employee_id=row.employee_id,
        network=row.network,
        handle=row.handle,
        external_id=row.external_id,
        secret_ciphertext=row.secret_ciphertext,
        request_id=row.request_id,
    )


def _entry(row: LedgerRow) -> LedgerEntry:
    return LedgerEntry(
        share_id=row.share_id,
        tenant_id=row.tenant_id,
        post_id=row.post_id,
        employee_id=row.employee_id,
        network=row.network,
        status=PublishStatus(row.status),
        lease_until=as_utc(row.lease_until) if row.lease_until is not None else None,
        lease_token=row.lease_token,
        post_uri=row.post_uri,
        link_code=row.link_code,
        failure_reason=row.failure_reason,
        attempts=row.attempts,
        published_at=as_utc(row.published_at) if row.published_at is not None else None,
        retry_at=as_utc(row.retry_at) if row.retry_at is not None else None,
    )


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, tenant_id: str, employee_id: str, network: str) -> StoredAccount | None:
        query = select(AccountRow).where(
            col(AccountRow.tenant_id) == tenant_id,
            col(AccountRow.employee_id) == employee_id,
            col(AccountRow.network) == network,
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        return _account(row) if row is not None else None

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
        row = await self.session.get(AccountRow, account_id)
        if row is None:
            row = AccountRow(
                account_id=account_id,
                tenant_id=tenant_id,
                employee_id=employee_id,
                network=network,
                handle=handle,
                external_id=external_id,
                secret_ciphertext=secret_ciphertext,
                connected_at=now,
                updated_at=now,
            )
        assert row.tenant_id == tenant_id, "account ids are derived from the tenant"
        row.handle = handle
        row.external_id = external_id
        row.secret_ciphertext = secret_ciphertext
        row.request_id = request_id
        row.updated_at = now
        self.session.add(row)

    async def delete(self, tenant_id: str, employee_id: str, network: str) -> bool:
        # One DELETE, its row count the answer: of two concurrent disconnects
        # only the one that removed the row says so (and is audited).
        result = await self.session.execute(
            delete(AccountRow)
            .where(
                col(AccountRow.tenant_id) == tenant_id,
                col(AccountRow.employee_id) == employee_id,
                col(AccountRow.network) == network,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))


class LedgerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, tenant_id: str, share_id: str, *, for_update: bool = False
    ) -> LedgerEntry | None:
        query = select(LedgerRow).where(
            col(LedgerRow.tenant_id) == tenant_id, col(LedgerRow.share_id) == share_id
        )
        if for_update:
            query = query.with_for_update()  # PostgreSQL row lock; SQLite ignores it
        row = (await self.session.execute(query)).scalar_one_or_none()
        return _entry(row) if row is not None else None

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
    ) -> None:
        self.session.add(
            LedgerRow(
                share_id=share_id,
                tenant_id=tenant_id,
                post_id=post_id,
                employee_id=employee_id,
                network=network,
                status=PublishStatus.LEASED.value,
                lease_until=lease_until,
                lease_token=lease_token,
                attempts=1,
                due=due,
                created_at=now,
                updated_at=now,
            )
        )
        try:
            await self.session.flush()  # a concurrent first lease surfaces here
        except IntegrityError as error:
            if is_unique_violation(error):
                raise LeaseHeld(f"share {share_id} was leased concurrently") from None
            raise

    async def take_over(
        self,
        before: LedgerEntry,
        lease_until: datetime,
        lease_token: str,
        now: datetime,
        due: dict[str, Any] | None = None,
    ) -> bool:
        """Take the lease from `before` (expired, failed or deferred) unless
        someone else changed the entry since it was read."""
        values: dict[str, Any] = {"due": due} if due is not None else {}
        return await self._transition(
            before.tenant_id,
            before.share_id,
            expected_token=before.lease_token,
            expected_status=before.status,
            status=PublishStatus.LEASED.value,
            lease_until=lease_until,
            lease_token=lease_token,
            attempts=before.attempts + 1,
            retry_at=None,
            updated_at=now,
            **values,
        )

    async def mark_deferred(
        self,
        tenant_id: str,
        share_id: str,
        lease_token: str,
        retry_at: datetime,
        reason: str,
        now: datetime,
    ) -> bool:
        return await self._transition(
            tenant_id,
            share_id,
            expected_token=lease_token,
            status=PublishStatus.DEFERRED.value,
            lease_until=None,
            retry_at=retry_at,
            failure_reason=reason[:500],
            updated_at=now,
        )

    async def sweepable(
        self, now: datetime, stale_before: datetime, limit: int
    ) -> list[tuple[LedgerEntry, dict[str, Any]]]:
        """Shares the sweeper sends, with their ShareDue: deferred ones whose
        time has come, and leased ones whose lease ended before
        `stale_before` (a worker died, or its retries ran out). The one read
        across tenants: the sweeper serves them all, and each row it acts on
        carries its tenant from here on."""
        query = (
            select(LedgerRow)
            .where(
                or_(
                    and_(
                        col(LedgerRow.status) == PublishStatus.DEFERRED.value,
                        col(LedgerRow.retry_at) <= now,
                    ),
                    and_(
                        col(LedgerRow.status) == PublishStatus.LEASED.value,
                        col(LedgerRow.lease_until) < stale_before,
                    ),
                ),
                col(LedgerRow.due).is_not(None),
            )
            .order_by(col(LedgerRow.updated_at))
            .limit(limit)
        )
        rows = (await self.session.execute(query)).scalars()
        return [(_entry(r), r.due) for r in rows if r.due is not None]

    async def release(self, tenant_id: str, share_id: str, lease_token: str, now: datetime) -> bool:
        """Give the lease back early (a retryable failure): the retry need not
        wait for it to expire."""
        return await self._transition(
            tenant_id, share_id, expected_token=lease_token, lease_until=now, updated_at=now
        )

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
    ) -> bool:
        return await self._transition(
            tenant_id,
            share_id,
            expected_token=lease_token,
            status=PublishStatus.PUBLISHED.value,
            lease_until=None,
            post_uri=post_uri,
            post_cid=post_cid,
            link_code=link_code,
            failure_reason="",
            published_at=now,
            updated_at=now,
        )

    async def mark_failed(
        self, tenant_id: str, share_id: str, lease_token: str, reason: str, now: datetime
    ) -> bool:
        return await self._transition(
            tenant_id,
            share_id,
            expected_token=lease_token,
            status=PublishStatus.FAILED.value,
            lease_until=None,
            failure_reason=reason[:500],
            updated_at=now,
        )

    async def list_published(
        self, tenant_id: str, post_id: str, limit: int, after_id: str, employee_id: str = ""
    ) -> list[LedgerEntry]:
        query = select(LedgerRow).where(
            col(LedgerRow.tenant_id) == tenant_id,
            col(LedgerRow.post_id) == post_id,
            col(LedgerRow.status) == PublishStatus.PUBLISHED.value,
        )
        if employee_id:
            query = query.where(col(LedgerRow.employee_id) == employee_id)
        if after_id:
            query = query.where(col(LedgerRow.share_id) > after_id)
        query = query.order_by(col(LedgerRow.share_id)).limit(limit)
        return [_entry(r) for r in (await self.session.execute(query)).scalars()]

    async def _transition(
        self,
        tenant_id: str,
        share_id: str,
        *,
        expected_token: str,
        expected_status: PublishStatus | None = None,
        **values: object,
    ) -> bool:
        """Conditional update: applies only while the entry still carries
        `expected_token` (and status), so concurrent workers cannot both win."""
        statement = update(LedgerRow).where(
            col(LedgerRow.tenant_id) == tenant_id,
            col(LedgerRow.share_id) == share_id,
            col(LedgerRow.lease_token) == expected_token,
        )
        if expected_status is not None:
            statement = statement.where(col(LedgerRow.status) == expected_status.value)
        result = await self.session.execute(
            statement.values(**values).execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))
