"""scim2-server storage over the targeting database, one tenant per request.

Reads go to SQL: a get is one row by primary key; a search translates the
SCIM filter (adapters.scim_filter_sql), counts and pages in the database, so
a 100,000-person directory is never loaded to answer a provisioning request.
Writes run scim2-server's reference InMemoryStorage semantics (uniqueness,
versions, meta) over only the rows they can touch: the resource itself and
the ones holding the same userName. Each write is persisted with its
directory projection (employee row, group and memberships) in one transaction.

A search whose filter or sortBy the translation does not cover (or a cursor,
or several resource types at once) falls back, for that request only, to
loading the tenant's resources of those types and running the reference
in-memory search: slow but exact, where refusing with 400 invalidFilter
would reject a valid RFC filter. Each fallback is logged with its reason.
"""

from __future__ import annotations

import contextvars
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from chorus_core.clock import utcnow
from chorus_db import Database
from chorus_messaging import Outbox
from scim2_models import (
    InvalidValueException,
    Resource,
    ResourceType,
    ResponseParameters,
    ScimProvider,
    SearchRequest,
    UniquenessException,
    User,
)
from scim2_server.memory import InMemoryStorage
from scim2_server.storage import AsyncScimStorage, SearchPage
from sqlalchemy import ColumnElement, delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from targeting_service.adapters.directory_repository import DirectoryRepository
from targeting_service.adapters.directory_tables import GroupMemberRow, GroupRow, ScimResourceRow
from targeting_service.adapters.events import OutboxEmployeeEvents
from targeting_service.adapters.repository import COPIED_FIELDS, to_column
from targeting_service.adapters.scim_filter_sql import Untranslatable
from targeting_service.adapters.scim_search import sql_search
from targeting_service.adapters.tables import EmployeeRow
from targeting_service.app.participation import announce
from targeting_service.domain.employees import ERASED, employee_id_for
from targeting_service.domain.participation import Standing
from targeting_service.domain.scim_projection import (
    employee_from_scim,
    group_members,
    new_version,
)

log = logging.getLogger(__name__)
current_tenant: contextvars.ContextVar[str] = contextvars.ContextVar("scim_tenant")
# Set by the import and the app, never by the identity provider.
_KEPT_ON_UPDATE = frozenset(
    {
        "opted_in",
        "auto_share",
        "consent",
        "opt_in_source",
        "sharing_networks",
        "max_shares_per_day",
        "sharing_hours",
        "hire_date",
    }
)


def _standing(row: EmployeeRow) -> Standing:
    return Standing(row.active, row.opted_in, row.consent)


class _Memory(InMemoryStorage):
    def __init__(self, tenant_id: str) -> None:
        super().__init__()
        self.tenant_id = tenant_id

    def generate_id(self, resource_type: ResourceType, resource: Resource[Any]) -> str:
        if resource_type.name == "User":
            # The same id an HR import gives the person (external id = SCIM
            # externalId, or userName): both sources describe one employee.
            data = resource.model_dump(mode="json")
            return employee_id_for(
                self.tenant_id, str(data.get("externalId") or data.get("userName"))
            )
        return uuid.uuid4().hex

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        # A derived id can be taken: the same externalId/userName again.
        resource_id = self.generate_id(resource_type, resource)
        if any(r.id == resource_id for r in self._resources.get(resource_type.name, {}).values()):
            raise UniquenessException(
                detail=f"a {resource_type.name} with this externalId/userName exists"
            )
        return super().create(resource_type, resource)

    def next_version(self) -> str:
        return new_version()


