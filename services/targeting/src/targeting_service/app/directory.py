"""Directory use cases: import an HR export, read employees, preview an audience.
An import (not a dry run) is an entry of the tenant's audit log, in its
transaction: how many entries it created, updated, deactivated and
refused, never a value of a row."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import IO

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import UnitOfWork
from chorus_identity.principal import Principal, Role
from chorus_messaging.audit import AuditTrail
from opentelemetry import trace

from targeting_service.app import policy
from targeting_service.app.directory_import import DirectoryImport, DryRunRollback, ImportOptions
from targeting_service.app.ports import EmployeeEvents, Stores
from targeting_service.domain.audience import AudienceCounts, AudienceRule
from targeting_service.domain.employees import Employee, SocialAccount
from targeting_service.domain.imports import ImportResult

log = logging.getLogger(__name__)

MAX_PAGE = 500


class DirectoryUseCases:
    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        events: EmployeeEvents,
        region: str,
        audit: AuditTrail,
    ) -> None:
        self.db = db
        self.stores = stores
        self.events = events
        self.region = region
        self.audit = audit

    @staticmethod
    def import_tenant(actor: Principal, tenant_id: str) -> str:
        """Who may import (tenant admins), checked before a stream is read."""
        return valid_tenant(policy.admin_tenant(actor, tenant_id))

    async def import_directory(
        self,
        actor: Principal,
        tenant_id: str,
        request_id: str,
        data: bytes | IO[bytes],
        options: ImportOptions | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Every valid row is upserted, every bad row reported with its line;
        the valid rows commit together or not at all (a dry run: never)."""
        tenant_id = self.import_tenant(actor, tenant_id)
        options = options or ImportOptions()
        if request_id and not options.dry_run:
            previous = await self._previous_import(tenant_id, request_id)
            if previous:
                return previous
        try:
            result = await self._import(tenant_id, request_id, data, options, progress)
        except Exception as error:
            # The same request_id ran concurrently and won: answer with its
            # result. Anything else goes on as it came.
            if request_id and self.stores.is_duplicate(error):
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
            async with self.db.transaction() as transaction:
                writer = DirectoryImport(self.stores, self.events, transaction, options)
                report = await writer.run(tenant_id, data, progress)
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
                    imports = self.stores.imports(transaction)
                    await imports.record(tenant_id, request_id, result, utcnow())
                self.audit.record(
                    transaction,
                    tenant_id=tenant_id,
                    action="directory.import",
                    target_type="directory",
                    target_id=tenant_id,
                    before=None,
                    after={
                        "created": result.created,
                        "updated": result.updated,
                        "deactivated": result.deactivated,
                        "rejected": len(result.errors),
                        "deactivate_missing": options.deactivate_missing,
                    },
                    request_id=request_id,
                )
        except DryRunRollback:
            pass
        return result

    async def _previous_import(self, tenant_id: str, request_id: str) -> ImportResult | None:
        async with self.db.session() as transaction:
            return await self.stores.imports(transaction).find(tenant_id, request_id)

    async def preview_audience(
        self,
        actor: Principal,
        tenant_id: str,
        countries: Iterable[str],
        departments: Iterable[str],
    ) -> AudienceCounts:
        tenant_id = valid_tenant(policy.comms_tenant(actor, tenant_id))
        policy.require_preview(actor, self.region, ())
        rule = AudienceRule.of(self.region, countries, departments)
        async with self.db.session() as transaction:
            return await self.stores.employees(transaction).audience_counts(tenant_id, rule)

    async def get_employee(self, actor: Principal, tenant_id: str, employee_id: str) -> Employee:
        """Their own entry (empty: theirs), anyone's for comms managers."""
        tenant_id = valid_tenant(policy.person_tenant(actor, tenant_id))
        employee_id = policy.own_or(actor, employee_id, Role.COMMS_MANAGER)
        if not employee_id:
            raise InvalidArgument("employee_id", "must not be empty")
        async with self.db.session() as transaction:
            return await self.stores.employees(transaction).get(tenant_id, employee_id)

    async def employee_details(
        self, actor: Principal, tenant_id: str, employee_id: str
    ) -> tuple[Employee, list[str], list[SocialAccount]]:
        employee = await self.get_employee(actor, tenant_id, employee_id)
        tenant_id, employee_id = employee.tenant_id, employee.employee_id
        async with self.db.session() as transaction:
            directory = self.stores.directory(transaction)
            return (
                employee,
                await directory.group_names(tenant_id, employee_id),
                await directory.accounts(tenant_id, employee_id),
            )

    async def list_employees(
        self, actor: Principal, tenant_id: str, opted_in_only: bool, page_size: int, page_token: str
    ) -> tuple[list[Employee], str]:
        tenant_id = valid_tenant(policy.comms_tenant(actor, tenant_id))
        if page_size < 0 or page_size > MAX_PAGE:
            raise InvalidArgument("page_size", f"must be between 0 and {MAX_PAGE}")
        limit = page_size or 50
        async with self.db.session() as transaction:
            page = await self.stores.employees(transaction).list(
                tenant_id, opted_in_only, limit, page_token or None
            )
        # The token is the last id of the page: opaque to callers, stable
        # under inserts (keyset, not offset).
        return page, (page[-1].employee_id if len(page) == limit else "")
