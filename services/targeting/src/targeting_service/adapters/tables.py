"""Targeting tables. Every row carries its tenant; every query filters on it."""

from __future__ import annotations

from datetime import datetime

from chorus_db import Migration, create_tables, timestamp
from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class EmployeeRow(SQLModel, table=True):
    __tablename__ = "targeting_employees"
    __table_args__ = (
        UniqueConstraint("tenant_id", "external_id", name="uq_targeting_employees_external"),
        # The audience query: tenant + region + active + opted in, then
        # country; department and language are read from the same rows.
        Index("ix_targeting_employees_audience", "tenant_id", "home_region", "active", "opted_in", "country"),
    )

    tenant_id: str = Field(primary_key=True, max_length=64)
    employee_id: str = Field(primary_key=True, max_length=36)
    external_id: str = Field(max_length=200)
    email: str = Field(max_length=320)
    display_name: str = Field(max_length=300)
    country: str = Field(max_length=2)
    language: str = Field(max_length=35)
    timezone: str = Field(max_length=64)
    department: str = Field(max_length=200)
    active: bool
    opted_in: bool
    auto_share: bool
    home_region: str = Field(max_length=64)
    updated_at: datetime = Field(sa_column=timestamp())


class ResolutionRow(SQLModel, table=True):
    """One per resolved post version: a second PostApproved for the same
    version (redelivered with another ce_id, or re-approved) finds it and
    emits nothing."""

    __tablename__ = "targeting_resolutions"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    total: int
    batch_count: int
    resolved_at: datetime = Field(sa_column=timestamp())


class DirectoryImportRow(SQLModel, table=True):
    """The answer to an ImportDirectory request, so a retry with the same
    request_id returns it instead of importing (and counting) again."""

    __tablename__ = "targeting_directory_imports"

    tenant_id: str = Field(primary_key=True, max_length=64)
    request_id: str = Field(primary_key=True, max_length=100)
    created: int
    updated: int
    errors: list = Field(sa_column=Column(JSON, nullable=False))  # [[line, reason], ...]
    imported_at: datetime = Field(sa_column=timestamp())


MIGRATIONS = [
    Migration(
        "targeting_0001_initial", create_tables(EmployeeRow, ResolutionRow, DirectoryImportRow)
    )
]
