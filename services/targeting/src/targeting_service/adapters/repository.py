"""The directory and resolutions in the service's own database (tenant-scoped)."""

from __future__ import annotations

import builtins
from collections import Counter
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from chorus_core.clock import as_utc
from chorus_core.errors import NotFound
from sqlalchemy import false, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select
from sqlmodel import col

from targeting_service.adapters.bulk import upsert_rows
from targeting_service.adapters.directory_tables import ChannelSubscriptionRow
from targeting_service.adapters.segment_sql import compile_segment
from targeting_service.adapters.tables import AudienceRoundRow, EmployeeRow, ResolutionRow
from targeting_service.domain.audience import AudienceCounts, AudiencePreview, AudienceRule, Member
from targeting_service.domain.employees import Employee

# Employee fields kept under the same name in the employees table (also what
# SCIM storage writes).
COPIED_FIELDS = (
    "external_id",
    "email",
    "display_name",
    "country",
    "language",
    "timezone",
    "department",
    "active",
    "opted_in",
    "auto_share",
    "home_region",
    "title",
    "manager",
    "employment_status",
    "hire_date",
    "consent",
    "opt_in_source",
    "sharing_networks",
    "max_shares_per_day",
    "sharing_hours",
    "subdivision",
)


def _to_domain(row: EmployeeRow) -> Employee:
    return Employee(
        employee_id=row.employee_id,
        tenant_id=row.tenant_id,
        **{name: _from_column(name, getattr(row, name)) for name in COPIED_FIELDS},
        opted_in_at=as_utc(row.opted_in_at) if row.opted_in_at else None,
    )


def _from_column(name: str, value: Any) -> Any:
    # JSON lists come back as lists; the domain holds tuples (hashable, frozen).
    # Any: the value is whatever the column of that name holds.
    return tuple(value) if name == "sharing_networks" else value


def to_column(name: str, value: Any) -> Any:
    return list(value) if name == "sharing_networks" else value


