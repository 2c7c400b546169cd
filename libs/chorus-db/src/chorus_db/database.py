"""The engine and the unit of work.

Each service owns its database. SQLite (file) is the default so a laptop needs
nothing; production points CHORUS_<SERVICE>_DATABASE_URL at PostgreSQL. The
same code runs on both; tests run the integration suite on both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from chorus_core.settings import ConfigError
from opentelemetry import metrics, trace
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Result,
    String,
    Table,
    and_,
    cast,
    event,
    false,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Mapped
from sqlalchemy.pool import ConnectionPoolEntry

# Where a transaction's after-commit actions wait (AsyncSession.info): see
# chorus_db.sessions.after_commit.
AFTER_COMMIT = "chorus_db.after_commit"
AfterCommitAction = Callable[[], Awaitable[None]]


def async_url(url: str) -> str:
    """Accept plain URLs (sqlite:///x.db, postgresql://...) and pick the async driver."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        return url
    raise ConfigError(f"unsupported database URL scheme in {url.split('://')[0]!r}")


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = async_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            path = self.url.removeprefix("sqlite+aiosqlite:///")
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine: AsyncEngine = create_async_engine(
                self.url, echo=echo, connect_args={"timeout": 30}
            )
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_async_engine(self.url, echo=echo, pool_size=10, pool_pre_ping=True)
        _trace_engine(self.engine)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back on any error.
        Then, committed only, runs the actions registered on it with
        chorus_db.sessions.after_commit, in order (an action's error is the
        caller's, the commit having happened)."""
        async with self._sessions() as session:
            actions: list[AfterCommitAction] = []
            session.info[AFTER_COMMIT] = actions
            async with session.begin():
                yield session
            for action in actions:
                await action()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """Read-only work (no explicit transaction management)."""
        async with self._sessions() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def _trace_engine(engine: AsyncEngine) -> None:
    # Per engine, not the global instrumentor: that one instruments only the
    # first engine of a process (tests create many, one per database).
    meter = metrics.get_meter("chorus_db")
    usage = meter.create_up_down_counter("db.client.connections.usage", unit="connections")
    StatementTracer(trace.get_tracer("chorus_db"), engine.sync_engine, usage)


class StatementTracer(EngineTracer):
    """A statement's span only inside a span that is recorded. Outside one
    (the outbox relay's and the timer's polls, or a share outside the traced
    fraction) a statement span would be a trace of its own, many a second,
    or record nothing while its attributes were still worked out per
    statement."""

    def _before_cur_exec(  # type: ignore[no-untyped-def]
        self, conn, cursor, statement, params, context, executemany
    ):
        if not trace.get_current_span().is_recording():
            return statement, params
        return super()._before_cur_exec(conn, cursor, statement, params, context, executemany)


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers run while the relay and a handler write; busy_timeout
    # makes concurrent writers wait instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def affected_rows(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched. AsyncSession.execute types every
    result as Result; a DML statement's is a CursorResult, which counts them."""
    assert isinstance(result, CursorResult)
    return result.rowcount


async def exclusive(session: AsyncSession, key: str) -> None:
    """Until this transaction ends, no other transaction passes `exclusive`
    with the same key: for read-then-write changes (the next version number,
    a row created when missing) that two concurrent requests would otherwise
    both base on the same read, one of them then failing on a primary key.
    A PostgreSQL advisory lock. On SQLite it does nothing: its deferred
    transactions can still both read before either writes (SQLite is the
    single-process development store; production runs PostgreSQL)."""
    if session.bind.dialect.name == "sqlite":
        return
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
    )


def conflict_insert(session: AsyncSession, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into `table` that takes ON CONFLICT (do nothing, do update
    with `excluded`) in the dialect of the session's database: PostgreSQL's
    and SQLite's give the same API, so one statement serves both."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def keys_in(
    columns: Sequence[ColumnElement[Any] | Mapped[Any]], keys: Iterable[tuple[Any, ...]]
) -> ColumnElement[bool]:
    """`(c1, ..., cn) IN keys`, written as `c1 = k1 AND ... AND cn IN (...)`
    for each distinct prefix of the keys (in a batch, usually one: one
    tenant, one network). PostgreSQL plans a row-value IN list as one bitmap
    index scan per key, OR-ed together; an IN on the last column is a single
    index scan over an array. At a campaign's batches of hundreds of keys
    the first was the busiest statement of the database."""
    last_values: defaultdict[tuple[Any, ...], set[Any]] = defaultdict(set)
    for key in keys:
        last_values[key[:-1]].add(key[-1])
    if not last_values:
        return false()
    *prefix_columns, last_column = columns
    return or_(
        *(
            and_(
                *(column == value for column, value in zip(prefix_columns, prefix, strict=True)),
                last_column.in_(sorted(values)),
            )
            for prefix, values in last_values.items()
        )
    )


def in_array(
    column: ColumnElement[str] | Mapped[str], values: Sequence[str], dialect: str
) -> ColumnElement[bool]:
    """`column IN values` for a batch's many keys (hundreds, a thousand).

    On PostgreSQL as `column IN (SELECT unnest($1::varchar[]))`: one array
    parameter, which the planner joins to the table (a hash of the keys, or
    an index probe per key). An IN list of a thousand parameters in a
    prepared statement is, once PostgreSQL caches its generic plan, a linear
    search of the thousand for every row it filters: measured, scheduling's
    held-slots look-up of an audience batch took 2.7 s at 100,000 shares
    (bench/campaign.py). `dialect`: the session's (SQLite keeps the list)."""
    if not values:
        return false()
    if dialect != "postgresql":
        return column.in_(list(values))
    keys = select(func.unnest(cast(list(values), postgresql.ARRAY(String)))).scalar_subquery()
    return column.in_(keys)


def is_unique_violation(error: IntegrityError) -> bool:
    text = str(error.orig).lower()
    return "unique" in text or "duplicate key" in text
