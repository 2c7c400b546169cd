"""Directory use cases: import an HR export, read employees, preview an audience."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db import Database, is_unique_violation
from chorus_messaging import Outbox
from opentelemetry import trace
from sqlalchemy.exc import IntegrityError

from targeting_service.adapters.directory_repository import DirectoryRepository
from targeting_service.adapters.repository import EmployeeRepository
from targeting_service.adapters.tables import DirectoryImportRow
from targeting_service.app.directory_import import (
    Change,
    DryRunRollback,
    ImportOptions,
    import_rows,
)
from targeting_service.domain.audience import AudienceCounts, AudienceRule
from targeting_service.domain.csv_rows import RowError
from targeting_service.domain.employees import Employee, SocialAccount

log = logging.getLogger(__name__)

MAX_PAGE = 500


@dataclass(frozen=True)
class ImportResult:
    """created: people new to the directory; updated: known people whose data
    changed (re-importing an unchanged export reports 0 and 0)."""

    created: int
    updated: int
    errors: tuple[RowError, ...]
    deactivated: int = 0
    changes: tuple[Change, ...] = ()  # what changed (or would, in a dry run)


class DirectoryUseCases:
    def __init__(self, db: Database, region: str, outbox: Outbox | None = None) -> None:
        self.db = db
        self.region = region
        self.outbox = outbox or Outbox(f"chorus/targeting@{region}")

    async def import_directory(
        self,
        tenant_id: str,
        request_id: str,
        data: bytes | IO[bytes],
        options: ImportOptions | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Every valid row is upserted, every bad row reported with its line;
        the valid rows commit together or not at all (a dry run: never)."""
        valid_tenant(tenant_id)
        options = options or ImportOptions()
        if request_id and not options.dry_run:
            previous = await self._previous_import(tenant_id, request_id)
            if previous:
                return previous
        try:
            result = await self._import(tenant_id, request_id, data, options, progress)
        except IntegrityError as error:
            # The same request_id ran concurrently and won: answer with its result.
            if request_id and is_unique_violation(error):
                previous = await self._previous_import(tenant_id, request_id)
                if previous:
                    return previous
            raise
        trace.get_current_span().set_attribute("chorus.tenant_id", tenant_id)
        log.info(
            "directory imported",
            extra={
                "chorus": {
                    "tenant_id": tenant_id,
                    "created": result.created,
                    "dry_run": options.dry_run,
                    "updated": result.updated,
                    "deactivated": result.deactivated,
                    "rejected": len(result.errors),
                }
            },
        )
        return result

    async def _import(
        self,
        tenant_id: str,
        request_id: str,
        data: bytes | IO[bytes],
        options: ImportOptions,
        progress: Callable[[int], None] | None,
    ) -> ImportResult:
        try:
            async with self.db.transaction() as session:
                report = await import_rows(session, self.outbox, tenant_id, data, options, progress)
                result = ImportResult(
                    report.created,
                    report.updated,
                    tuple(report.errors),
                    report.deactivated,
                    tuple(report.changes) if options.dry_run else (),
                )
                if options.dry_run:
                    raise DryRunRollback
                if request_id:
                    session.add(
                        DirectoryImportRow(
                            tenant_id=tenant_id,
                            request_id=request_id,
                            created=result.created,
                            updated=result.updated,
                            deactivated=result.deactivated,
                            errors=[[e.line, e.reason] for e in result.errors],
                            imported_at=utcnow(),
                        )
                    )
        except DryRunRollback:
            pass
        return result

    async def _previous_import(self, tenant_id: str, request_id: str) -> ImportResult | None:
        async with self.db.session() as session:
            row = await session.get(DirectoryImportRow, (tenant_id, request_id))
        if row is None:
            return None
        return ImportResult(
            row.created,
            row.updated,
            tuple(RowError(int(n), str(r)) for n, r in row.errors),
            row.deactivated,
        )

    async def preview_audience(
        self, tenant_id: str, countries: Iterable[str], departments: Iterable[str]
    ) -> AudienceCounts:
        valid_tenant(tenant_id)
        rule = AudienceRule.of(self.region, countries, departments)
        async with self.db.session() as session:
            return await EmployeeRepository(session).audience_counts(tenant_id, rule)

    async def get_employee(self, tenant_id: str, employee_id: str) -> Employee:
        valid_tenant(tenant_id)
        if not employee_id:
            raise InvalidArgument("employee_id", "must not be empty")
        async with self.db.session() as session:
            return await EmployeeRepository(session).get(tenant_id, employee_id)

    async def employee_details(
        self, tenant_id: str, employee_id: str
    ) -> tuple[Employee, list[str], list[SocialAccount]]:
        employee = await self.get_employee(tenant_id, employee_id)
        async with self.db.session() as session:
            directory = DirectoryRepository(session)
            return (
                employee,
                await directory.group_names(tenant_id, employee_id),
                await directory.accounts(tenant_id, employee_id),
            )

    async def list_employees(
        self, tenant_id: str, opted_in_only: bool, page_size: int, page_token: str
    ) -> tuple[list[Employee], str]:
        valid_tenant(tenant_id)
        if page_size < 0 or page_size > MAX_PAGE:
            raise InvalidArgument("page_size", f"must be between 0 and {MAX_PAGE}")
        limit = page_size or 50
        async with self.db.session() as session:
            page = await EmployeeRepository(session).list(
                tenant_id, opted_in_only, limit, page_token or None
            )
        # The token is the last id of the page: opaque to callers, stable
        # under inserts (keyset, not offset).
        return page, (page[-1].employee_id if len(page) == limit else "")
