"""A migration history and the models it must produce.

Each service's database carries its own history plus the histories it
requires (every service requires chorus-messaging's: outbox and inbox).
A history is a directory of Alembic revision files whose ids start with the
schema's name ("content_0001"); its first revision carries the name as
branch label and depends on the first revision of each required history.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Table
from sqlmodel import SQLModel


@dataclass(frozen=True)
class Schema:
    name: str  # branch label and revision id prefix: "content" -> content_0001
    versions: Path  # the directory of revision files
    models: str  # the package whose SQLModel tables the history must produce
    requires: tuple[Schema, ...] = ()
    # Tables a revision creates that no model describes (SQLite FTS5 virtual
    # tables): left out of every comparison, with their shadow tables.
    unmodelled: tuple[str, ...] = ()

    def histories(self) -> list[Schema]:
        """This schema and every one it requires, required ones first."""
        ordered: list[Schema] = []
        for required in self.requires:
            ordered += [s for s in required.histories() if s not in ordered]
        return [*ordered, self]

    def version_locations(self) -> list[Path]:
        return [s.versions for s in self.histories()]

    def tables(self) -> list[Table]:
        """The tables of this database: the models of every history (and no
        other table some imported module registered on SQLModel.metadata)."""
        tables: list[Table] = []
        for schema in self.histories():
            tables += schema.own_tables()
        return tables

    def own_tables(self) -> list[Table]:
        """The tables this history creates (not the ones it requires)."""
        return _tables_defined_in(self.models)

    def not_its_own(self) -> list[str]:
        """Tables of this database a revision of this history leaves alone:
        the required histories' ones and the unmodelled ones."""
        names = list(self.unmodelled)
        for required in self.histories()[:-1]:
            names += [table.name for table in required.own_tables()]
            names += required.unmodelled
        return names

    def revision_prefix(self) -> str:
        return f"{self.name}_"


def _tables_defined_in(package: str) -> list[Table]:
    # Import every module of the package, so a table defined in a module
    # nothing else imports yet is still part of the schema (and of the drift
    # test), not silently left out.
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(getattr(root, "__path__", []), f"{package}."):
        importlib.import_module(module.name)
    tables: dict[str, Table] = {}
    pending = list(SQLModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending += model.__subclasses__()
        table = getattr(model, "__table__", None)
        in_package = model.__module__ == package or model.__module__.startswith(f"{package}.")
        if in_package and isinstance(table, Table):
            tables[table.name] = table
    return [tables[name] for name in sorted(tables)]
