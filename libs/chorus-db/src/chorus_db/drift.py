"""What Alembic compares: only this database's tables, only the indexes its
dialect builds. Shared by migrations (env.py), new revisions (autogenerate)
and the drift test (an empty database migrated to head must match the models
exactly)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, Literal

from alembic.autogenerate import compare_metadata
from alembic.autogenerate.api import AutogenContext
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Index, Table
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from chorus_db.schema import Schema


def context_options(
    tables: Callable[[], Iterable[Table]], ignored: Callable[[], Iterable[str]], dialect: str
) -> dict[str, Any]:
    """Alembic options comparing exactly these tables (a new revision of a
    history compares its own tables; the drift test every table of a
    database). Any other table the database holds is reported as one to drop
    (a table a model no longer has, left behind), except the ignored ones:
    another history's tables, and the tables no model describes (SQLite's
    FTS5 table and the shadow tables SQLite names after it).

    The tables are looked up only when Alembic compares (autogenerate, the
    drift test): an upgrade at start-up imports no model module for this."""

    @cache
    def names() -> frozenset[str]:
        return frozenset(table.name for table in tables())

    @cache
    def skipped() -> frozenset[str]:
        return frozenset(ignored())

    def compared(name: str | None) -> bool:
        if name is None or name in names():
            return True
        return not any(name == s or name.startswith(f"{s}_") for s in skipped())

    def include_name(name: str | None, type_: str, _parents: Any) -> bool:
        return type_ != "table" or compared(name)

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, _compare_to: Any
    ) -> bool:
        if type_ == "table":
            # Not another history's model, nor any other service's table
            # registered on the shared SQLModel.metadata.
            return compared(name) if reflected else name in names()
        if type_ == "index" and not reflected and isinstance(obj, Index):
            return built_on(obj, dialect)
        return True

    return {
        "include_name": include_name,
        "include_object": include_object,
        "compare_type": True,
        "compare_server_default": _same_default_or_ask_alembic,
        "render_item": _render_item,
    }


def built_on(index: Index, dialect: str) -> bool:
    """Whether create_all would build this index on this dialect: an index
    declared with .ddl_if(dialect=...) exists on that dialect only (Alembic's
    comparison does not read ddl_if itself)."""
    condition = index._ddl_if  # SQLAlchemy keeps Index.ddl_if()'s arguments here
    if condition is None or condition.dialect is None:
        return True
    wanted = condition.dialect
    return dialect == wanted if isinstance(wanted, str) else dialect in wanted


def schema_drift(connection: Connection, schema: Schema) -> list[Any]:
    """Differences between the database and the models; [] means none."""
    unmodelled = [name for history in schema.histories() for name in history.unmodelled]
    options = context_options(schema.tables, lambda: unmodelled, connection.dialect.name)
    context = MigrationContext.configure(connection, opts=options)
    with quiet_expression_indexes():
        return list(compare_metadata(context, SQLModel.metadata))


@contextmanager
def quiet_expression_indexes() -> Iterator[None]:
    """Alembic warns that SQLite cannot reflect expression indexes before it
    asks include_object, even for one declared for PostgreSQL only (content's
    tsvector index): nothing to compare there, nothing to warn about."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        yield


def _same_default_or_ask_alembic(
    _context: MigrationContext,
    _inspected_column: Any,
    _metadata_column: Any,
    inspected: str | None,
    _metadata_default: Any,
    rendered_metadata: str | None,
) -> bool | None:
    """False when both defaults are the same literal once quotes and parens
    are gone; else None (Alembic compares as usual). Alembic's SQLite
    comparison reads an empty-string default ('') as differing from itself."""
    if inspected is None or rendered_metadata is None:
        return None
    if _literal(inspected) == _literal(rendered_metadata):
        return False
    return None


def _literal(default: str) -> str:
    text = default.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1]
    return text


def _render_item(type_: str, obj: Any, _context: AutogenContext) -> str | Literal[False]:
    # SQLModel's str columns are AutoString: write them as plain sa.String in
    # revisions, so a revision does not depend on SQLModel's internals.
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False
