"""Tenant settings saved by several requests at once.

Found by the schemathesis run (tests/e2e/test_gateway_schemathesis.py),
which sends an operation's requests a few at a time: on PostgreSQL,
concurrent PUT /v1/charter, PUT /v1/approval-chains/{kind} and
PUT /v1/feed-allowed-hosts through the gateway were 502s. Content read the
current state (the charter's latest version, whether the row exists) in
each transaction, and both writers then inserted the same key. Each save
now holds a lock for its tenant's setting (chorus_db.exclusive) until it
commits: every save succeeds, the charter gets one version per save.
(On PostgreSQL, where the race was: chorus_db.exclusive is PostgreSQL's.)"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from chorus_core.clock import utcnow
from chorus_db import Database, migrate
from chorus_testing.fixtures import create_pg_database
from chorus_testing.infra import required_env
from content_service.adapters.charters import ChainRepository, CharterRepository
from content_service.adapters.feed_repository import FeedRepository
from content_service.adapters.migrations import SCHEMA
from content_service.domain.charter import Charter
from sqlalchemy.ext.asyncio import AsyncSession

SAVES = 6


async def _at_once(db: Database, save: Callable[[AsyncSession, int], Awaitable[object]]) -> None:
    async def one(n: int) -> None:
        async with db.transaction() as session:
            await save(session, n)

    await asyncio.gather(*(one(n) for n in range(SAVES)))


@pytest.fixture
async def db() -> AsyncIterator[Database]:
    database = Database(await create_pg_database(required_env("CHORUS_PG_URL")))
    await migrate(database, SCHEMA)
    yield database
    await database.dispose()


async def test_concurrent_saves_of_a_tenants_settings_all_succeed(db: Database) -> None:
    await _at_once(
        db,
        lambda s, n: CharterRepository(s).save("acme", Charter((f"phrase {n}",)), utcnow()),
    )
    await _at_once(db, lambda s, n: ChainRepository(s).save("acme", "job_offer", (f"step{n}",)))
    await _at_once(db, lambda s, n: FeedRepository(s).set_allowed_hosts("acme", [f"h{n}.example"]))

    async with db.session() as session:
        charters = CharterRepository(session)
        assert await charters.current_version("acme") == SAVES
        phrases = {(await charters.get("acme", v)).blocked_phrases for v in range(1, SAVES + 1)}
        assert phrases == {(f"phrase {n}",) for n in range(SAVES)}  # none lost
        assert len(await ChainRepository(session).steps("acme", "job_offer")) == 1
        assert len(await FeedRepository(session).allowed_hosts("acme")) == 1
