"""Replacing one person's role grants from several requests at once.

Found by the schemathesis run (tests/e2e/test_gateway_schemathesis.py),
which sends an operation's requests a few at a time: on PostgreSQL two
concurrent PUT /v1/role-grants/{subject} both deleted the old rows and
inserted the same roles, and the second failed on the primary key (a 500,
the connection dropped). Now the later one replaces what the first
committed, as a PUT should: every request succeeds, the stored grants are
exactly one request's, and each change is audited once."""

from __future__ import annotations

import asyncio

from chorus_db import Database, migrate
from chorus_identity.principal import Grant, Role
from chorus_messaging import Outbox
from chorus_messaging.audit import OutboxAuditTrail
from chorus_messaging.tables import OutboxMessage
from chorus_testing.fixtures import DatabaseFactory
from gateway_service.adapters.migrations import SCHEMA
from gateway_service.adapters.sql_stores import SqlRoleGrants
from sqlmodel import select


async def test_concurrent_replacements_of_one_persons_grants_all_succeed(
    any_database: DatabaseFactory,
) -> None:
    db: Database = await any_database()
    await migrate(db, SCHEMA)
    store = SqlRoleGrants(db, OutboxAuditTrail(Outbox("chorus/gateway@test")))
    wanted = [
        (Grant.of(Role.REVIEWER, steps=[f"step-{n}"]), Grant.of(Role.MODERATOR)) for n in range(8)
    ]

    await asyncio.gather(
        *(store.put("acme", "alice", grants, f"req-{n}") for n, grants in enumerate(wanted))
    )

    stored = await store.grants("acme", "alice")
    assert stored in {tuple(sorted(g, key=lambda grant: grant.role.value)) for g in wanted}
    async with db.session() as session:
        audited = (await session.execute(select(OutboxMessage))).scalars().all()
    assert len(audited) == len(wanted)  # one entry per change, none from a failed try
