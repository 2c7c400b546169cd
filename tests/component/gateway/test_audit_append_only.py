"""The audit log is append-only in the database itself (gateway_0002's
triggers), on PostgreSQL and on SQLite: a raw UPDATE or DELETE — what a
mistaken script or a compromised account would run — is refused and the
entry stays as it was; the store offers nothing but append and read."""

from __future__ import annotations

import pytest
from chorus_core.clock import utcnow
from chorus_db import Database, migrate
from chorus_testing.fixtures import DatabaseFactory, create_pg_database
from gateway_service.adapters.audit_store import SqlAuditLog
from gateway_service.adapters.migrations import SCHEMA
from gateway_service.app.audit import AuditEntry, AuditFilter
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

ENTRY = AuditEntry(
    audit_id="01900000-0000-7000-8000-000000000001",
    tenant_id="acme",
    actor="user:alice-sub",
    action="charter.set",
    target_type="charter",
    target_id="acme",
    summary='{"version":[1,2]}',
    request_id="req-1",
    trace_id="",
    service="content",
    occurred_at=utcnow(),
)


async def stored(db: Database) -> list[AuditEntry]:
    async with db.session() as session:
        return await SqlAuditLog(session).page("acme", AuditFilter(), None, 10)


@pytest.fixture
async def db(any_database: DatabaseFactory) -> Database:
    found = await any_database()
    await migrate(found, SCHEMA)
    async with found.transaction() as session:
        assert await SqlAuditLog(session).append(ENTRY)
    return found


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE gateway_audit_log SET action = 'nothing.happened'",
        "UPDATE gateway_audit_log SET summary = '{}' WHERE audit_id = :id",
        "DELETE FROM gateway_audit_log WHERE audit_id = :id",
        "DELETE FROM gateway_audit_log",
    ],
)
async def test_raw_updates_and_deletes_are_refused(db: Database, statement: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.transaction() as session:
            await session.execute(text(statement), {"id": ENTRY.audit_id})
    assert await stored(db) == [ENTRY]


async def test_truncate_is_refused_on_postgresql(pg_admin_url: str) -> None:
    # SQLite has no TRUNCATE (its DELETE without WHERE is refused above).
    db = Database(await create_pg_database(pg_admin_url))
    try:
        await migrate(db, SCHEMA)
        async with db.transaction() as session:
            await SqlAuditLog(session).append(ENTRY)
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.transaction() as session:
                await session.execute(text("TRUNCATE gateway_audit_log"))
        assert await stored(db) == [ENTRY]
    finally:
        await db.dispose()


async def test_appending_goes_on_and_a_duplicate_is_kept_once(db: Database) -> None:
    second = AuditEntry(**{**ENTRY.__dict__, "audit_id": "01900000-0000-7000-8000-000000000002"})
    async with db.transaction() as session:
        log = SqlAuditLog(session)
        assert await log.append(second)
        assert not await log.append(ENTRY)
    assert {e.audit_id for e in await stored(db)} == {ENTRY.audit_id, second.audit_id}
    # The store's whole surface: append and read.
    public = {n for n in vars(SqlAuditLog) if not n.startswith("_")}
    assert public == {"append", "page", "on"}
