"""Ordered, recorded schema migrations.

Each service lists its migrations once, in order; `migrate` applies the ones
not yet recorded in chorus_schema_migrations, each in its own transaction.
On PostgreSQL an advisory lock makes concurrent start-ups of replicas safe.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlmodel import SQLModel

from chorus_db.database import Database

_LOCK_KEY = 0x43484F52  # "CHOR"


@dataclass(frozen=True)
class Migration:
    id: str
    apply: Callable[[Connection], None]


def create_tables(*models: type[SQLModel]) -> Callable[[Connection], None]:
    """A migration step that creates exactly these tables (not every table
    some imported module happened to register on the shared metadata)."""

    def step(connection: Connection) -> None:
        SQLModel.metadata.create_all(
            connection,
            tables=[m.__table__ for m in models],
            checkfirst=True,  # type: ignore[attr-defined]
        )

    return step


async def migrate(db: Database, migrations: Sequence[Migration]) -> list[str]:
    applied_now: list[str] = []
    async with db.engine.begin() as conn:
        if not db.is_sqlite:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        await conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS chorus_schema_migrations ("
                " id VARCHAR(200) PRIMARY KEY,"
                " applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            )
        )
        done = {
            row[0] for row in await conn.execute(text("SELECT id FROM chorus_schema_migrations"))
        }
        for migration in migrations:
            if migration.id in done:
                continue
            await conn.run_sync(migration.apply)
            await conn.execute(
                text("INSERT INTO chorus_schema_migrations (id) VALUES (:id)"), {"id": migration.id}
            )
            applied_now.append(migration.id)
    return applied_now
