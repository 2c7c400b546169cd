"""Cursor pages over a list a service answers whole (channels, segments,
feeds, held translations, ...): the same `Page` and signed cursor as the
paged lists (pagination.py), the cursor wrapping an offset into the list.

The offset is ours (signed and bound to the route, tenant and filters), so
it is trusted as a number; a list that changed between pages shifts by what
changed, as any offset page does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from fastapi import Request

from gateway_service.app.auth import Session
from gateway_service.entrypoints.pagination import Page, page, page_token

T = TypeVar("T")


def offset_of(request: Request, caller: Session, cursor: str | None) -> int:
    """Where the page of `cursor` starts (0 for the first page)."""
    token = page_token(request, caller, cursor)
    return int(token) if token.isdigit() else 0


def sliced(
    request: Request, caller: Session, items: Sequence[T], limit: int, cursor: str | None
) -> Page[T]:
    start = offset_of(request, caller, cursor)
    end = start + limit
    following = str(end) if end < len(items) else ""
    return page(request, caller, list(items[start:end]), following)