def _audience_filter(query: Select, tenant_id: str, rule: AudienceRule) -> Select:
    query = query.where(
        col(EmployeeRow.tenant_id) == tenant_id,
        col(EmployeeRow.home_region) == rule.region,
        col(EmployeeRow.active).is_(True),
        col(EmployeeRow.opted_in).is_(True),
    )
    if rule.countries:
        query = query.where(col(EmployeeRow.country).in_(rule.countries))
    if rule.departments:
        query = query.where(col(EmployeeRow.department).in_(rule.departments))
    # Consent to be represented; rows from before 0002 default to consent.
    query = query.where(col(EmployeeRow.consent).is_(True))
    if rule.segment is not None:
        query = query.where(compile_segment(tenant_id, rule.segment))
    if rule.channels is not None and not rule.channels.everyone:
        if not rule.channels.channel_ids:
            return query.where(false())
        subscribers = select(col(ChannelSubscriptionRow.employee_id)).where(
            col(ChannelSubscriptionRow.tenant_id) == tenant_id,
            col(ChannelSubscriptionRow.channel_id).in_(rule.channels.channel_ids),
        )
        query = query.where(col(EmployeeRow.employee_id).in_(subscribers))
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
        columns = [
            getattr(EmployeeRow, name) for name in ("employee_id", "tenant_id", *COPIED_FIELDS)
        ]
        query = select(*columns).where(
            col(EmployeeRow.tenant_id) == tenant_id,
            col(EmployeeRow.external_id).in_([e.external_id for e in employees]),
        )
        known = {
            row.external_id: Employee(**{k: _from_column(k, v) for k, v in row._mapping.items()})
            for row in (await self.session.execute(query)).all()
        }
        new_rows: list[dict[str, object]] = []
        changed_rows: list[dict[str, object]] = []
        for employee in employees:
            values: dict[str, object] = {
                name: to_column(name, getattr(employee, name)) for name in COPIED_FIELDS
            }
            values.update(tenant_id=tenant_id, updated_at=now)
            before = known.get(employee.external_id)
            if before is None:
                opted_at = now if employee.opted_in else None
                new_rows.append(
                    {**values, "employee_id": employee.employee_id, "opted_in_at": opted_at}
                )
            elif replace(employee, employee_id=before.employee_id) != before:
                # The id on record is kept: ids never change once assigned.
                if employee.opted_in != before.opted_in:
                    values["opted_in_at"] = now if employee.opted_in else None
                changed_rows.append({**values, "employee_id": before.employee_id})
        await upsert_rows(
            self.session, EmployeeRow, ("tenant_id", "employee_id"), [*new_rows, *changed_rows]
        )
        return len(new_rows), len(changed_rows)

    async def write(
        self,
        employees: Sequence[Employee],
        changes: dict[str, list[str]],
        now: datetime,
        networks: Mapping[str, str] | None = None,
        group_names: Mapping[str, str] | None = None,
    ) -> tuple[int, int]:
        """upsert() for a chunk whose changes changed_fields() already computed
        (saves the second SELECT): one multi-row INSERT ... ON CONFLICT DO
        UPDATE. Ids are stable per external id, so a known person's id is the
        one on record. `networks` ({employee id: "bluesky,x"}) is written in
        the same row when the export lists accounts, and `group_names`
        ({employee id: "|A|B|"}) when it lists groups."""
        networks = networks or {}
        group_names = group_names or {}
        rows: list[dict[str, object]] = []
        created = 0
        for employee in employees:
            names = changes.get(employee.external_id)
            if not names:
                continue
            values: dict[str, object] = {
                name: to_column(name, getattr(employee, name)) for name in COPIED_FIELDS
            }
            values.update(
                tenant_id=employee.tenant_id, employee_id=employee.employee_id, updated_at=now
            )
            if employee.employee_id in networks:
                values["networks"] = networks[employee.employee_id]
            if employee.employee_id in group_names:
                values["group_names"] = group_names[employee.employee_id]
            if names == ["*"]:
                created += 1
                values.setdefault("networks", "")
                values.setdefault("group_names", "")
                values["opted_in_at"] = now if employee.opted_in else None
            elif "opted_in" in names:
                values["opted_in_at"] = now if employee.opted_in else None
            rows.append(values)
        await upsert_rows(self.session, EmployeeRow, ("tenant_id", "employee_id"), rows)
        return created, len(rows) - created

    async def get(self, tenant_id: str, employee_id: str) -> Employee:
        row = await self.session.get(EmployeeRow, (tenant_id, employee_id))
        if row is None:
            raise NotFound("employee", employee_id)
        return _to_domain(row)

    async def list(
        self, tenant_id: str, opted_in_only: bool, limit: int, after_id: str | None
    ) -> list[Employee]:
        query = select(EmployeeRow).where(col(EmployeeRow.tenant_id) == tenant_id)
        if opted_in_only:
            query = query.where(col(EmployeeRow.opted_in).is_(True))
        if after_id:
            query = query.where(col(EmployeeRow.employee_id) > after_id)
        query = query.order_by(col(EmployeeRow.employee_id)).limit(limit)
        return [_to_domain(r) for r in (await self.session.execute(query)).scalars()]

    async def audience_counts(self, tenant_id: str, rule: AudienceRule) -> AudienceCounts:
        """Counted by the database: one row per (country, language) group."""
        query = _audience_filter(
            select(col(EmployeeRow.country), col(EmployeeRow.language), func.count()),
            tenant_id,
            rule,
        ).group_by(col(EmployeeRow.country), col(EmployeeRow.language))
        groups = [(c, lang, int(n)) for c, lang, n in (await self.session.execute(query)).all()]
        return AudienceCounts.from_groups(groups)

    async def audience_preview(self, tenant_id: str, rule: AudienceRule) -> AudiencePreview:
        """One pass over the covering index (ix_targeting_employees_segment on
        SQLite, ix_targeting_employees_breakdown on PostgreSQL), grouped by
        (country, language, timezone, networks): a few hundred
        groups, whose counts are folded into the breakdowns (each person
        counts once per network they have an account on)."""
        query = _audience_filter(
            select(
                col(EmployeeRow.country),
                col(EmployeeRow.language),
                col(EmployeeRow.timezone),
                col(EmployeeRow.networks),
                func.count(),
            ),
            tenant_id,
            rule,
        ).group_by(
            col(EmployeeRow.country),
            col(EmployeeRow.language),
            col(EmployeeRow.timezone),
            col(EmployeeRow.networks),
        )
        groups: list[tuple[str, str, str, int]] = []
        by_network: Counter[str] = Counter()
        for country, language, timezone, networks, n in (await self.session.execute(query)).all():
            groups.append((country, language, timezone, int(n)))
            for network in networks.split(",") if networks else ():
                by_network[network] += int(n)
        return AudiencePreview.from_groups(groups, list(by_network.items()))

    async def audience_pages(
        self, tenant_id: str, rule: AudienceRule, size: int
    ) -> AsyncGenerator[builtins.list[Member], None]:
        """Every member in employee-id order, in pages of `size`, read from
        ONE streamed statement: the sub-queries of the rule (a group's member
        list, the channel subscribers) are built once per resolution, not
        once per page as a query per page would rebuild them."""
        query = _audience_filter(
            select(
                col(EmployeeRow.employee_id),
                col(EmployeeRow.language),
                col(EmployeeRow.timezone),
                col(EmployeeRow.country),
                col(EmployeeRow.auto_share),
                col(EmployeeRow.sharing_hours),
                col(EmployeeRow.max_shares_per_day),
                col(EmployeeRow.home_region),
                col(EmployeeRow.subdivision),
            ),
            tenant_id,
            rule,
        ).order_by(col(EmployeeRow.employee_id))
        result = await self.session.stream(query.execution_options(yield_per=size))
        try:
            async for partition in result.partitions(size):
                yield [Member(*row) for row in partition]
        finally:
            await result.close()


class ResolutionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def exists(self, tenant_id: str, post_id: str, version: int, round: str = "") -> bool:
        if round:
            key = (tenant_id, post_id, version, round)
            return await self.session.get(AudienceRoundRow, key) is not None
        return await self.session.get(ResolutionRow, (tenant_id, post_id, version)) is not None

    async def add(
        self,
        tenant_id: str,
        post_id: str,
        version: int,
        total: int,
        batch_count: int,
        now: datetime,
        *,
        segment_id: str = "",
        segment_version: int = 0,
        channel_ids: Sequence[str] = (),
        round: str = "",
    ) -> None:
        if round:
            self.session.add(
                AudienceRoundRow(
                    tenant_id=tenant_id,
                    post_id=post_id,
                    version=version,
                    round=round,
                    total=total,
                    batch_count=batch_count,
                    resolved_at=now,
                    segment_id=segment_id,
                    segment_version=segment_version,
                )
            )
            await self.session.flush()  # as below: a concurrent twin fails here
            return
        self.session.add(
            ResolutionRow(
                tenant_id=tenant_id,
                post_id=post_id,
                version=version,
                total=total,
                batch_count=batch_count,
                resolved_at=now,
                segment_id=segment_id,
                segment_version=segment_version,
                channel_ids=list(channel_ids),
            )
        )
        # Flushed at once: a concurrent resolution of the same version fails
        # here (unique key) before writing any event, and its retry sees ours.
        await self.session.flush()


async def changed_fields(
    session: AsyncSession,
    employees: Sequence[Employee],
    networks: Mapping[str, str] | None = None,
    group_names: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """{external id: names of the columns an upsert would change} ("*" = new).
    Used by the dry run and to notice opt-outs; one SELECT per chunk.
    `networks` ({employee id: "bluesky,x"}, for the people whose accounts the
    export lists) adds "networks" where the accounts changed; `group_names`
    ({employee id: "|A|B|"}) adds "group_names" where the groups changed."""
    if not employees:
        return {}
    networks = networks or {}
    group_names = group_names or {}
    tenant_id = employees[0].tenant_id
    columns = [
        getattr(EmployeeRow, name)
        for name in ("employee_id", "tenant_id", "networks", "group_names", *COPIED_FIELDS)
    ]
    query = select(*columns).where(
        col(EmployeeRow.tenant_id) == tenant_id,
        col(EmployeeRow.external_id).in_([e.external_id for e in employees]),
    )
    known = {row.external_id: row._mapping for row in (await session.execute(query)).all()}
    changes: dict[str, list[str]] = {}
    for employee in employees:
        before = known.get(employee.external_id)
        if before is None:
            changes[employee.external_id] = ["*"]
            continue
        names = [n for n in COPIED_FIELDS if _from_column(n, before[n]) != getattr(employee, n)]
        if (
            employee.employee_id in networks
            and networks[employee.employee_id] != before["networks"]
        ):
            names.append("networks")
        if (
            employee.employee_id in group_names
            and group_names[employee.employee_id] != before["group_names"]
        ):
            names.append("group_names")
        if names:
            changes[employee.external_id] = names
    return changes
