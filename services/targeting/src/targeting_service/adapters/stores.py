"""The app's Stores port on the service's database: each repository opened on
the session behind the caller's Transaction."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import datetime

from chorus_db import exclusive, is_unique_violation
from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from targeting_service.adapters.account_links import SqlAccountLinks
from targeting_service.adapters.channel_repository import ChannelRepository, SegmentRepository
from targeting_service.adapters.consent_records import ConsentRepository
from targeting_service.adapters.directory_repository import DirectoryRepository
from targeting_service.adapters.directory_tables import ScimTokenRow
from targeting_service.adapters.repository import (
    EmployeeRepository,
    ResolutionRepository,
    changed_fields,
)
from targeting_service.adapters.tables import DirectoryImportRow
from targeting_service.domain.csv_rows import RowError
from targeting_service.domain.employees import Employee
from targeting_service.domain.imports import ImportResult


class SqlEmployees(EmployeeRepository):
    """The EmployeeStore: the repository, with the import's change detection
    (a query of its own, kept beside the repository it mirrors)."""

    async def changed_fields(
        self,
        employees: Sequence[Employee],
        networks: Mapping[str, str],
        group_names: Mapping[str, str],
    ) -> dict[str, builtins.list[str]]:
        return await changed_fields(self.session, employees, networks, group_names)


class SqlImportLog:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, tenant_id: str, request_id: str) -> ImportResult | None:
        row = await self.session.get(DirectoryImportRow, (tenant_id, request_id))
        if row is None:
            return None
        return ImportResult(
            row.created,
            row.updated,
            tuple(RowError(int(n), str(r)) for n, r in row.errors),
            row.deactivated,
        )

    async def record(
        self, tenant_id: str, request_id: str, result: ImportResult, now: datetime
    ) -> None:
        # Written at commit: the same request_id committed meanwhile fails
        # there (Stores.is_duplicate), and its caller answers with the winner's.
        self.session.add(
            DirectoryImportRow(
                tenant_id=tenant_id,
                request_id=request_id,
                created=result.created,
                updated=result.updated,
                deactivated=result.deactivated,
                errors=[[e.line, e.reason] for e in result.errors],
                imported_at=now,
            )
        )


class SqlScimTokens:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace(self, tenant_id: str, token_hash: str, now: datetime) -> bool:
        # The row lock below cannot hold a row that is not there yet: two
        # first issues would both insert.
        await exclusive(self.session, f"targeting.scim_token/{tenant_id}")
        row = await self.session.get(ScimTokenRow, tenant_id, with_for_update=True)
        if row is None:
            self.session.add(
                ScimTokenRow(tenant_id=tenant_id, token_hash=token_hash, issued_at=now)
            )
            return False
        row.token_hash, row.issued_at = token_hash, now
        return True

    async def tenant_of(self, token_hash: str) -> str | None:
        query = select(col(ScimTokenRow.tenant_id)).where(
            col(ScimTokenRow.token_hash) == token_hash
        )
        return (await self.session.execute(query)).scalar_one_or_none()


class SqlStores:
    def employees(self, transaction: Transaction) -> SqlEmployees:
        return SqlEmployees(session_of(transaction))

    def directory(self, transaction: Transaction) -> DirectoryRepository:
        return DirectoryRepository(session_of(transaction))

    def channels(self, transaction: Transaction) -> ChannelRepository:
        return ChannelRepository(session_of(transaction))

    def segments(self, transaction: Transaction) -> SegmentRepository:
        return SegmentRepository(session_of(transaction))

    def resolutions(self, transaction: Transaction) -> ResolutionRepository:
        return ResolutionRepository(session_of(transaction))

    def consents(self, transaction: Transaction) -> ConsentRepository:
        return ConsentRepository(session_of(transaction))

    def imports(self, transaction: Transaction) -> SqlImportLog:
        return SqlImportLog(session_of(transaction))

    def scim_tokens(self, transaction: Transaction) -> SqlScimTokens:
        return SqlScimTokens(session_of(transaction))

    def account_links(self, transaction: Transaction) -> SqlAccountLinks:
        return SqlAccountLinks(session_of(transaction))

    def is_duplicate(self, error: Exception) -> bool:
        return isinstance(error, IntegrityError) and is_unique_violation(error)