class DatabaseScimStorage(AsyncScimStorage):
    def __init__(self, db: Database, provider: ScimProvider, region: str, outbox: Outbox) -> None:
        self.db = db
        self.provider = provider
        self.region = region
        self.events = OutboxEmployeeEvents(outbox)

    async def _memory(
        self,
        session: AsyncSession,
        names: list[str],
        *,
        ids: list[str] | None = None,
        user_name: str | None = None,
    ) -> _Memory:
        """The tenant's resources of these types; with ids/user_name, only
        the rows with those ids or that userName (compared as RFC 7643's
        caseExact=false says), which is all a write's checks can touch."""
        tenant_id = current_tenant.get()
        query = select(ScimResourceRow).where(
            col(ScimResourceRow.tenant_id) == tenant_id,
            col(ScimResourceRow.resource_type).in_(names),
        )
        if ids is not None:
            wanted: list[ColumnElement[bool]] = [col(ScimResourceRow.resource_id).in_(ids)]
            if user_name and "User" in names:
                wanted.append(
                    func.lower(col(ScimResourceRow.data)["userName"].as_string())
                    == user_name.lower()
                )
            query = query.where(or_(*wanted))
        rows = (await session.execute(query)).scalars().all()
        memory = _Memory(tenant_id)
        memory.resources = [self._model(row) for row in rows]
        return memory

    def _model(self, row: ScimResourceRow) -> Resource[Any]:
        model = self.provider.model_for(row.resource_type)
        # Rows hold only the provider's own resource types.
        assert model is not None and issubclass(model, Resource)
        return model.model_validate(row.data)

    async def get(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        response_parameters: ResponseParameters[Any] | None = None,
    ) -> Resource[Any]:
        async with self.db.session() as session:
            row = await session.get(
                ScimResourceRow, (current_tenant.get(), resource_type.name, resource_id)
            )
            if row is None:
                return _Memory("").get(resource_type, resource_id)  # the reference NotFound
            return (await self._published(session, [row]))[0]

    async def search(
        self,
        resource_types: list[ResourceType],
        search_request: SearchRequest[Any],
        *,
        position: Any = None,
    ) -> SearchPage:
        async with self.db.session() as session:
            try:
                total, rows = await sql_search(
                    session,
                    current_tenant.get(),
                    resource_types,
                    search_request,
                    dialect=self.db.engine.dialect.name,
                )
                return SearchPage(total, await self._published(session, rows))
            except Untranslatable as reason:
                # The filter is still valid SCIM: answer it exactly, slowly.
                log.info("SCIM search in memory", extra={"chorus": {"reason": str(reason)}})
            memory = await self._memory(session, [_name(rt) for rt in resource_types])
            page = memory.search(resource_types, search_request, position=position)
            groups = await self._groups_of(
                session, [str(r.id) for r in page.resources if isinstance(r, User)]
            )
            page.resources = [self._with_groups(r, groups) for r in page.resources]
            return page

    async def _published(
        self, session: AsyncSession, rows: Sequence[ScimResourceRow]
    ) -> list[Resource[Any]]:
        """The models of these rows, Users with their read-only `groups`."""
        users = [row.resource_id for row in rows if row.resource_type == "User"]
        groups = await self._groups_of(session, users)
        return [
            self._with_groups(self._model(row), groups)
            if row.resource_type == "User"
            else self._model(row)
            for row in rows
        ]

    async def _groups_of(
        self, session: AsyncSession, user_ids: list[str]
    ) -> dict[str, list[dict[str, str]]]:
        """RFC 7643 §4.1.2: a User's groups are read-only, computed from the
        Groups' members (the members table, which every Group write keeps)."""
        found: dict[str, list[dict[str, str]]] = {}
        if not user_ids:
            return found
        query = (
            select(
                col(GroupMemberRow.employee_id), col(GroupRow.group_id), col(GroupRow.display_name)
            )
            .join(
                GroupRow,
                (col(GroupRow.tenant_id) == col(GroupMemberRow.tenant_id))
                & (col(GroupRow.group_id) == col(GroupMemberRow.group_id)),
            )
            .where(
                col(GroupMemberRow.tenant_id) == current_tenant.get(),
                col(GroupMemberRow.employee_id).in_(user_ids),
            )
            .order_by(col(GroupRow.display_name))
        )
        for user_id, group_id, name in (await session.execute(query)).all():
            # "$ref" relative to the SCIM root: scim2-server publishes it as a URL.
            found.setdefault(user_id, []).append(
                {"value": group_id, "display": name, "$ref": f"Groups/{group_id}", "type": "direct"}
            )
        return found

    def _with_groups(
        self, resource: Resource[Any], groups: dict[str, list[dict[str, str]]]
    ) -> Resource[Any]:
        data = resource.model_dump(mode="json")
        data.pop("groups", None)
        if groups.get(str(resource.id)):
            data["groups"] = groups[str(resource.id)]
        return type(resource).model_validate(data)

    def _user_name(self, resource: Resource[Any]) -> str | None:
        value = resource.model_dump(mode="json").get("userName")
        return str(value) if value else None

    async def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        tenant_id = current_tenant.get()
        resource_id = _Memory(tenant_id).generate_id(resource_type, resource)
        async with self.db.transaction() as session:
            if resource_type.name == "User":
                await _refuse_erased(session, tenant_id, resource_id)
            memory = await self._memory(
                session,
                [_name(resource_type)],
                ids=[resource_id],
                user_name=self._user_name(resource),
            )
            stored = memory.create(resource_type, resource)
            await self._persist(session, resource_type, stored)
            return stored

    async def update(
        self,
        resource_type: ResourceType,
        resource: Resource[Any],
        *,
        expected_version: str | None = None,
    ) -> Resource[Any]:
        async with self.db.transaction() as session:
            memory = await self._memory(
                session,
                [_name(resource_type)],
                ids=[str(resource.id)],
                user_name=self._user_name(resource),
            )
            stored = memory.update(resource_type, resource, expected_version=expected_version)
            await self._persist(session, resource_type, stored)
            return stored

    async def delete(
        self, resource_type: ResourceType, resource_id: str, *, expected_version: str | None = None
    ) -> None:
        tenant_id = current_tenant.get()
        async with self.db.transaction() as session:
            (await self._memory(session, [_name(resource_type)], ids=[resource_id])).delete(
                resource_type, resource_id, expected_version=expected_version
            )
            await session.execute(
                delete(ScimResourceRow).where(
                    col(ScimResourceRow.tenant_id) == tenant_id,
                    col(ScimResourceRow.resource_type) == resource_type.name,
                    col(ScimResourceRow.resource_id) == resource_id,
                )
            )
            if resource_type.name == "Group":
                members = await self._members(session, tenant_id, resource_id)
                for table in (GroupMemberRow, GroupRow):
                    await session.execute(
                        delete(table).where(
                            col(table.tenant_id) == tenant_id, col(table.group_id) == resource_id
                        )
                    )
                await DirectoryRepository(session).refresh_group_names(tenant_id, members)
                return
            # Deprovisioned by the IdP: the person left; erasure is a separate, explicit act.
            row = await session.get(EmployeeRow, (tenant_id, resource_id))
            if row is not None and row.active:
                before = _standing(row)
                row.active, row.employment_status, row.updated_at = False, "inactive", utcnow()
                announce(
                    self.events, session, tenant_id, resource_id, before, _standing(row), utcnow()
                )

    async def _persist(
        self, session: AsyncSession, resource_type: ResourceType, stored: Resource[Any]
    ) -> None:
        tenant_id = current_tenant.get()
        data = stored.model_dump(mode="json")
        key = (tenant_id, resource_type.name, str(stored.id))
        row = await session.get(ScimResourceRow, key)
        if row is None:
            session.add(
                ScimResourceRow(
                    tenant_id=tenant_id,
                    resource_type=_name(resource_type),
                    resource_id=str(stored.id),
                    data=data,
                    updated_at=utcnow(),
                )
            )
        else:
            row.data, row.updated_at = data, utcnow()
        if resource_type.name == "User":
            await self._project_user(session, tenant_id, data)
        elif resource_type.name == "Group":
            await self._project_group(session, tenant_id, data)
        await session.flush()

    async def _project_user(
        self, session: AsyncSession, tenant_id: str, data: dict[str, Any]
    ) -> None:
        employee = employee_from_scim(tenant_id, self.region, data)
        row = await session.get(EmployeeRow, (tenant_id, employee.employee_id))
        now = utcnow()
        if row is None:
            values = {name: to_column(name, getattr(employee, name)) for name in COPIED_FIELDS}
            await session.execute(
                insert(EmployeeRow),
                [
                    {
                        **values,
                        "tenant_id": tenant_id,
                        "employee_id": employee.employee_id,
                        "updated_at": now,
                    }
                ],
            )
            # A Group may have listed this id before the User existed.
            await DirectoryRepository(session).refresh_group_names(
                tenant_id, [employee.employee_id]
            )
            return
        before = _standing(row)
        for name in COPIED_FIELDS:
            if name not in _KEPT_ON_UPDATE:
                setattr(row, name, to_column(name, getattr(employee, name)))
        row.updated_at = now
        # The IdP changes only `active` of the three (the others are kept).
        announce(self.events, session, tenant_id, row.employee_id, before, _standing(row), now)

    async def _project_group(
        self, session: AsyncSession, tenant_id: str, data: dict[str, Any]
    ) -> None:
        group_id, name = str(data["id"]), str(data.get("displayName") or "")[:200]
        members = group_members(data)
        known = await DirectoryRepository(session).existing(tenant_id, members)
        unknown = sorted(set(members) - known)
        if unknown:
            # Out of the write's transaction, which rolls back: the Group is
            # stored neither in the resource table nor in the directory.
            raise InvalidValueException(
                detail=f"members: no user with id {', '.join(unknown)} in this directory",
                attribute="members",
            )
        taken = (
            await session.execute(
                select(col(GroupRow.group_id)).where(
                    col(GroupRow.tenant_id) == tenant_id, col(GroupRow.display_name) == name
                )
            )
        ).scalar_one_or_none()
        if taken is not None and taken != group_id:
            raise UniquenessException(
                detail=f"a group named {name!r} already exists in the directory"
            )
        row = await session.get(GroupRow, (tenant_id, group_id))
        if row is None:
            session.add(
                GroupRow(
                    tenant_id=tenant_id,
                    group_id=group_id,
                    display_name=name,
                    external_id=str(data.get("externalId") or "")[:200],
                    updated_at=utcnow(),
                )
            )
        else:
            row.display_name, row.updated_at = name, utcnow()
        before = await self._members(session, tenant_id, group_id)
        await session.execute(
            delete(GroupMemberRow).where(
                col(GroupMemberRow.tenant_id) == tenant_id, col(GroupMemberRow.group_id) == group_id
            )
        )
        if members:
            await session.execute(
                insert(GroupMemberRow),
                [{"tenant_id": tenant_id, "group_id": group_id, "employee_id": m} for m in members],
            )
        # Those who left, joined or stayed (the name may have changed).
        await DirectoryRepository(session).refresh_group_names(tenant_id, [*before, *members])

    async def _members(self, session: AsyncSession, tenant_id: str, group_id: str) -> list[str]:
        query = select(col(GroupMemberRow.employee_id)).where(
            col(GroupMemberRow.tenant_id) == tenant_id, col(GroupMemberRow.group_id) == group_id
        )
        return list((await session.execute(query)).scalars())


async def _refuse_erased(session: AsyncSession, tenant_id: str, employee_id: str) -> None:
    """An erased person is never provisioned again, by SCIM as by the import:
    the same tombstone check (DirectoryRepository.erased) refuses both.

    409 uniqueness rather than 400 invalidValue: RFC 7644 §3.3 answers a POST
    that "conflicts with existing resources" (its example: a duplicate
    userName) with 409 and scimType "uniqueness", and the User's id, derived
    from its externalId/userName, is still held by the tombstone; the values
    themselves are well-formed, which invalidValue (§3.12) would deny. The
    detail names no value: the IdP knows whom it sent."""
    if await DirectoryRepository(session).erased(tenant_id, [employee_id]):
        raise UniquenessException(detail=ERASED)


def _name(resource_type: ResourceType) -> str:
    # scim2-models types the name as optional; every type the provider serves has one.
    assert resource_type.name is not None
    return resource_type.name
