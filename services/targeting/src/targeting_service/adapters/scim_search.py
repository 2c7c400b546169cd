"""A SCIM list/search answered by the database: the translated filter, a
COUNT over the same WHERE for totalResults, and one page in the order
scim2-server's reference storage gives (sort value with missing values last,
then the resource id; all reversed when descending), so results do not
depend on which path served the request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scim2_models import ResourceType, SearchRequest
from sqlalchemy import Select, String, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from targeting_service.adapters.directory_tables import ScimResourceRow
from targeting_service.adapters.scim_filter_sql import FilterTranslator, Untranslatable, sort_column

__all__ = ["sql_search"]


def _binary(column: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    # Python orders strings by code point; PostgreSQL's default collation
    # does not. SQLite's default (BINARY) already does.
    return column.collate("C") if dialect == "postgresql" else column


def _where(
    tenant_id: str, resource_type: str, search_request: SearchRequest[Any], dialect: str
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [
        col(ScimResourceRow.tenant_id) == tenant_id,
        col(ScimResourceRow.resource_type) == resource_type,
    ]
    if search_request.filter is not None:
        clauses.append(FilterTranslator(resource_type, dialect).where(search_request.filter.ast))
    return clauses


def _ordered(
    query: Select[Any], resource_type: str, search_request: SearchRequest[Any], dialect: str
) -> Select[Any]:
    descending = (
        search_request.sort_by is not None
        and search_request.sort_order == SearchRequest.SortOrder.descending
    )
    sort = sort_column(
        resource_type, str(search_request.sort_by) if search_request.sort_by else None
    )
    keys: list[ColumnElement[Any] | Mapped[Any]] = []
    if sort is not None:
        column = sort[0]
        keys += [column.is_(None), _binary(func.coalesce(column, ""), dialect)]
    keys.append(
        _binary(func.cast(col(ScimResourceRow.resource_id), String), dialect)
        if dialect == "postgresql"
        else col(ScimResourceRow.resource_id)
    )
    return query.order_by(*(key.desc() if descending else key.asc() for key in keys))


async def sql_search(
    session: AsyncSession,
    tenant_id: str,
    resource_types: list[ResourceType],
    search_request: SearchRequest[Any],
    *,
    dialect: str,
) -> tuple[int, Sequence[ScimResourceRow]]:
    """(totalResults, the page's rows); Untranslatable when only the
    in-memory reference can answer exactly."""
    if len(resource_types) != 1:
        raise Untranslatable("a search over several resource types")
    if search_request.cursor is not None:
        raise Untranslatable("cursor pagination")
    name = str(resource_types[0].name)
    where = _where(tenant_id, name, search_request, dialect)
    query = _ordered(select(ScimResourceRow).where(*where), name, search_request, dialect)
    total = (
        await session.execute(
            select(func.count(literal_column("1"))).select_from(ScimResourceRow).where(*where)
        )
    ).scalar_one()
    start = search_request.start_index_0 or 0
    if search_request.count is not None:
        if search_request.count == 0:
            return int(total), []
        query = query.limit(search_request.count)
    if start:
        query = query.offset(start)
    return int(total), (await session.execute(query)).scalars().all()
