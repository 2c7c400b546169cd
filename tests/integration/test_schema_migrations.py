"""Every service's Alembic history, on SQLite and on the real PostgreSQL:
an empty database migrated to head has exactly the models' schema (no drift);
rows written at any revision survive every later one; migrating again is a
no-op; replicas migrating at once wait for each other; the downgrades undo
everything; a database built before Alembic is adopted, not rebuilt."""

from __future__ import annotations

import asyncio
import importlib
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from chorus_db import Database, Schema, migrate
from chorus_db.drift import schema_drift
from chorus_db.migrations import current, downgrade, scripts, upgrade
from chorus_testing.fixtures import DatabaseFactory, create_pg_database
from chorus_testing.infra import required_env

pytestmark = pytest.mark.infra

SERVICES = ["content", "targeting", "translation", "scheduling", "publishing", "gamification"]
SERVICES += ["metrics"]
SCHEMAS = [importlib.import_module(f"{s}_service.adapters.migrations").SCHEMA for s in SERVICES]
by_schema = pytest.mark.parametrize("schema", SCHEMAS, ids=SERVICES)

Row = dict[str, Any]
# Derived columns a data revision rewrites: content_0002 re-folds the search text.
RECOMPUTED = {("content_posts", "search_text")}


@by_schema
async def test_an_empty_database_migrates_to_exactly_the_models(
    any_database: DatabaseFactory, schema: Schema
) -> None:
    db = await any_database()
    await migrate(db, schema)
    async with db.engine.connect() as conn:
        assert await conn.run_sync(schema_drift, schema) == []
        tables = await conn.run_sync(_data_tables)
    # Not vacuous: the service's tables and the outbox/inbox are all there.
    assert {t.name for t in schema.tables()} <= tables
    assert {"chorus_outbox", "chorus_inbox"} <= tables


@by_schema
async def test_rows_written_at_each_revision_survive_to_head(
    any_database: DatabaseFactory, schema: Schema
) -> None:
    """Upgrade one revision at a time; at each, write a row into every table
    that is still empty (so the first revision's tables get one, and each
    later revision's new tables too); at head every row is still there with
    its values. A revision that drops or reshapes a table tests where its
    rows went in a test of its own."""
    db = await any_database()
    script = scripts(schema)
    seeded: dict[str, Row] = {}
    for revision in reversed(list(script.walk_revisions("base", "heads"))):
        await migrate(db, schema, target=revision.revision)
        async with db.engine.begin() as conn:
            seeded |= await conn.run_sync(_seed_empty_tables, set(seeded))
    assert await migrate(db, schema) == []
    assert {t.name for t in schema.tables()} <= set(seeded)
    async with db.engine.connect() as conn:
        for name, row in seeded.items():
            kept = await conn.run_sync(_row_at_head, name, row)
            if kept is not None:
                # Columns later revisions added are not compared, nor columns a
                # data revision recomputes (tested on their own); every other one is.
                written = {
                    k: v for k, v in row.items() if k in kept and (name, k) not in RECOMPUTED
                }
                assert _normalised({k: kept[k] for k in written}) == _normalised(written), name


@by_schema
async def test_migrating_twice_is_a_no_op(any_database: DatabaseFactory, schema: Schema) -> None:
    db = await any_database()
    applied = await migrate(db, schema)
    every_revision = {r.revision for r in scripts(schema).walk_revisions("base", "heads")}
    assert set(applied) == every_revision
    async with db.engine.connect() as conn:
        heads = await conn.run_sync(current)
    assert await migrate(db, schema) == []
    async with db.engine.connect() as conn:
        assert await conn.run_sync(current) == heads
        assert await conn.run_sync(schema_drift, schema) == []


