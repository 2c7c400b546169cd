"""Tenant settings saved by several requests at once.

Found by the schemathesis run (tests/e2e/test_gateway_schemathesis.py),
which sends an operation's requests a few at a time: on PostgreSQL,
concurrent PUT /v1/charter, PUT /v1/approval-chains/{kind} and
PUT /v1/feed-allowed-hosts through the gateway were 502s. Content read the
current state (the charter's latest version, whether the row exists) in
each transaction, and both writers then inserted the same key. Each save
now holds a lock for its tenant's setting (chorus_db.exclusive) until it
commits: every save succeeds, the charter gets one version per save.
The same held for targeting (the SCIM token's first issue, a channel's
managers, a subscription, a segment's next version, two directory imports
of one tenant), translation's language policy and the gateway's webhook
allow-list (delete-then-insert, or read-then-insert).
(On PostgreSQL, where the race was: chorus_db.exclusive is PostgreSQL's.)"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from chorus_core.clock import utcnow
from chorus_db import Database, migrate
from chorus_db.schema import Schema
from chorus_testing.fixtures import create_pg_database
from chorus_testing.identity import everything
from chorus_testing.infra import required_env
from content_service.adapters.charters import ChainRepository, CharterRepository
from content_service.adapters.feed_repository import FeedRepository
from content_service.adapters.migrations import SCHEMA
from content_service.domain.charter import Charter
from gateway_service.adapters.migrations import SCHEMA as GATEWAY_SCHEMA
from gateway_service.adapters.webhook_store import SqlWebhookStore
from sqlalchemy.ext.asyncio import AsyncSession
from targeting_service import composition as targeting
from targeting_service.adapters.migrations import SCHEMA as TARGETING_SCHEMA
from targeting_service.domain.employees import employee_id_for
from translation_service.adapters.migrations import SCHEMA as TRANSLATION_SCHEMA
from translation_service.adapters.policies import SqlPolicyStore
from translation_service.domain.policy import Action, LanguagePolicy, Rule

SAVES = 6


async def _at_once(db: Database, save: Callable[[AsyncSession, int], Awaitable[object]]) -> None:
    async def one(n: int) -> None:
        async with db.transaction() as session:
            await save(session, n)

    await asyncio.gather(*(one(n) for n in range(SAVES)))


async def _database(schema: Schema) -> Database:
    database = Database(await create_pg_database(required_env("CHORUS_PG_URL")))
    await migrate(database, schema)
    return database


@pytest.fixture
async def db() -> AsyncIterator[Database]:
    database = await _database(SCHEMA)
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


HEADER = "external_id,email,display_name,country,language,timezone,department,status,"
HEADER += "opted_in,auto_share,home_region\n"


def _directory(*external_ids: str) -> bytes:
    return (
        HEADER
        + "".join(
            f"{x},{x.lower()}@acme.example,Person {x},ES,es,Europe/Madrid,Sales,active,"
            f"true,false,eu-west\n"
            for x in external_ids
        )
    ).encode()


async def test_concurrent_targeting_changes_all_succeed() -> None:
    db = await _database(TARGETING_SCHEMA)
    try:
        uc = targeting.build(db, "eu-west").use_cases
        admin = everything("acme")
        people = [f"E{n}" for n in range(SAVES)]
        # Two imports of one tenant at once, the same rows: one creates them,
        # the other then finds nothing to change.
        imports = await asyncio.gather(
            *(
                uc.directory.import_directory(admin, "acme", f"import-{n}", _directory(*people))
                for n in range(2)
            )
        )
        assert sorted((r.created, r.updated, list(r.errors)) for r in imports) == [
            (0, 0, []),
            (SAVES, 0, []),
        ]
        ids = [employee_id_for("acme", x) for x in people]

        # The tenant's first SCIM token, issued by several admins at once:
        # one is in force, the others were revoked by it.
        tokens = await asyncio.gather(
            *(uc.consent.issue_scim_token(admin, "acme") for _ in range(SAVES))
        )
        valid = [t for t in tokens if await uc.consent.tenant_for_token(t) == "acme"]
        assert len(valid) == 1

        channel = await uc.audiences.create_channel(
            admin, "acme", "create-news", "News", "", ["eu-west"], False, []
        )
        changed = await asyncio.gather(
            *(
                uc.audiences.set_managers(admin, "acme", channel.channel_id, [ids[n]], f"m-{n}")
                for n in range(SAVES)
            )
        )
        assert all(len(c.managers) == 1 for c in changed)
        final = await uc.audiences.set_managers(admin, "acme", channel.channel_id, [ids[0]])
        assert final.managers == (ids[0],)

        subscribed = await asyncio.gather(
            *(
                uc.audiences.subscribe(admin, "acme", channel.channel_id, ids[1], True, f"s-{n}")
                for n in range(SAVES)
            )
        )
        assert {s.subscribers for s in subscribed} == {1}

        segment = await uc.audiences.save_segment(
            admin, "acme", "seg-create", "", "Spain", 'country = "ES"'
        )
        saved = await asyncio.gather(
            *(
                uc.audiences.save_segment(
                    admin, "acme", f"seg-{n}", segment.segment_id, f"Spain {n}", 'country = "ES"'
                )
                for n in range(SAVES)
            )
        )
        assert sorted(s.version for s in saved) == list(range(2, SAVES + 2))  # one each
    finally:
        await db.dispose()


async def test_concurrent_language_policies_and_webhook_hosts_all_succeed() -> None:
    translation = await _database(TRANSLATION_SCHEMA)
    gateway = await _database(GATEWAY_SCHEMA)
    try:
        store = SqlPolicyStore(translation)
        await asyncio.gather(
            *(
                store.replace(
                    "acme",
                    f"policy-{n}",
                    LanguagePolicy(Rule(), {f"l{n}": Rule(Action.HOLD)}),
                    utcnow(),
                )
                for n in range(SAVES)
            )
        )
        policy = await store.policy("acme")
        assert policy is not None and len(policy.languages) == 1  # one save's, whole

        await _at_once(
            gateway,
            lambda s, n: SqlWebhookStore(s).set_allowed_hosts("acme", [f"h{n}.example"]),
        )
        async with gateway.session() as session:
            assert len(await SqlWebhookStore(session).allowed_hosts("acme")) == 1
    finally:
        await translation.dispose()
        await gateway.dispose()
