"""The gateway database's migration history (versions/), applied at start-up
by ServiceRuntime; a new revision: `uv run chorus db revision gateway -m "..."`
(services/README.md, "Schema migrations")."""

from __future__ import annotations

from pathlib import Path

from chorus_db import Schema
from chorus_messaging import MESSAGING_SCHEMA

SCHEMA = Schema(
    name="gateway",
    versions=Path(__file__).with_name("versions"),
    models="gateway_service.adapters",
    requires=(MESSAGING_SCHEMA,),
)
