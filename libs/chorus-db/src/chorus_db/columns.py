"""Column helpers shared by every service's tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, LargeBinary


def timestamp(nullable: bool = False, index: bool = False) -> Column[datetime]:
    """Timezone-aware timestamp: PostgreSQL stores timestamptz, SQLite text;
    read values through chorus_core.clock.as_utc."""
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


def blob(nullable: bool = False) -> Column[bytes]:
    return Column(LargeBinary, nullable=nullable)
