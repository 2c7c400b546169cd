"""Alembic's environment for every Chorus schema. It runs only on the
connection chorus_db.migrations hands it (inside the transaction that holds
the migration lock); there is no offline mode and no alembic.ini."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo
from chorus_db.drift import context_options
from chorus_db.schema import Schema
from sqlalchemy import Connection
from sqlmodel import SQLModel

config = context.config
connection = config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("Chorus migrations run through chorus_db.migrate(db, schema)")
schema: Schema = config.attributes["schema"]
applied: list[str] = config.attributes.setdefault("applied", [])


def _record(
    ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
) -> None:
    # Alembic passes these by keyword: the names are its own.
    if not step.is_stamp and step.up_revision_id is not None:
        applied.append(step.up_revision_id)


context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite alters a table by copying it: batch operations do that for us.
    render_as_batch=True,
    on_version_apply=_record,
    # What autogenerate compares for a new revision: this history's own tables
    # (a change to a required history's table is a revision of that history).
    **context_options(schema.own_tables, schema.not_its_own, connection.dialect.name),
)
with context.begin_transaction():
    context.run_migrations()
