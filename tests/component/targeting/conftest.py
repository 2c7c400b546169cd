"""A migrated targeting database on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import pytest
from chorus_db import Database, migrate
from chorus_testing.fixtures import DatabaseFactory
from targeting_service.adapters.migrations import SCHEMA


@pytest.fixture
async def targeting_db(any_database: DatabaseFactory) -> Database:
    db = await any_database()
    await migrate(db, SCHEMA)
    return db
