"""`chorus db revision SERVICE -m "..."`: a new migration revision.

A service's schema is `<service>_service.adapters.migrations.SCHEMA`; the
shared outbox/inbox history is `chorus_messaging.migrations.MESSAGING_SCHEMA`
(name it `messaging`). See services/README.md, "Schema migrations".
"""

from __future__ import annotations

import asyncio
import importlib

import typer
from chorus_db import Schema
from chorus_db.revisions import new_revision

from chorus_cli.common import console
from chorus_cli.stack import SERVICES

db_app = typer.Typer(help="Database schema migrations (Alembic)", no_args_is_help=True)


def schema_of(name: str) -> Schema:
    if name == "messaging":
        module = "chorus_messaging.migrations"
        attribute = "MESSAGING_SCHEMA"
    elif name in {spec.name for spec in SERVICES}:
        module = f"{name}_service.adapters.migrations"
        attribute = "SCHEMA"
    else:
        known = ", ".join(["messaging", *(spec.name for spec in SERVICES)])
        raise typer.BadParameter(f"unknown schema {name!r} (one of: {known})")
    schema = getattr(importlib.import_module(module), attribute)
    if not isinstance(schema, Schema):
        raise typer.BadParameter(f"{module}.{attribute} is not a chorus_db.Schema")
    return schema


@db_app.command("revision")
def revision(
    service: str = typer.Argument(..., help="a service name, or `messaging`"),
    message: str = typer.Option(..., "-m", "--message", help="what the revision changes"),
    empty: bool = typer.Option(
        False, help="an empty revision (data migrations) instead of autogenerating one"
    ),
) -> None:
    """Write the next revision: what the models changed since the last one,
    compared on a scratch SQLite database. Review it before committing
    (dialect-specific indexes, data copies, server defaults)."""
    path = asyncio.run(new_revision(schema_of(service), message, autogenerate=not empty))
    console.print(f"wrote {path}")
