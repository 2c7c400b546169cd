"""The tenant's audit log (app/audit.py: tenant admins only).

GET /v1/audit      entries newest first, filtered, cursor pages
GET /v1/audit.csv  the same filters, every matching entry as CSV
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from chorus_core.clock import as_utc
from fastapi import Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from gateway_service.app.audit import AuditEntry, AuditFilter, AuditLog, Position
from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.domain.problems import FieldError, bad_request
from gateway_service.entrypoints.deps import Caller, gateway
from gateway_service.entrypoints.pagination import Cursor, Limit, Page, page, page_token
from gateway_service.entrypoints.routing import router

api = router("/v1", ["audit"])
COLUMNS = (
    "occurred_at",
    "actor",
    "action",
    "target_type",
    "target_id",
    "summary",
    "request_id",
    "trace_id",
    "service",
    "audit_id",
)


def audit_log(request: Request) -> AuditLog:
    found = gateway(request).audit_log
    assert found is not None, "composition.build wires the audit log"
    return found


Log = Annotated[AuditLog, Depends(audit_log)]


def filters(
    action: Annotated[str, Query(max_length=100, description="e.g. charter.set")] = "",
    actor: Annotated[str, Query(max_length=300, description="user:<sub> or service:<name>")] = "",
    target_type: Annotated[str, Query(max_length=64)] = "",
    target_id: Annotated[str, Query(max_length=200)] = "",
    since: Annotated[datetime | None, Query(description="from this time (inclusive)")] = None,
    until: Annotated[datetime | None, Query(description="up to this time (exclusive)")] = None,
) -> AuditFilter:
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise bad_request(
                f"{name} needs a time zone", FieldError(f"query.{name}", "add Z or an offset")
            )
    return AuditFilter(action, actor, target_type, target_id, since, until)


Filters = Annotated[AuditFilter, Depends(filters)]


class AuditEntryJson(BaseModel):
    audit_id: str
    occurred_at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    summary: dict[str, Any]  # {"field": [before, after]}
    request_id: str
    trace_id: str
    service: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryJson:
        return cls(
            audit_id=entry.audit_id,
            occurred_at=entry.occurred_at,
            actor=entry.actor,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            summary=_summary(entry.summary),
            request_id=entry.request_id,
            trace_id=entry.trace_id,
            service=entry.service,
        )


def _summary(text: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _position(token: str) -> Position | None:
    if not token:
        return None
    at, _, audit_id = token.partition("|")
    return Position(as_utc(datetime.fromisoformat(at)), audit_id)


@api.get("/audit", summary="The tenant's audit log, newest first")
async def list_audit(
    request: Request,
    caller: Caller,
    log: Log,
    where: Filters,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[AuditEntryJson]:
    after = _position(page_token(request, caller, cursor))
    items, more = await log.page(caller.principal, where, after, limit)
    token = f"{more.occurred_at.isoformat()}|{more.audit_id}" if more else ""
    return page(request, caller, [AuditEntryJson.of(e) for e in items], token)


def _cell(value: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ (or a tab/CR) as a
    # formula: quote it, so an export opened in one cannot run anything.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _row(entry: AuditEntry) -> list[str]:
    values = {
        "occurred_at": entry.occurred_at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "summary": entry.summary,
        "request_id": entry.request_id,
        "trace_id": entry.trace_id,
        "service": entry.service,
        "audit_id": entry.audit_id,
    }
    return [_cell(values[c]) for c in COLUMNS]


async def _csv(entries: AsyncIterator[AuditEntry]) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    async for entry in entries:
        writer.writerow(_row(entry))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@api.get(
    "/audit.csv",
    summary="The tenant's audit log as CSV (same filters)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def export_audit(caller: Caller, log: Log, where: Filters) -> StreamingResponse:
    entries = await log.export(caller.principal, where)
    return StreamingResponse(
        _csv(entries),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )
