"""Chorus database: async SQLModel over SQLite (default) or PostgreSQL (by URL)."""

from chorus_db.columns import blob, table_of, timestamp
from chorus_db.database import (
    Database,
    affected_rows,
    conflict_insert,
    exclusive,
    in_array,
    is_unique_violation,
    keys_in,
)
from chorus_db.migrations import migrate
from chorus_db.schema import Schema

__all__ = [
    "blob",
    "table_of",
    "timestamp",
    "Database",
    "affected_rows",
    "conflict_insert",
    "exclusive",
    "Schema",
    "is_unique_violation",
    "in_array",
    "keys_in",
    "migrate",
]
