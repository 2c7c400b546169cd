"""The history of the outbox and inbox tables (chorus_messaging.tables).

Every service's database carries them: each service's schema requires this
one, and its first revision depends on this history's first revision. The
revisions live here once, so a change to the outbox is one revision that
every service's database applies at its next start.
"""

from __future__ import annotations

from pathlib import Path

from chorus_db import Schema

MESSAGING_SCHEMA = Schema(
    name="messaging",
    versions=Path(__file__).with_name("versions"),
    models="chorus_messaging",
)