@by_schema
async def test_replicas_starting_together_on_postgresql_migrate_once(schema: Schema) -> None:
    url = await create_pg_database(required_env("CHORUS_PG_URL"), "migrate")
    replicas = [Database(url) for _ in range(3)]
    try:
        results = await asyncio.gather(*(migrate(db, schema) for db in replicas))
        async with replicas[0].engine.connect() as conn:
            assert await conn.run_sync(schema_drift, schema) == []
    finally:
        for db in replicas:
            await db.dispose()
    # One replica applied every revision; the others waited, then had nothing to do.
    every_revision = {r.revision for r in scripts(schema).walk_revisions("base", "heads")}
    assert sorted(results, key=len)[:2] == [[], []]
    assert set(sorted(results, key=len)[2]) == every_revision


@by_schema
async def test_downgrading_to_base_removes_everything_and_upgrading_rebuilds_it(
    any_database: DatabaseFactory, schema: Schema
) -> None:
    db = await any_database()
    await migrate(db, schema)
    async with db.engine.begin() as conn:
        await conn.run_sync(downgrade, schema, "base")
    async with db.engine.connect() as conn:
        assert await conn.run_sync(_data_tables) == set()
    await migrate(db, schema)
    async with db.engine.connect() as conn:
        assert await conn.run_sync(schema_drift, schema) == []


@by_schema
async def test_a_database_built_before_alembic_is_adopted(
    any_database: DatabaseFactory, schema: Schema
) -> None:
    """The former runner left its tables (the first revisions' schema) and
    chorus_schema_migrations, no alembic_version: the first revisions are
    recorded instead of re-created, the rest applied, the old record dropped."""
    db = await any_database()
    script = scripts(schema)
    async with db.engine.begin() as conn:
        for base in script.get_bases():
            await conn.run_sync(upgrade, schema, base)
        await conn.execute(sa.text("DROP TABLE alembic_version"))
        await conn.execute(sa.text("CREATE TABLE chorus_schema_migrations (id VARCHAR(200))"))
    applied = await migrate(db, schema)
    every_revision = {r.revision for r in script.walk_revisions("base", "heads")}
    assert set(applied) == every_revision - set(script.get_bases())
    assert await migrate(db, schema) == []
    async with db.engine.connect() as conn:
        assert "chorus_schema_migrations" not in await conn.run_sync(_data_tables)
        assert await conn.run_sync(schema_drift, schema) == []


@pytest.mark.parametrize("service", ["scheduling", "publishing"])
async def test_withdrawn_employees_move_into_the_shared_holds(
    any_database: DatabaseFactory, service: str
) -> None:
    """<service>_0002 replaces <service>_withdrawn_employees with
    chorus_employee_holds: every hold is still there, erasures included."""
    schema = SCHEMAS[SERVICES.index(service)]
    db = await any_database()
    await migrate(db, schema, target=f"{service}_0001")
    since = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    holds = [("t1", "e1", "opted_out"), ("t1", "e2", "erased"), ("t2", "e1", "erased")]
    async with db.engine.begin() as conn:
        await conn.execute(
            sa.text(
                f"INSERT INTO {service}_withdrawn_employees (tenant_id, employee_id, reason, since)"
                " VALUES (:t, :e, :r, :s)"
            ),
            [{"t": t, "e": e, "r": r, "s": since} for t, e, r in holds],
        )
    await migrate(db, schema)
    async with db.engine.connect() as conn:
        moved = await conn.execute(
            sa.text("SELECT tenant_id, employee_id, reason FROM chorus_employee_holds")
        )
        assert sorted(tuple(row) for row in moved) == holds
        assert f"{service}_withdrawn_employees" not in await conn.run_sync(_data_tables)


