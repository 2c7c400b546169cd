"""Chorus database: async SQLModel over SQLite (default) or PostgreSQL (by URL)."""

from chorus_db.columns import blob, timestamp
from chorus_db.database import Database, is_unique_violation
from chorus_db.migrations import Migration, create_tables, migrate

__all__ = [
    "blob",
    "timestamp",
    "Database",
    "Migration",
    "create_tables",
    "is_unique_violation",
    "migrate",
]
