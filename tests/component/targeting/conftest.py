"""A migrated targeting database on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import pytest
from chorus_db import Database, migrate
from chorus_messaging import MESSAGING_MIGRATIONS
from chorus_testing.fixtures import DatabaseFactory
from targeting_service.adapters.tables import MIGRATIONS


@pytest.fixture
async def targeting_db(any_database: DatabaseFactory) -> Database:
    db = await any_database()
    await migrate(db, [*MESSAGING_MIGRATIONS, *MIGRATIONS])
    return db
