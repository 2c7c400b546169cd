"""Account links on the service's database (the AccountLinkStore port)."""

from __future__ import annotations

from chorus_core.clock import as_utc
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from targeting_service.adapters.directory_tables import AccountLinkRow
from targeting_service.adapters.repository import EmployeeRepository
from targeting_service.adapters.tables import EmployeeRow
from targeting_service.domain.account_links import AccountLink
from targeting_service.domain.employees import Employee

# Enough to tell "one" from "several" without reading a crowd.
_EMAIL_PROBE = 2


def _link(row: AccountLinkRow) -> AccountLink:
    return AccountLink(row.subject, row.employee_id, as_utc(row.linked_at))


class SqlAccountLinks:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.employees = EmployeeRepository(session)

    async def of_subject(self, tenant_id: str, subject: str) -> AccountLink | None:
        row = await self.session.get(AccountLinkRow, (tenant_id, subject))
        return _link(row) if row is not None else None

    async def of_employee(self, tenant_id: str, employee_id: str) -> AccountLink | None:
        query = select(AccountLinkRow).where(
            col(AccountLinkRow.tenant_id) == tenant_id,
            col(AccountLinkRow.employee_id) == employee_id,
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        return _link(row) if row is not None else None

    async def by_external_id(self, tenant_id: str, external_id: str) -> Employee | None:
        query = select(col(EmployeeRow.employee_id)).where(
            col(EmployeeRow.tenant_id) == tenant_id,
            col(EmployeeRow.external_id) == external_id,
        )
        employee_id = (await self.session.execute(query)).scalar_one_or_none()
        return await self.employees.get(tenant_id, employee_id) if employee_id else None

    async def by_email(self, tenant_id: str, email: str) -> list[Employee]:
        # Stored lower-cased (domain.employees, domain.scim_projection), so
        # the same folding of the asked address is a case-insensitive match.
        query = (
            select(col(EmployeeRow.employee_id))
            .where(
                col(EmployeeRow.tenant_id) == tenant_id,
                col(EmployeeRow.email) == email.strip().lower(),
            )
            .order_by(col(EmployeeRow.employee_id))
            .limit(_EMAIL_PROBE)
        )
        ids = list((await self.session.execute(query)).scalars())
        return [await self.employees.get(tenant_id, i) for i in ids]

    async def add(self, tenant_id: str, link: AccountLink) -> None:
        self.session.add(
            AccountLinkRow(
                tenant_id=tenant_id,
                subject=link.subject,
                employee_id=link.employee_id,
                linked_at=link.linked_at,
            )
        )
        # Now, so a concurrent link of the same subject or entry fails here
        # (Stores.is_duplicate) rather than at a commit the caller cannot retry.
        await self.session.flush()
