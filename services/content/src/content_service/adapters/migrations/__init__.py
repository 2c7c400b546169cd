"""The content database's migration history (versions/), applied at start-up
by ServiceRuntime; a new revision: `uv run chorus db revision content -m "..."`
(services/README.md, "Schema migrations")."""

from __future__ import annotations

from pathlib import Path

from chorus_db import Schema
from chorus_messaging import MESSAGING_SCHEMA

SCHEMA = Schema(
    name="content",
    versions=Path(__file__).with_name("versions"),
    models="content_service.adapters",
    requires=(MESSAGING_SCHEMA,),
    # SQLite's full-text index of posts (an FTS5 table, see content_0001).
    unmodelled=("content_posts_fts",),
)
