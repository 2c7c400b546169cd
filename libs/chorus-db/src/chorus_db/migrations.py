"""Schema migrations with Alembic, run by each service at start-up.

`migrate(db, schema)` upgrades the database to every head of the schema's
histories (the service's own and the ones it requires) in one transaction.
On PostgreSQL that transaction first takes an advisory lock, so replicas
starting together migrate one after the other: the first applies the
revisions, the others wait, then find nothing left to do.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from chorus_db.database import Database
from chorus_db.schema import Schema

_LOCK_KEY = 0x43484F52  # "CHOR"
# env.py and the revision template, shared by every schema.
_ENVIRONMENT = Path(__file__).with_name("alembic_env")
_PRE_ALEMBIC_TABLE = "chorus_schema_migrations"


def alembic_config(schema: Schema, connection: Connection | None = None) -> Config:
    """The Alembic configuration of a schema, built in code (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", _escape(str(_ENVIRONMENT)))
    config.set_main_option("path_separator", "os")
    locations = os.pathsep.join(str(path) for path in schema.version_locations())
    config.set_main_option("version_locations", _escape(locations))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["schema"] = schema
    config.attributes["connection"] = connection
    return config


def scripts(schema: Schema) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(schema))


async def migrate(db: Database, schema: Schema, target: str = "heads") -> list[str]:
    """Upgrade to `target` (every head by default); returns the revisions applied."""
    async with db.engine.begin() as conn:
        if not db.is_sqlite:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        return await conn.run_sync(upgrade, schema, target)


def upgrade(connection: Connection, schema: Schema, target: str = "heads") -> list[str]:
    config = alembic_config(schema, connection)
    applied: list[str] = []
    config.attributes["applied"] = applied
    _adopt_pre_alembic(connection, config)
    command.upgrade(config, target)
    return applied


def downgrade(connection: Connection, schema: Schema, target: str) -> list[str]:
    config = alembic_config(schema, connection)
    undone: list[str] = []
    config.attributes["applied"] = undone
    command.downgrade(config, target)
    return undone


def current(connection: Connection) -> set[str]:
    """The revisions the database is at (one per history)."""
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}


def _adopt_pre_alembic(connection: Connection, config: Config) -> None:
    """A database built by the runner Chorus had before Alembic (it recorded
    its steps in chorus_schema_migrations and applied all of them at every
    start) holds exactly the first revision of each history: record that
    instead of creating its tables again, and drop the old record."""
    tables = inspect(connection).get_table_names()
    if _PRE_ALEMBIC_TABLE not in tables or "alembic_version" in tables:
        return
    schema: Schema = config.attributes["schema"]
    script = ScriptDirectory.from_config(config)
    # The schema's own first revision (the base carrying its branch label);
    # the required histories' first revisions come with it (it depends on them).
    first = [
        rev.revision
        for rev in script.walk_revisions()
        if rev.is_base and schema.name in rev.branch_labels
    ]
    command.stamp(config, first)
    connection.execute(text(f"DROP TABLE {_PRE_ALEMBIC_TABLE}"))


def _escape(value: str) -> str:
    # Config values go through configparser interpolation.
    return value.replace("%", "%%")
