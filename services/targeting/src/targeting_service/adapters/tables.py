"""Targeting tables. Every row carries its tenant; every query filters on it."""

from __future__ import annotations

from datetime import date, datetime
from sqlite3 import sqlite_version_info

from chorus_db import Migration, create_tables, timestamp
from sqlalchemy import JSON, Column, Connection, Index, Text, UniqueConstraint, inspect, text
from sqlmodel import Field, SQLModel

from targeting_service.adapters.directory_tables import DIRECTORY_V2_TABLES, ScimResourceRow
from targeting_service.domain.group_names import group_names_value

_PREVIEW_INDEX_COLUMNS = (
    "tenant_id",
    "home_region",
    "active",
    "opted_in",
    "consent",
    "country",
    "language",
    "timezone",
    "department",
    "hire_date",
    "networks",
    "employee_id",
)
# targeting_0006: the same columns with the four the preview groups by
# (country, language, timezone, networks) adjacent and in GROUP BY order, so
# SQLite aggregates while it walks the index instead of sorting every matching
# row into a temporary B-tree first (that sort was half the preview's time).
_BREAKDOWN_INDEX_COLUMNS = (
    "tenant_id",
    "home_region",
    "active",
    "opted_in",
    "consent",
    "country",
    "language",
    "timezone",
    "networks",
    "department",
    "hire_date",
    "employee_id",
)
# targeting_0007, SQLite only: the same with group_names, so a segment's group
# test reads the index too instead of fetching every candidate's table row.
# Not on PostgreSQL, whose index entries are capped at ~2.7 kB (a person in
# many groups would not fit) and whose preview is far under the goal without.
_SEGMENT_INDEX_COLUMNS = (*_BREAKDOWN_INDEX_COLUMNS[:-1], "group_names", "employee_id")


class EmployeeRow(SQLModel, table=True):
    __tablename__ = "targeting_employees"
    __table_args__ = (
        UniqueConstraint("tenant_id", "external_id", name="uq_targeting_employees_external"),
        # The audience query: tenant + region + active + opted in, then
        # country; department and language are read from the same rows.
        Index(
            "ix_targeting_employees_audience",
            "tenant_id",
            "home_region",
            "active",
            "opted_in",
            "country",
        ),
        # targeting_0006 (replaces 0005's ix_targeting_employees_preview): the
        # preview and resolution read only this index (it covers the
        # eligibility filter, the breakdown columns in GROUP BY order, the
        # segment attributes most rules use, and the id the probes correlate on).
        Index("ix_targeting_employees_breakdown", *_BREAKDOWN_INDEX_COLUMNS).ddl_if(
            dialect="postgresql"
        ),
        Index("ix_targeting_employees_segment", *_SEGMENT_INDEX_COLUMNS).ddl_if(dialect="sqlite"),
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
    # Added by targeting_0002 (defaults so rows imported before it stay valid).
    title: str = Field(default="", max_length=200)
    manager: str = Field(default="", max_length=200)  # the manager's external id
    employment_status: str = Field(default="active", max_length=20)
    hire_date: date | None = Field(default=None)
    consent: bool = Field(default=True)
    opted_in_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    opt_in_source: str = Field(default="", max_length=40)
    sharing_networks: list = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )
    max_shares_per_day: int = Field(default=0)
    sharing_hours: str = Field(default="", max_length=11)  # "09:00-18:00", empty = any time
    # Added by targeting_0005: the person's networks ("bluesky,x", sorted),
    # a copy of their social accounts the import writes with the row (app.directory_import)
    # so the preview's network breakdown is read from the covering index
    # instead of probing the accounts table once per person.
    networks: str = Field(default="", max_length=200)
    # Added by targeting_0007: the person's group names ("|Contractors|Sales|",
    # domain.group_names), rewritten in the transaction of every membership
    # change, so a segment's group test is a substring test on the row.
    group_names: str = Field(
        default="", sa_column=Column(Text, nullable=False, default="", server_default="")
    )


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
    # Added by targeting_0004: what cut the audience (the segment version
    # current at approval time; 0 = no segment) and the post's channels.
    segment_id: str = Field(default="", max_length=36)
    segment_version: int = Field(default=0)
    channel_ids: list = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )


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
    deactivated: int = Field(default=0)  # added by targeting_0002


_ADDED_EMPLOYEE_COLUMNS = {
    "title": "VARCHAR(200) NOT NULL DEFAULT ''",
    "manager": "VARCHAR(200) NOT NULL DEFAULT ''",
    "employment_status": "VARCHAR(20) NOT NULL DEFAULT 'active'",
    "hire_date": "DATE",
    "consent": "BOOLEAN NOT NULL DEFAULT TRUE",
    "opted_in_at": "TIMESTAMP WITH TIME ZONE",
    "opt_in_source": "VARCHAR(40) NOT NULL DEFAULT ''",
    "sharing_networks": "JSON NOT NULL DEFAULT '[]'",
    "max_shares_per_day": "INTEGER NOT NULL DEFAULT 0",
    "sharing_hours": "VARCHAR(11) NOT NULL DEFAULT ''",
}


