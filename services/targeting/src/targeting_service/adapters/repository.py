"""The directory and resolutions in the service's own database (tenant-scoped)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from chorus_core.errors import NotFound
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from targeting_service.adapters.tables import EmployeeRow, ResolutionRow
from targeting_service.domain.audience import AudienceCounts, AudienceRule, Member
from targeting_service.domain.employees import Employee

_COPIED = (
    "external_id", "email", "display_name", "country", "language", "timezone",
    "department", "active", "opted_in", "auto_share", "home_region",
)


def _to_domain(row: EmployeeRow) -> Employee:
    return Employee(
        employee_id=row.employee_id,
        tenant_id=row.tenant_id,
        **{name: getattr(row, name) for name in _COPIED},
    )


def _audience_filter(query: Select, tenant_id: str, rule: AudienceRule) -> Select:  # type: ignore[type-arg]
    query = query.where(
        EmployeeRow.tenant_id == tenant_id,
        EmployeeRow.home_region == rule.region,
        EmployeeRow.active.is_(True),  # type: ignore[attr-defined]
        EmployeeRow.opted_in.is_(True),  # type: ignore[attr-defined]
    )
    if rule.countries:
        query = query.where(EmployeeRow.country.in_(rule.countries))  # type: ignore[attr-defined]
    if rule.departments:
        query = query.where(EmployeeRow.department.in_(rule.departments))  # type: ignore[attr-defined]
    return query


class EmployeeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, employees: Sequence[Employee], now: datetime) -> tuple[int, int]:
        """Inserts new people and overwrites known ones (matched by external
        id) whose data changed; returns (created, updated). Unchanged people
        are not written (a re-imported export touches nothing) and count as
        neither. One SELECT and two bulk statements per call, so callers pass
        chunks of a few hundred."""
        if not employees:
            return 0, 0
        tenant_id = employees[0].tenant_id
        if any(e.tenant_id != tenant_id for e in employees):
            raise ValueError("one tenant per upsert chunk")
        # Plain columns, not ORM entities: loading identity-mapped objects
        # costs more than the comparison itself on a 100k-row export.
        columns = [getattr(EmployeeRow, name) for name in ("employee_id", "tenant_id", *_COPIED)]
        query = select(*columns).where(
            EmployeeRow.tenant_id == tenant_id,
            EmployeeRow.external_id.in_([e.external_id for e in employees]),  # type: ignore[attr-defined]
        )
        known = {row.external_id: Employee(**row._mapping) for row in (await self.session.execute(query)).all()}
        new_rows: list[dict[str, object]] = []
        changed_rows: list[dict[str, object]] = []
        for employee in employees:
            values: dict[str, object] = {name: getattr(employee, name) for name in _COPIED}
            values.update(tenant_id=tenant_id, updated_at=now)
            before = known.get(employee.external_id)
            if before is None:
                new_rows.append({**values, "employee_id": employee.employee_id})
            elif replace(employee, employee_id=before.employee_id) != before:
                # The id on record is kept: ids never change once assigned.
                changed_rows.append({**values, "employee_id": before.employee_id})
        if new_rows:
            await self.session.execute(insert(EmployeeRow), new_rows)
        if changed_rows:
            # ORM bulk UPDATE by primary key (tenant_id, employee_id).
            await self.session.execute(update(EmployeeRow), changed_rows)
        return len(new_rows), len(changed_rows)

    async def get(self, tenant_id: str, employee_id: str) -> Employee:
        row = await self.session.get(EmployeeRow, (tenant_id, employee_id))
        if row is None:
            raise NotFound("employee", employee_id)
        return _to_domain(row)

    async def list(
        self, tenant_id: str, opted_in_only: bool, limit: int, after_id: str | None
    ) -> list[Employee]:
        query = select(EmployeeRow).where(EmployeeRow.tenant_id == tenant_id)
        if opted_in_only:
            query = query.where(EmployeeRow.opted_in.is_(True))  # type: ignore[attr-defined]
        if after_id:
            query = query.where(EmployeeRow.employee_id > after_id)
        query = query.order_by(EmployeeRow.employee_id).limit(limit)  # type: ignore[arg-type]
        return [_to_domain(r) for r in (await self.session.execute(query)).scalars()]

    async def audience_counts(self, tenant_id: str, rule: AudienceRule) -> AudienceCounts:
        """Counted by the database: one row per (country, language) group."""
        query = _audience_filter(
            select(EmployeeRow.country, EmployeeRow.language, func.count()), tenant_id, rule
        ).group_by(EmployeeRow.country, EmployeeRow.language)
        groups = [(c, lang, int(n)) for c, lang, n in (await self.session.execute(query)).all()]
        return AudienceCounts.from_groups(groups)

    async def audience_page(
        self, tenant_id: str, rule: AudienceRule, after_id: str | None, limit: int
    ) -> list[Member]:
        """One page of members in employee-id order (keyset pagination: each
        page is an index range scan, however deep into the audience)."""
        query = _audience_filter(
            select(
                EmployeeRow.employee_id,
                EmployeeRow.language,
                EmployeeRow.timezone,
                EmployeeRow.country,
                EmployeeRow.auto_share,
            ),
            tenant_id,
            rule,
        )
        if after_id:
            query = query.where(EmployeeRow.employee_id > after_id)
        query = query.order_by(EmployeeRow.employee_id).limit(limit)  # type: ignore[arg-type]
        return [Member(*row) for row in (await self.session.execute(query)).all()]


class ResolutionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def exists(self, tenant_id: str, post_id: str, version: int) -> bool:
        return await self.session.get(ResolutionRow, (tenant_id, post_id, version)) is not None

    async def add(
        self, tenant_id: str, post_id: str, version: int, total: int, batch_count: int, now: datetime
    ) -> None:
        self.session.add(
            ResolutionRow(
                tenant_id=tenant_id,
                post_id=post_id,
                version=version,
                total=total,
                batch_count=batch_count,
                resolved_at=now,
            )
        )
        # Flushed at once: a concurrent resolution of the same version fails
        # here (unique key) before writing any event, and its retry sees ours.
        await self.session.flush()
