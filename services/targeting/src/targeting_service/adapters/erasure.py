"""What erasing a person removes beyond their directory rows: the SCIM
resources that hold or name them (their User, with e-mail and name; the
Groups listing them as a member, whose entry may carry their name; their
reports' Users naming them as manager) and their consent records. Runs in
the erasure's transaction (DirectoryRepository.erase), before the
memberships it finds the Groups through are deleted."""

from __future__ import annotations

from typing import Any

from chorus_core.clock import utcnow
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from targeting_service.adapters.consent_records import ConsentRepository
from targeting_service.adapters.directory_tables import GroupMemberRow, ScimResourceRow
from targeting_service.adapters.tables import EmployeeRow
from targeting_service.domain.scim_projection import (
    ENTERPRISE,
    new_version,
    without_manager,
    without_member,
)


async def erase_scim_and_consent(session: AsyncSession, tenant_id: str, employee_id: str) -> None:
    await _drop_from_groups(session, tenant_id, employee_id)
    await _drop_as_manager(session, tenant_id, employee_id)
    await session.execute(
        delete(ScimResourceRow).where(
            col(ScimResourceRow.tenant_id) == tenant_id,
            col(ScimResourceRow.resource_type) == "User",
            col(ScimResourceRow.resource_id) == employee_id,
        )
    )
    await ConsentRepository(session).forget(tenant_id, employee_id)


async def _resources(
    session: AsyncSession, tenant_id: str, resource_type: str, ids: list[str]
) -> list[ScimResourceRow]:
    if not ids:
        return []
    query = select(ScimResourceRow).where(
        col(ScimResourceRow.tenant_id) == tenant_id,
        col(ScimResourceRow.resource_type) == resource_type,
        col(ScimResourceRow.resource_id).in_(ids),
    )
    return list((await session.execute(query)).scalars())


def _rewrite(row: ScimResourceRow, data: dict[str, Any]) -> None:
    """A changed resource is a new version: an identity provider holding the
    old ETag must read it again before its next conditional write."""
    now = utcnow()
    meta = dict(data.get("meta") or {})
    meta["version"] = new_version()
    meta["lastModified"] = now.isoformat().replace("+00:00", "Z")  # as scim2 writes it
    # A new object, so the JSON column sees the change.
    row.data, row.updated_at = {**data, "meta": meta}, now


async def _drop_from_groups(session: AsyncSession, tenant_id: str, employee_id: str) -> None:
    """Every Group's members are directory people (scim_storage refuses any
    other), so the person's memberships name every Group that lists them;
    once out of them, a later PATCH of such a Group is not refused for
    naming an unknown member."""
    query = select(col(GroupMemberRow.group_id)).where(
        col(GroupMemberRow.tenant_id) == tenant_id,
        col(GroupMemberRow.employee_id) == employee_id,
    )
    group_ids = list((await session.execute(query)).scalars())
    for row in await _resources(session, tenant_id, "Group", group_ids):
        _rewrite(row, without_member(row.data, employee_id))


async def _drop_as_manager(session: AsyncSession, tenant_id: str, employee_id: str) -> None:
    """Their reports' SCIM Users name them as manager (by id, often with
    their displayName); the projection copied that id to the reports' rows."""
    person = await session.get(EmployeeRow, (tenant_id, employee_id))
    names = {employee_id} | ({person.external_id} if person is not None else set())
    query = select(col(EmployeeRow.employee_id)).where(
        col(EmployeeRow.tenant_id) == tenant_id,
        col(EmployeeRow.manager).in_(sorted(names)),
    )
    reports = list((await session.execute(query)).scalars())
    for row in await _resources(session, tenant_id, "User", reports):
        manager = (row.data.get(ENTERPRISE) or {}).get("manager")
        if isinstance(manager, dict) and str(manager.get("value") or "") in names:
            _rewrite(row, without_manager(row.data))
    if reports:
        await session.execute(
            update(EmployeeRow)
            .where(
                col(EmployeeRow.tenant_id) == tenant_id,
                col(EmployeeRow.employee_id).in_(reports),
            )
            .values(manager="")
        )
