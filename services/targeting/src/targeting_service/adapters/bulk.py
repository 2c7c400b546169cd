"""Multi-row INSERT ... ON CONFLICT DO UPDATE for the directory import.

One statement per chunk (one round trip), whatever the dialect: executemany
of an ORM bulk UPDATE costs a round trip per row on PostgreSQL, and writing
a row and then updating it (to add its networks) writes it twice, through
every index, among them the wide covering one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chorus_db import conflict_insert
from sqlalchemy.ext.asyncio import AsyncSession

# Rows per statement: SQLAlchemy's "insertmanyvalues" turns an executemany
# of an INSERT ... RETURNING into multi-row VALUES of this many rows (fewer
# where SQLite's or asyncpg's cap on bound parameters would be exceeded),
# from one compiled template: no per-row round trip, and no per-chunk
# compilation of a 25,000-parameter statement in Python.
ROWS_PER_STATEMENT = 1000


def _insert(session: AsyncSession, table: Any) -> Any:
    # The Core table, not the ORM entity: the rows are plain column dicts.
    return conflict_insert(session, table.__table__).execution_options(
        insertmanyvalues_page_size=ROWS_PER_STATEMENT
    )


async def upsert_rows(
    session: AsyncSession, table: Any, keys: Sequence[str], rows: Sequence[dict[str, Any]]
) -> None:
    """Inserts `rows`, overwriting the columns each row names where a row
    with the same `keys` exists. Rows are grouped by the columns they carry
    (a multi-row VALUES needs the same columns in every row)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for columns, members in groups.items():
        statement = _insert(session, table)
        statement = statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={c: statement.excluded[c] for c in columns if c not in keys},
        ).returning(table.__table__.c[keys[0]])
        await session.execute(statement, members)


async def insert_rows(session: AsyncSession, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Multi-row INSERTs of ROWS_PER_STATEMENT rows (see above)."""
    if rows:
        first = next(iter(table.__table__.primary_key.columns))
        await session.execute(_insert(session, table).returning(first), list(rows))
