"""Planner statistics kept up with a campaign's writes (PostgreSQL).

Why: a campaign writes its shares, ledger rows and inbox rows faster than
autovacuum re-reads a table's statistics (it wakes once a minute per
database at best). Until it does, the planner plans on what the table held
before: for a table that was nearly empty, a batch's key lookup (`tenant_id
= $1 AND share_id IN (...)`) becomes a scan of every row the tenant has,
filtered by the keys, so each batch costs as much as the rows written
before it and a campaign costs its size squared. Measured in
bench/campaign.py (30,000 shares): scheduling's look-up of an audience
batch's held slots took 515 ms a batch, publishing's ledger look-up 21 ms
and the inbox check 19 ms a poll, all growing with the campaign.

So each service looks at its own tables every few seconds and analyzes
those that hold more than `fraction` more rows (and at least `min_rows`)
than the planner believes, as autovacuum would, sooner: a table growing
from nothing to a campaign's 100,000 rows is analyzed a dozen times. One
catalog query a tick; an ANALYZE samples at most 30,000 rows. SQLite (the
component tests) has no such planner: nothing to do."""

from __future__ import annotations

import logging
from datetime import datetime

from chorus_db import Database
from sqlalchemy import text

from chorus_runtime.periodic import TickLoop

# Tables the planner believes smaller than they are: its row count
# (pg_class.reltuples, -1 before any analysis) against the live rows the
# statistics collector counts. A table whose rows change without growing
# in number keeps its plans and is left alone (autovacuum's business).
_STALE = text(
    "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
    " WHERE s.n_live_tup >= :min_rows"
    " AND s.n_live_tup > (1 + CAST(:fraction AS float8)) * GREATEST(c.reltuples, 0)"
    " ORDER BY s.relname"
)


class StatisticsKeeper(TickLoop):
    tick_done_message = "planner statistics refreshed"
    tick_done_level = logging.DEBUG

    def __init__(
        self,
        db: Database,
        *,
        tick_seconds: float = 5.0,
        min_rows: int = 1000,
        fraction: float = 0.5,
    ) -> None:
        super().__init__(tick_seconds)
        self.db = db
        self.min_rows = min_rows
        self.fraction = fraction

    async def tick(self, now: datetime) -> int:
        """Analyzes the tables whose statistics are stale; returns how many."""
        if self.db.engine.dialect.name != "postgresql":
            return 0
        async with self.db.engine.connect() as conn:
            found = await conn.execute(
                _STALE, {"min_rows": self.min_rows, "fraction": self.fraction}
            )
            stale = [str(name) for name in found.scalars()]
        for table in stale:
            # Each on its own, outside a transaction: an ANALYZE takes no
            # lock that the service's writers wait for.
            async with self.db.engine.connect() as conn:
                live = await conn.execution_options(isolation_level="AUTOCOMMIT")
                quoted = table.replace('"', '""')
                await live.execute(text(f'ANALYZE "{quoted}"'))
        return len(stale)