def _data_tables(connection: sa.Connection) -> set[str]:
    """The database's tables, without Alembic's own and without SQLite's
    FTS5 tables (content's search), which hold no rows of their own."""
    names = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
    if connection.dialect.name == "sqlite":
        virtual = connection.execute(
            sa.text("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
        ).scalars()
        for table in virtual:
            names = {n for n in names if n != table and not n.startswith(f"{table}_")}
    return names


def _seed_empty_tables(connection: sa.Connection, seeded: set[str]) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for name in sorted(_data_tables(connection) - seeded):
        table = sa.Table(name, sa.MetaData(), autoload_with=connection)
        row = {column.name: _value(column) for column in table.columns}
        connection.execute(table.insert().values(row))
        rows[name] = row
    return rows


def _row_at_head(connection: sa.Connection, name: str, row: Row) -> Row | None:
    """The seeded row as it reads at head; None if its table is gone."""
    if name not in _data_tables(connection):
        return None
    table = sa.Table(name, sa.MetaData(), autoload_with=connection)
    key = [column == row[column.name] for column in table.primary_key.columns]
    found = connection.execute(sa.select(table).where(*key)).mappings().all()
    assert len(found) == 1, f"{name}: the row written at its first revision is gone"
    return dict(found[0])


def _value(column: sa.Column[Any]) -> object:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.Integer):
        return 7
    if isinstance(kind, sa.Float | sa.Numeric):
        return 7.5
    if isinstance(kind, sa.String):
        return "seed"[: kind.length or None]
    if isinstance(kind, sa.DateTime):
        return datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    if isinstance(kind, sa.Date):
        return date(2024, 5, 6)
    if isinstance(kind, sa.JSON):
        return ["seed"]
    if isinstance(kind, sa.LargeBinary):
        return b"seed"
    raise AssertionError(f"no test value for {column.table.name}.{column.name}: {kind!r}")


def _normalised(row: Row) -> Row:
    # SQLite hands back a timestamp without its zone (written as UTC).
    return {
        k: v.astimezone(UTC).replace(tzinfo=None) if isinstance(v, datetime) and v.tzinfo else v
        for k, v in row.items()
    }


async def test_content_search_is_reindexed_with_full_case_folding(
    any_database: DatabaseFactory,
) -> None:
    """content_0002: a post indexed by the old fold ("straße" kept as is) is
    found by a query folded the new way ("strasse", from "STRASSE" or "Straße")."""
    schema = SCHEMAS[SERVICES.index("content")]
    db = await any_database()
    await migrate(db, schema, target="content_0001")
    now = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    row = {
        "post_id": "p1", "tenant_id": "t1", "version": 1, "title": "Die Straße",
        "body": "Große Neuigkeiten", "link": "", "source_language": "de",
        "network_texts": '{"bluesky": "Straße"}', "countries": "[]", "departments": "[]",
        "status": "draft", "author_id": "a1", "approver_id": "", "created_at": now,
        "updated_at": now, "kind": "brand_news", "hashtags": '["Straße"]', "campaign": "",
        "approved_version": 0, "review_step": 0, "search_text": "die straße große neuigkeiten",
    }  # fmt: skip
    async with db.engine.begin() as conn:
        columns = ", ".join(row)
        values = ", ".join(f":{c}" for c in row)
        await conn.execute(sa.text(f"INSERT INTO content_posts ({columns}) VALUES ({values})"), row)
        if db.is_sqlite:
            await conn.execute(
                sa.text(
                    "INSERT INTO content_posts_fts (post_id, tenant_id, search_text)"
                    " VALUES ('p1', 't1', :s)"
                ),
                {"s": row["search_text"]},
            )
    await migrate(db, schema)
    async with db.engine.connect() as conn:
        text = (await conn.execute(sa.text("SELECT search_text FROM content_posts"))).scalar_one()
        assert text.split() == ["die", "strasse", "grosse", "neuigkeiten", "strasse", "strasse"]
        if db.is_sqlite:
            found = await conn.execute(
                sa.text(
                    "SELECT post_id FROM content_posts_fts WHERE content_posts_fts MATCH 'strasse'"
                )
            )
        else:
            found = await conn.execute(
                sa.text(
                    "SELECT post_id FROM content_posts WHERE to_tsvector('simple', search_text)"
                    " @@ to_tsquery('simple', 'strasse')"
                )
            )
        assert [r[0] for r in found] == ["p1"]
