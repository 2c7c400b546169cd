"""chorus_db.keys_in on both databases: the rows whose (c1, ..., cn) is one
of the keys, exactly, whether the keys share one prefix (a batch of one
tenant) or several; and on PostgreSQL one index scan per prefix, not one
per key."""

from __future__ import annotations

import pytest
from chorus_db import Database, in_array, keys_in
from chorus_testing.fixtures import create_pg_database, drop_pg_database
from chorus_testing.infra import required_env
from sqlalchemy import Column, MetaData, String, Table, insert, select, text
from sqlalchemy.dialects import postgresql

META = MetaData()
ACCOUNTS = Table(
    "keys_in_accounts",
    META,
    Column("tenant_id", String(20), primary_key=True),
    Column("network", String(20), primary_key=True),
    Column("employee_id", String(20), primary_key=True),
)
EVERYONE = [
    {"tenant_id": tenant, "network": network, "employee_id": f"e{n}"}
    for tenant in ("t1", "t2")
    for network in ("bluesky", "mastodon")
    for n in range(50)
]


async def database(factory) -> Database:
    db: Database = await factory()
    async with db.engine.begin() as conn:
        await conn.run_sync(META.create_all)
        await conn.execute(insert(ACCOUNTS), EVERYONE)
    return db


async def matching(db: Database, keys: list[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    columns = (ACCOUNTS.c.tenant_id, ACCOUNTS.c.network, ACCOUNTS.c.employee_id)
    async with db.session() as session:
        rows = await session.execute(select(*columns).where(keys_in(columns, keys)))
        return {(t, n, e) for t, n, e in rows}


@pytest.mark.parametrize(
    "keys",
    [
        [("t1", "bluesky", "e1"), ("t1", "bluesky", "e7"), ("t1", "bluesky", "e49")],
        # Several prefixes, a key that matches nothing, and a repeated key.
        [
            ("t1", "bluesky", "e3"),
            ("t2", "bluesky", "e3"),
            ("t2", "mastodon", "e40"),
            ("t1", "mastodon", "e99"),
            ("t1", "bluesky", "e3"),
        ],
        [],
    ],
)
async def test_exactly_the_rows_named_by_a_key(any_database, keys) -> None:
    db = await database(any_database)
    present = {(r["tenant_id"], r["network"], r["employee_id"]) for r in EVERYONE}
    assert await matching(db, keys) == set(keys) & present


async def test_one_index_scan_per_prefix_on_postgresql() -> None:
    postgres = Database(await create_pg_database(required_env("CHORUS_PG_URL")))

    async def only() -> Database:
        return postgres

    db = await database(only)
    keys = [("t1", "bluesky", f"e{n}") for n in range(40)]
    columns = (ACCOUNTS.c.tenant_id, ACCOUNTS.c.network, ACCOUNTS.c.employee_id)
    query = select(*columns).where(keys_in(columns, keys))
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    async with db.session() as session:
        await session.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(
            str(line) for (line,) in await session.execute(text(f"EXPLAIN {compiled}"))
        )
    await postgres.dispose()
    await drop_pg_database(postgres.url)
    # A row-value IN list would be a BitmapOr of one index scan per key.
    assert "BitmapOr" not in plan, plan
    assert sum(" Scan " in line for line in plan.splitlines()) == 1, plan


async def test_in_array_finds_exactly_the_keys_on_both_databases(any_database) -> None:
    db = await database(any_database)
    wanted = [f"e{n}" for n in range(0, 50, 3)] + ["nobody"]
    async with db.session() as session:
        dialect = session.get_bind().dialect.name
        query = select(ACCOUNTS.c.employee_id).where(
            ACCOUNTS.c.tenant_id == "t1",
            ACCOUNTS.c.network == "bluesky",
            in_array(ACCOUNTS.c.employee_id, wanted, dialect),
        )
        found = {row[0] for row in await session.execute(query)}
        none = select(ACCOUNTS.c.employee_id).where(in_array(ACCOUNTS.c.employee_id, [], dialect))
        assert list(await session.execute(none)) == []
    assert found == {f"e{n}" for n in range(0, 50, 3)}


async def test_in_array_is_one_array_parameter_on_postgresql() -> None:
    """The keys travel as one array (a semi-join to the table), however many."""
    db = Database(await create_pg_database(required_env("CHORUS_PG_URL")))
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(META.create_all)
            await conn.execute(insert(ACCOUNTS), EVERYONE)
        keys = [f"e{n}" for n in range(50)]
        statement = select(ACCOUNTS.c.employee_id).where(
            in_array(ACCOUNTS.c.employee_id, keys, "postgresql")
        )
        compiled = statement.compile(dialect=postgresql.dialect())
        assert len(compiled.params) == 1 and "unnest" in str(compiled)
        async with db.session() as session:
            assert len(list(await session.execute(statement))) == 4 * 50
    finally:
        await db.dispose()
        await drop_pg_database(db.url)
