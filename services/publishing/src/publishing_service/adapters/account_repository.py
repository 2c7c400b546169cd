"""Connected accounts in the service's own database (tenant-scoped): the
app's AccountStore port (with each account's token state) and its
TokenWarningStore (the TokenExpiring warnings sent)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from chorus_core.clock import as_utc
from chorus_db import affected_rows, conflict_insert, keys_in, table_of
from sqlalchemy import and_, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from publishing_service.adapters.tables import AccountRow, TokenWarningRow
from publishing_service.app.ports import StoredAccount


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
        token_expires_at=_utc(row.token_expires_at),
        reconnect_needed_at=_utc(row.reconnect_needed_at),
        reconnect_reason=row.reconnect_reason,
    )


def _utc(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(
        self, tenant_id: str, employee_id: str, network: str, *, for_update: bool = False
    ) -> StoredAccount | None:
        query = select(AccountRow).where(
            col(AccountRow.tenant_id) == tenant_id,
            col(AccountRow.employee_id) == employee_id,
            col(AccountRow.network) == network,
        )
        if for_update:
            query = query.with_for_update()  # PostgreSQL row lock; SQLite ignores it
        row = (await self.session.execute(query)).scalar_one_or_none()
        return _account(row) if row is not None else None

    async def find_all(
        self, keys: Collection[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], StoredAccount]:
        if not keys:
            return {}
        # The employees last: a batch's (tenant, network) is then one scan
        # of the unique index with its employees as an array.
        query = select(AccountRow).where(
            keys_in(
                (col(AccountRow.tenant_id), col(AccountRow.network), col(AccountRow.employee_id)),
                ((tenant, network, employee) for tenant, employee, network in keys),
            )
        )
        return {
            (row.tenant_id, row.employee_id, row.network): _account(row)
            for row in (await self.session.execute(query)).scalars()
        }

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
        reconnection clears "needs reconnect"."""
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
        row.token_expires_at = token_expires_at
        row.reconnect_needed_at = None
        row.reconnect_reason = ""
        self.session.add(row)
        # Written now, not at commit: the row is locked from here on
        # (PostgreSQL), so a worker holding this account's shares waits for
        # the reconnection and then sees it (app.publish._record_hold).
        await self.session.flush()

    async def mark_needs_reconnect(
        self, tenant_id: str, account_id: str, reason: str, now: datetime
    ) -> bool:
        # Conditional: of several workers whose shares the network refused,
        # only the first sets it (and announces it).
        result = await self.session.execute(
            update(AccountRow)
            .where(
                col(AccountRow.tenant_id) == tenant_id,
                col(AccountRow.account_id) == account_id,
                col(AccountRow.reconnect_needed_at).is_(None),
            )
            .values(reconnect_needed_at=now, reconnect_reason=reason[:500])
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

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


class TokenWarningRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due(self, now: datetime, until: datetime, limit: int) -> list[StoredAccount]:
        """The one account read across tenants: the warning job serves them
        all, and each row it acts on carries its tenant from here on."""
        warned = exists().where(
            col(TokenWarningRow.tenant_id) == col(AccountRow.tenant_id),
            col(TokenWarningRow.account_id) == col(AccountRow.account_id),
            col(TokenWarningRow.expires_at) == col(AccountRow.token_expires_at),
        )
        query = (
            select(AccountRow)
            .where(
                and_(
                    col(AccountRow.token_expires_at) > now,
                    col(AccountRow.token_expires_at) <= until,
                ),
                ~warned,
            )
            .order_by(col(AccountRow.token_expires_at))
            .limit(limit)
        )
        return [_account(r) for r in (await self.session.execute(query)).scalars()]

    async def record(
        self, tenant_id: str, account_id: str, expires_at: datetime, now: datetime
    ) -> bool:
        # One atomic statement on both databases: of two replicas (or a run
        # and its restart) warning at once, one inserts, the other nothing.
        warnings = table_of(TokenWarningRow)
        result = await self.session.execute(
            conflict_insert(self.session, warnings)
            .values(
                tenant_id=tenant_id, account_id=account_id, expires_at=expires_at, warned_at=now
            )
            .on_conflict_do_nothing(
                index_elements=[
                    warnings.c.tenant_id,
                    warnings.c.account_id,
                    warnings.c.expires_at,
                ]
            )
        )
        return bool(affected_rows(result))
