"""chorus_runtime's StatisticsKeeper on the real PostgreSQL: a table that
grew by a campaign's rows since it was last analyzed is analyzed (the
planner then knows its size); one barely grown is left alone."""

from __future__ import annotations

import asyncio

from chorus_core.clock import utcnow
from chorus_db import Database
from chorus_runtime.statistics import StatisticsKeeper
from sqlalchemy import text


async def reltuples(db: Database, table: str) -> float:
    async with db.engine.connect() as conn:
        found = await conn.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table}
        )
        return float(found.scalar_one())


async def run(db: Database, *statements: str) -> None:
    async with db.engine.connect() as conn:
        live = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for statement in statements:
            await live.execute(text(statement))


async def counted(db: Database, live_rows: dict[str, int]) -> None:
    """Until the statistics collector shows these live rows."""
    query = text("SELECT relname, n_live_tup FROM pg_stat_user_tables")
    for _ in range(100):
        async with db.engine.connect() as conn:
            shown = {str(name): int(n) for name, n in await conn.execute(query)}
        if all(shown.get(t) == n for t, n in live_rows.items()):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the collector shows {shown}, not {live_rows}")


async def test_a_grown_table_is_analyzed_and_a_quiet_one_is_not(any_database) -> None:
    db: Database = await any_database()
    if db.is_sqlite:
        assert await StatisticsKeeper(db).tick(utcnow()) == 0  # no planner statistics to keep
        return
    await run(
        db,
        # Autovacuum kept out of it: it would analyze (or vacuum, which also
        # counts the rows) at a moment of its own choosing.
        "CREATE TABLE grown (id int primary key) WITH (autovacuum_enabled = false)",
        "CREATE TABLE quiet (id int primary key) WITH (autovacuum_enabled = false)",
        "INSERT INTO grown SELECT generate_series(1, 5000)",
        "INSERT INTO quiet SELECT generate_series(1, 5000)",
    )
    # Analyzed once the collector has counted those rows (it hears of them
    # a moment after the commit), so that nothing counted later is mistaken
    # for growth since the analysis.
    await counted(db, {"grown": 5000, "quiet": 5000})
    await run(db, "ANALYZE grown", "ANALYZE quiet")
    await run(
        db,
        "INSERT INTO grown SELECT generate_series(5001, 20000)",  # a campaign's rows
        "INSERT INTO quiet SELECT generate_series(5001, 5100)",
    )
    await counted(db, {"grown": 20000, "quiet": 5100})
    keeper = StatisticsKeeper(db, min_rows=1000, fraction=0.5)
    assert await keeper.tick(utcnow()) == 1
    assert await reltuples(db, "grown") == 20000
    assert await reltuples(db, "quiet") == 5000
    assert await keeper.tick(utcnow()) == 0  # nothing stale any more
