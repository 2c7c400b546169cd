"""Column helpers shared by every service's tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, LargeBinary, Table
from sqlalchemy.orm import class_mapper
from sqlmodel import SQLModel


def timestamp(nullable: bool = False, index: bool = False) -> Column[datetime]:
    """Timezone-aware timestamp: PostgreSQL stores timestamptz, SQLite text;
    read values through chorus_core.clock.as_utc."""
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


def blob(nullable: bool = False) -> Column[bytes]:
    return Column(LargeBinary, nullable=nullable)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for Core statements (upserts). SQLModel
    sets it as __table__ when it builds the class, which its type does not declare."""
    table = class_mapper(model).local_table
    assert isinstance(table, Table)
    return table
