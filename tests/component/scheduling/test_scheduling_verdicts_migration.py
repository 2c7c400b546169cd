"""Migration scheduling_0003 on a database written before it: texts already
stored keep waiting shares consistent (a held language stays held, the others
are cleared) and the superseded held-languages table is gone."""

from __future__ import annotations

from chorus_db import migrate
from chorus_testing.fixtures import DatabaseFactory
from scheduling_service.adapters.repository import VerdictRepository
from scheduling_service.adapters.tables import MIGRATIONS
from sqlalchemy import inspect, text

INSERT_TEXT = (
    "INSERT INTO scheduling_translations (tenant_id, post_id, version, language, body, link, network_texts,"
    " updated_at) VALUES ('t1', 'p1', 1, :language, 'Body', '', '{}', CURRENT_TIMESTAMP)"
)


async def test_existing_texts_get_the_verdict_their_held_state_implied(
    any_database: DatabaseFactory,
) -> None:
    db = await any_database()
    assert MIGRATIONS[2].id == "scheduling_0003_translation_verdicts"
    await migrate(db, MIGRATIONS[:2])
    async with db.engine.begin() as conn:
        # The schema as 0001 created it before the digest column existed.
        await conn.execute(text("ALTER TABLE scheduling_translations DROP COLUMN text_digest"))
        for language in ("es", "fr"):
            await conn.execute(text(INSERT_TEXT), {"language": language})
        await conn.execute(
            text(
                "INSERT INTO scheduling_held_languages (tenant_id, post_id, version, language, held_at)"
                " VALUES ('t1', 'p1', 1, 'es', CURRENT_TIMESTAMP)"
            )
        )
    assert await migrate(db, MIGRATIONS[:3]) == ["scheduling_0003_translation_verdicts"]
    async with db.session() as session:
        verdicts = VerdictRepository(session)
        assert await verdicts.verdict("t1", "p1", 1, "es") == "held"
        assert await verdicts.verdict("t1", "p1", 1, "fr") == "cleared"
        assert await verdicts.verdict("t1", "p1", 1, "de") is None
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert "scheduling_held_languages" not in tables and "scheduling_translation_verdicts" in tables
