"""The publish ledger in the service's own database (tenant-scoped): the
app's LedgerStore port. Accounts: adapters/account_repository.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from chorus_core.clock import as_utc
from chorus_db import affected_rows, conflict_insert, keys_in, table_of
from sqlalchemy import and_, bindparam, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

# Re-exported: the ledger and the accounts were one module before.
from publishing_service.adapters.account_repository import AccountRepository as AccountRepository
from publishing_service.adapters.tables import LedgerRow
from publishing_service.app.ports import NewLease, PublishedRecord
from publishing_service.domain.ledger import LeaseHeld, LedgerEntry, PublishStatus


def _utc(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


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
        expires_at=_utc(row.expires_at),
        published_text=row.published_text,
        variant=row.variant,
        edited=row.edited,
    )


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

    async def get_all(
        self, keys: Collection[tuple[str, str]], *, for_update: bool = False
    ) -> dict[tuple[str, str], LedgerEntry]:
        if not keys:
            return {}
        query = (
            select(LedgerRow)
            .where(keys_in((col(LedgerRow.tenant_id), col(LedgerRow.share_id)), keys))
            .order_by(col(LedgerRow.tenant_id), col(LedgerRow.share_id))
        )
        if for_update:
            query = query.with_for_update()  # PostgreSQL row locks; SQLite ignores it
        return {
            (row.tenant_id, row.share_id): _entry(row)
            for row in (await self.session.execute(query)).scalars()
        }

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
        lease = NewLease(
            share_id=share_id,
            tenant_id=tenant_id,
            post_id=post_id,
            employee_id=employee_id,
            network=network,
            lease_until=lease_until,
            lease_token=lease_token,
            now=now,
            due=due,
            expires_at=expires_at,
        )
        if not await self.add_all_leased([lease]):
            raise LeaseHeld(f"share {share_id} was leased concurrently")

    async def add_all_leased(self, leases: Sequence[NewLease]) -> set[tuple[str, str]]:
        # ON CONFLICT DO NOTHING: a concurrent first lease (waited for, then
        # skipped) leaves the transaction usable for the others.
        if not leases:
            return set()
        table = table_of(LedgerRow)
        statement = (
            conflict_insert(self.session, table)
            .on_conflict_do_nothing()
            .returning(table.c.tenant_id, table.c.share_id)
        )
        # Executed with a list of rows (one statement, "insertmanyvalues"):
        # compiled once and cached, whatever the batch's size.
        rows = [
            {
                "share_id": lease.share_id,
                "tenant_id": lease.tenant_id,
                "post_id": lease.post_id,
                "employee_id": lease.employee_id,
                "network": lease.network,
                "status": PublishStatus.LEASED.value,
                "lease_until": lease.lease_until,
                "lease_token": lease.lease_token,
                "attempts": 1,
                "due": lease.due,
                "expires_at": lease.expires_at,
                "created_at": lease.now,
                "updated_at": lease.now,
                "post_uri": "",
                "post_cid": "",
                "link_code": "",
                "failure_reason": "",
            }
            for lease in sorted(leases, key=lambda n: (n.tenant_id, n.share_id))
        ]
        return {(t, s) for t, s in await self.session.execute(statement, rows)}

    async def take_over(
        self,
        before: LedgerEntry,
        lease_until: datetime,
        lease_token: str,
        now: datetime,
        due: dict[str, Any] | None = None,
        expires_at: datetime | None = None,
    ) -> bool:
        """Take the lease from `before` (expired, failed, deferred or held)
        unless someone else changed the entry since it was read."""
        values: dict[str, Any] = {"due": due, "expires_at": expires_at} if due is not None else {}
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
        time has come, leased ones whose lease ended before `stale_before` (a
        worker died, or its retries ran out), and deferred or held ones whose
        post has expired (ended, not sent). The one read across tenants: the
        sweeper serves them all, and each row it acts on carries its tenant
        from here on."""
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
                    and_(
                        col(LedgerRow.status).in_(
                            [PublishStatus.DEFERRED.value, PublishStatus.HELD.value]
                        ),
                        col(LedgerRow.expires_at) <= now,
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
        record = PublishedRecord(
            tenant_id, share_id, lease_token, post_uri, post_cid, link_code, "", None, False
        )
        return (tenant_id, share_id) in await self.mark_all_published([record], now)

    async def mark_all_published(
        self, posts: Sequence[PublishedRecord], now: datetime
    ) -> set[tuple[str, str]]:
        """One UPDATE .. FROM a VALUES list (PostgreSQL; SQLite >= 3.35), each
        row conditional on its lease token as mark_published is."""
        if not posts:
            return set()
        table = LedgerRow.__tablename__
        rows, params = [], {}
        for n, p in enumerate(posts):
            rows.append(f"(:t{n}, :s{n}, :k{n}, :u{n}, :c{n}, :l{n}, :x{n}, :v{n}, :e{n})")
            params.update(
                {
                    f"t{n}": p.tenant_id,
                    f"s{n}": p.share_id,
                    f"k{n}": p.lease_token,
                    f"u{n}": p.post_uri,
                    f"c{n}": p.post_cid,
                    f"l{n}": p.link_code,
                    f"x{n}": p.text,
                    # As text, cast back below: an untyped NULL in a VALUES
                    # list has no type PostgreSQL can give the column.
                    f"v{n}": str(p.variant) if p.variant is not None else None,
                    f"e{n}": "1" if p.edited else "0",
                }
            )
        statement = text(
            "WITH v(tenant_id, share_id, lease_token, post_uri, post_cid, link_code,"
            f" published_text, variant, edited) AS (VALUES {', '.join(rows)})"
            f" UPDATE {table} SET status = :published, lease_until = NULL,"
            " post_uri = v.post_uri, post_cid = v.post_cid, link_code = v.link_code,"
            " published_text = v.published_text, variant = CAST(v.variant AS INTEGER),"
            " edited = (v.edited = '1'),"
            " failure_reason = '', published_at = :now, updated_at = :now"
            f" FROM v WHERE {table}.tenant_id = v.tenant_id AND {table}.share_id = v.share_id"
            f" AND {table}.lease_token = v.lease_token"
            f" RETURNING {table}.tenant_id, {table}.share_id"
        ).bindparams(bindparam("now", type_=table_of(LedgerRow).c.published_at.type))
        result = await self.session.execute(
            statement, {**params, "published": PublishStatus.PUBLISHED.value, "now": now}
        )
        return {(t, s) for t, s in result}

    async def mark_failed(
        self, tenant_id: str, share_id: str, lease_token: str, reason: str, now: datetime
    ) -> bool:
        return await self._settle(
            tenant_id, share_id, lease_token, PublishStatus.FAILED, reason, now
        )

    async def mark_cancelled(
        self, tenant_id: str, share_id: str, lease_token: str, reason: str, now: datetime
    ) -> bool:
        return await self._settle(
            tenant_id, share_id, lease_token, PublishStatus.CANCELLED, reason, now
        )

    async def mark_held(
        self, tenant_id: str, share_id: str, lease_token: str, reason: str, now: datetime
    ) -> bool:
        return await self._settle(tenant_id, share_id, lease_token, PublishStatus.HELD, reason, now)

    async def _settle(
        self,
        tenant_id: str,
        share_id: str,
        lease_token: str,
        status: PublishStatus,
        reason: str,
        now: datetime,
    ) -> bool:
        """The lease ends in a status that says why (failed, cancelled, held)."""
        return await self._transition(
            tenant_id,
            share_id,
            expected_token=lease_token,
            status=status.value,
            lease_until=None,
            retry_at=None,
            failure_reason=reason[:500],
            updated_at=now,
        )

    async def release_held(
        self, tenant_id: str, employee_id: str, network: str, now: datetime
    ) -> int:
        """Deferred to `now`, not sent from here: the sweeper sends them
        through the Publisher (leases, budgets, find() and all)."""
        result = await self.session.execute(
            update(LedgerRow)
            .where(
                col(LedgerRow.tenant_id) == tenant_id,
                col(LedgerRow.employee_id) == employee_id,
                col(LedgerRow.network) == network,
                col(LedgerRow.status) == PublishStatus.HELD.value,
            )
            .values(
                status=PublishStatus.DEFERRED.value,
                retry_at=now,
                failure_reason="the account was reconnected; going out now",
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return affected_rows(result)

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