def _add_columns(connection: Connection, table: str, columns: dict[str, str]) -> None:
    """A database created before 0002 lacks the new columns; one created
    since has them already (0001 creates the table from the current model)."""
    present = {c["name"] for c in inspect(connection).get_columns(table)}
    for name, ddl in columns.items():
        if name not in present:
            if connection.dialect.name == "sqlite":
                ddl = ddl.replace("WITH TIME ZONE", "").replace("TRUE", "1")
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}"))


def _directory_v2(connection: Connection) -> None:
    _add_columns(connection, "targeting_employees", _ADDED_EMPLOYEE_COLUMNS)
    _add_columns(
        connection, "targeting_directory_imports", {"deactivated": "INTEGER NOT NULL DEFAULT 0"}
    )
    create_tables(*DIRECTORY_V2_TABLES)(connection)


def _resolution_segments(connection: Connection) -> None:
    _add_columns(
        connection,
        "targeting_resolutions",
        {
            "segment_id": "VARCHAR(36) NOT NULL DEFAULT ''",
            "segment_version": "INTEGER NOT NULL DEFAULT 0",
            "channel_ids": "JSON NOT NULL DEFAULT '[]'",
        },
    )


def _preview_index(connection: Connection) -> None:
    _add_columns(
        connection, "targeting_employees", {"networks": "VARCHAR(200) NOT NULL DEFAULT ''"}
    )
    aggregate = "group_concat(a.network, ',' ORDER BY a.network)"
    if connection.dialect.name != "sqlite":
        aggregate = "string_agg(a.network, ',' ORDER BY a.network)"
    elif sqlite_version_info < (3, 44):
        aggregate = "group_concat(a.network, ',')"  # folded per name: the order is cosmetic
    connection.execute(
        text(
            f"UPDATE targeting_employees SET networks = COALESCE((SELECT {aggregate}"
            " FROM targeting_social_accounts a WHERE a.tenant_id = targeting_employees.tenant_id"
            " AND a.employee_id = targeting_employees.employee_id), '')"
        )
    )
    # A database created since this model has the index (0001 creates the
    # table from the current model); an older one gets it here.
    connection.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS ix_targeting_employees_preview ON targeting_employees"
            f" ({', '.join(_PREVIEW_INDEX_COLUMNS)})"
        )
    )


def _breakdown_index(connection: Connection) -> None:
    # Created before the old one is dropped, so no moment lacks a covering index.
    connection.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS ix_targeting_employees_breakdown ON targeting_employees"
            f" ({', '.join(_BREAKDOWN_INDEX_COLUMNS)})"
        )
    )
    connection.execute(text("DROP INDEX IF EXISTS ix_targeting_employees_preview"))
    connection.execute(text("ANALYZE targeting_employees"))


def _group_names(connection: Connection) -> None:
    _add_columns(connection, "targeting_employees", {"group_names": "TEXT NOT NULL DEFAULT ''"})
    rows = connection.execute(
        text(
            "SELECT m.tenant_id, m.employee_id, g.display_name FROM targeting_group_members m"
            " JOIN targeting_groups g ON g.tenant_id = m.tenant_id AND g.group_id = m.group_id"
        )
    ).all()
    names: dict[tuple[str, str], list[str]] = {}
    for tenant_id, employee_id, name in rows:
        names.setdefault((tenant_id, employee_id), []).append(name)
    if names:
        connection.execute(
            text(
                "UPDATE targeting_employees SET group_names = :value"
                " WHERE tenant_id = :tenant_id AND employee_id = :employee_id"
            ),
            [
                {"tenant_id": t, "employee_id": e, "value": group_names_value(n)}
                for (t, e), n in names.items()
            ],
        )
    if connection.dialect.name == "sqlite":
        # Created before the old one is dropped, so no moment lacks a covering index.
        connection.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS ix_targeting_employees_segment ON targeting_employees"
                f" ({', '.join(_SEGMENT_INDEX_COLUMNS)})"
            )
        )
        connection.execute(text("DROP INDEX IF EXISTS ix_targeting_employees_breakdown"))
        connection.execute(text("ANALYZE targeting_employees"))


MIGRATIONS = [
    Migration(
        "targeting_0001_initial", create_tables(EmployeeRow, ResolutionRow, DirectoryImportRow)
    ),
    Migration("targeting_0002_directory_channels_segments", _directory_v2),
    Migration("targeting_0003_scim_resources", create_tables(ScimResourceRow)),
    Migration("targeting_0004_resolution_segments", _resolution_segments),
    Migration("targeting_0005_preview_index", _preview_index),
    Migration("targeting_0006_breakdown_index", _breakdown_index),
    Migration("targeting_0007_group_names", _group_names),
]
