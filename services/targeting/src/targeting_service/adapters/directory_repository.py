"""Groups, social accounts, leavers, consent and erasure (tenant-scoped)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from chorus_core.errors import NotFound
from chorus_core.ids import stable_id
from chorus_db import exclusive, table_of
from sqlalchemy import bindparam, delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from targeting_service.adapters.bulk import insert_rows
from targeting_service.adapters.directory_tables import (
    AccountLinkRow,
    ChannelManagerRow,
    ChannelSubscriptionRow,
    ErasureRow,
    GroupMemberRow,
    GroupRow,
    SocialAccountRow,
)
from targeting_service.adapters.erasure import erase_scim_and_consent
from targeting_service.adapters.tables import EmployeeRow
from targeting_service.domain.employees import SocialAccount
from targeting_service.domain.group_names import group_names_value


def group_id_for(tenant_id: str, name: str) -> str:
    return stable_id("group", tenant_id, name)


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ensure_groups(
        self, tenant_id: str, names: Collection[str], now: datetime
    ) -> dict[str, str]:
        """{name: group id}, creating the groups an import names for the first time."""
        if not names:
            return {}
        query = select(col(GroupRow.display_name), col(GroupRow.group_id)).where(
            col(GroupRow.tenant_id) == tenant_id,
            col(GroupRow.display_name).in_(names),
        )
        known = {name: gid for name, gid in (await self.session.execute(query)).all()}
        missing = [n for n in names if n not in known]
        if missing:
            rows = [
                {
                    "tenant_id": tenant_id,
                    "group_id": group_id_for(tenant_id, n),
                    "display_name": n,
                    "external_id": "",
                    "updated_at": now,
                }
                for n in missing
            ]
            await insert_rows(self.session, GroupRow, rows)
            known.update({r["display_name"]: r["group_id"] for r in rows})
        return known

    async def replace_groups(
        self,
        tenant_id: str,
        groups: Mapping[str, tuple[str, ...]],
        now: datetime,
        known: Collection[str],
    ) -> None:
        """{employee id: group names}: memberships become exactly these
        (`known`: the ones that may have memberships already)."""
        if not groups:
            return
        ids = await self.ensure_groups(
            tenant_id, {n for names in groups.values() for n in names}, now
        )
        stale = [e for e in groups if e in known]
        if stale:
            await self.session.execute(
                delete(GroupMemberRow).where(
                    col(GroupMemberRow.tenant_id) == tenant_id,
                    col(GroupMemberRow.employee_id).in_(stale),
                )
            )
        rows = [
            {"tenant_id": tenant_id, "group_id": ids[n], "employee_id": e}
            for e, names in groups.items()
            for n in names
        ]
        await insert_rows(self.session, GroupMemberRow, rows)

    async def refresh_group_names(self, tenant_id: str, employee_ids: Collection[str]) -> None:
        """Rewrites EmployeeRow.group_names of these people from the members
        table: called in the transaction of every membership change that does
        not already know the new value (SCIM Group writes, a new SCIM User)."""
        ids = sorted(set(employee_ids))
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            query = (
                select(col(GroupMemberRow.employee_id), col(GroupRow.display_name))
                .join(
                    GroupRow,
                    (col(GroupRow.tenant_id) == col(GroupMemberRow.tenant_id))
                    & (col(GroupRow.group_id) == col(GroupMemberRow.group_id)),
                )
                .where(
                    col(GroupMemberRow.tenant_id) == tenant_id,
                    col(GroupMemberRow.employee_id).in_(chunk),
                )
            )
            names: dict[str, list[str]] = {e: [] for e in chunk}
            for employee_id, name in (await self.session.execute(query)).all():
                names[employee_id].append(name)
            await self.session.execute(
                update(table_of(EmployeeRow))
                .where(
                    col(EmployeeRow.tenant_id) == tenant_id,
                    col(EmployeeRow.employee_id) == bindparam("eid"),
                )
                .values(group_names=bindparam("value")),
                [{"eid": e, "value": group_names_value(n)} for e, n in names.items()],
            )

    async def replace_accounts(
        self,
        tenant_id: str,
        accounts: Mapping[str, tuple[SocialAccount, ...]],
        known: Collection[str],
    ) -> None:
        if not accounts:
            return
        stale = [e for e in accounts if e in known]
        if stale:
            await self.session.execute(
                delete(SocialAccountRow).where(
                    col(SocialAccountRow.tenant_id) == tenant_id,
                    col(SocialAccountRow.employee_id).in_(stale),
                )
            )
        rows = [
            {
                "tenant_id": tenant_id,
                "employee_id": e,
                "network": a.network,
                "handle": a.handle,
                "followers": a.followers,
            }
            for e, items in accounts.items()
            for a in items
        ]
        # EmployeeRow.networks, the copy the preview groups by, is written
        # with the employee row by the import (EmployeeRepository.write).
        await insert_rows(self.session, SocialAccountRow, rows)

    async def lock_tenant(self, tenant_id: str) -> None:
        await exclusive(self.session, f"targeting.directory/{tenant_id}")

    async def refresh_statistics(self) -> None:
        """ANALYZE the employees table. A bulk import that grows it from
        nothing leaves the planner with stale sizes: on PostgreSQL the import's
        own lookup by external id turns into a sequential scan (each chunk
        slower than the last), and both databases' audience queries need the
        statistics to pick the covering index."""
        await self.session.execute(text("ANALYZE targeting_employees"))

    async def accounts(self, tenant_id: str, employee_id: str) -> list[SocialAccount]:
        query = (
            select(SocialAccountRow)
            .where(
                col(SocialAccountRow.tenant_id) == tenant_id,
                col(SocialAccountRow.employee_id) == employee_id,
            )
            .order_by(col(SocialAccountRow.network))
        )
        return [
            SocialAccount(r.network, r.handle, r.followers)
            for r in (await self.session.execute(query)).scalars()
        ]

    async def group_names(self, tenant_id: str, employee_id: str) -> list[str]:
        query = (
            select(col(GroupRow.display_name))
            .join(
                GroupMemberRow,
                (col(GroupMemberRow.tenant_id) == col(GroupRow.tenant_id))
                & (col(GroupMemberRow.group_id) == col(GroupRow.group_id)),
            )
            .where(
                col(GroupMemberRow.tenant_id) == tenant_id,
                col(GroupMemberRow.employee_id) == employee_id,
            )
            .order_by(col(GroupRow.display_name))
        )
        return list((await self.session.execute(query)).scalars())

    async def active_external_ids(self, tenant_id: str) -> dict[str, str]:
        """{external id: employee id} of everyone active: the leavers of an
        import are those the export no longer lists (ids only, no rows)."""
        query = select(col(EmployeeRow.external_id), col(EmployeeRow.employee_id)).where(
            col(EmployeeRow.tenant_id) == tenant_id,
            col(EmployeeRow.active).is_(True),
        )
        return {x: e for x, e in (await self.session.execute(query)).all()}

    async def deactivate(self, tenant_id: str, employee_ids: list[str], now: datetime) -> None:
        for start in range(0, len(employee_ids), 1000):
            await self.session.execute(
                update(EmployeeRow)
                .where(
                    col(EmployeeRow.tenant_id) == tenant_id,
                    col(EmployeeRow.employee_id).in_(employee_ids[start : start + 1000]),
                )
                .values(active=False, employment_status="inactive", updated_at=now)
            )

    async def erased(self, tenant_id: str, employee_ids: Collection[str]) -> set[str]:
        if not employee_ids:
            return set()
        query = select(col(ErasureRow.employee_id)).where(
            col(ErasureRow.tenant_id) == tenant_id,
            col(ErasureRow.employee_id).in_(list(employee_ids)),
        )
        return set((await self.session.execute(query)).scalars())

    async def existing(self, tenant_id: str, employee_ids: Collection[str]) -> set[str]:
        """Which of these ids are people of the directory (a SCIM User or an
        imported employee: both have an employee row; the erased do not)."""
        if not employee_ids:
            return set()
        query = select(col(EmployeeRow.employee_id)).where(
            col(EmployeeRow.tenant_id) == tenant_id,
            col(EmployeeRow.employee_id).in_(list(employee_ids)),
        )
        return set((await self.session.execute(query)).scalars())

    async def erase(self, tenant_id: str, employee_id: str, now: datetime) -> bool:
        """Deletes every row about the person and keeps the tombstone;
        False if they were erased already (a retried request); NotFound for
        an id the tenant never had."""
        if await self.session.get(ErasureRow, (tenant_id, employee_id)) is not None:
            return False
        person = await self.session.get(EmployeeRow, (tenant_id, employee_id))
        if person is None:
            # Nobody of this tenant: no tombstone, no event naming an id it never had.
            raise NotFound("employee", employee_id)
        # First: it finds the person's SCIM Groups through the memberships deleted below.
        await erase_scim_and_consent(self.session, tenant_id, employee_id)
        # Their external id on their reports' rows identifies them too.
        await self.session.execute(
            update(EmployeeRow)
            .where(
                col(EmployeeRow.tenant_id) == tenant_id,
                col(EmployeeRow.manager) == person.external_id,
            )
            .values(manager="")
        )
        for table in (
            GroupMemberRow,
            SocialAccountRow,
            ChannelSubscriptionRow,
            ChannelManagerRow,
            AccountLinkRow,  # their sign-in no longer reaches anyone
            EmployeeRow,
        ):
            await self.session.execute(
                delete(table).where(
                    col(table.tenant_id) == tenant_id, col(table.employee_id) == employee_id
                )
            )
        self.session.add(ErasureRow(tenant_id=tenant_id, employee_id=employee_id, erased_at=now))
        await self.session.flush()
        return True
