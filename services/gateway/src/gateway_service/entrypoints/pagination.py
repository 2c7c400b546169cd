"""Cursor pagination for list endpoints.

`?limit=` (1..200, default 50) and `?cursor=` (opaque) in, `{"items": [...],
"next": "<url of the next page>" | null}` out. The cursor wraps the
service's page token, signed and bound to the route, the caller's tenant
and the list's other query parameters (domain/cursor.py): a cursor of one
list, filter or tenant is refused by any other (400 naming `query.cursor`).
"""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Query, Request
from pydantic import BaseModel

from gateway_service.app.auth import Session
from gateway_service.domain.cursor import DEFAULT_LIMIT, MAX_LIMIT, CursorScope
from gateway_service.entrypoints.deps import gateway

T = TypeVar("T")
_PAGING = ("cursor", "limit")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
Cursor = Annotated[
    str | None,
    Query(max_length=4096, description="The `next` cursor of the previous page"),
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = None  # the URL of the next page; null on the last one


def _scope(request: Request, caller: Session) -> CursorScope:
    route = request.scope.get("route")
    template = getattr(route, "path", request.url.path)
    filters = urlencode(
        sorted((k, v) for k, v in request.query_params.multi_items() if k not in _PAGING)
    )
    return CursorScope(template, caller.principal.tenant_id, filters)


def page_token(request: Request, caller: Session, cursor: str | None) -> str:
    """The service page token of `cursor` ("" for the first page)."""
    if not cursor:
        return ""
    return gateway(request).cursors.decode(cursor, _scope(request, caller))


def page(request: Request, caller: Session, items: list[T], next_token: str) -> Page[T]:
    if not next_token:
        return Page[T](items=items)
    cursor = gateway(request).cursors.encode(next_token, _scope(request, caller))
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    query.append(("cursor", cursor))
    return Page[T](items=items, next=f"{request.url.path}?{urlencode(query)}")


__all__ = ["DEFAULT_LIMIT", "Cursor", "Limit", "Page", "page", "page_token"]
