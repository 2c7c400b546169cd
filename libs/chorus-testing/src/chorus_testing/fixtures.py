"""pytest fixtures shared by every test package (loaded from tests/conftest.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest
from chorus_db import Database

from chorus_testing.infra import required_env

DatabaseFactory = Callable[[], Awaitable[Database]]


@pytest.fixture
def kafka_bootstrap() -> str:
    return required_env("CHORUS_KAFKA_BOOTSTRAP")


@pytest.fixture
def redis_url() -> str:
    return required_env("CHORUS_REDIS_URL")


@pytest.fixture
def pg_admin_url() -> str:
    return required_env("CHORUS_PG_URL")


async def create_pg_database(admin_url: str, prefix: str = "test") -> str:
    """A fresh, empty PostgreSQL database; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


async def drop_pg_database(url: str) -> None:
    """Drop a database create_pg_database made, once its test is done: the
    suite makes hundreds, and each one left behind is one more for the
    autovacuum launcher to visit every minute for the rest of the run."""
    admin = required_env("CHORUS_PG_URL")
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
async def sqlite_database(tmp_path: Path) -> AsyncIterator[DatabaseFactory]:
    created: list[Database] = []

    async def make() -> Database:
        db = Database(f"sqlite:///{tmp_path}/db{len(created)}.sqlite")
        created.append(db)
        return db

    yield make
    for db in created:
        await db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def any_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[DatabaseFactory]:
    """Runs the test once on SQLite and once on the real PostgreSQL server."""
    created: list[Database] = []

    async def make() -> Database:
        if request.param == "sqlite":
            db = Database(f"sqlite:///{tmp_path}/db{len(created)}.sqlite")
        else:
            db = Database(await create_pg_database(required_env("CHORUS_PG_URL")))
        created.append(db)
        return db

    yield make
    for db in created:
        await db.dispose()
        if not db.is_sqlite:
            await drop_pg_database(db.url)
