"""A leaderboard rebuild (the tenant admin's repair) leaves exactly one entry
of the tenant's audit log: how many employees the rebuilt board holds,
committed with the rebuild's record once the board is swapped; a retried
request_id records nothing more (SQLite and PostgreSQL, real Redis)."""

from __future__ import annotations

from typing import Any

from chorus_db import Database
from chorus_identity import acting_as
from chorus_testing.audit import AuditProbe
from chorus_testing.identity import admin
from gamification_service.app.use_cases import GamificationUseCases


async def test_a_rebuild_is_audited_once(
    on_share: Any, use_cases: GamificationUseCases, kit: Any, tenant: str, gam_db: Database
) -> None:
    for n, employee in enumerate(("emp-1", "emp-2", "emp-1")):
        event = kit.share_published(tenant, employee, f"share-{n}")
        await on_share(event, kit.context(gam_db, event, tenant))
    audit = AuditProbe(gam_db)
    await audit.none()  # points awarded are not administrative actions
    boss = admin(tenant)
    with acting_as(boss):
        assert await use_cases.rebuild(boss, tenant, "rebuild-1") == 2
        assert await use_cases.rebuild(boss, tenant, "rebuild-1") == 2  # a retry
    summary = await audit.one(
        "leaderboard.rebuild",
        actor=boss.ref,
        target=("leaderboard", tenant),
        tenant=tenant,
        request_id="rebuild-1",
        service="gamification",
    )
    assert summary == {"employees": [None, 2]}
    await audit.none()

    with acting_as(boss):
        await use_cases.rebuild(boss, tenant, "")  # no request_id: each one is a rebuild
    assert await audit.one(
        "leaderboard.rebuild", actor=boss.ref, target=("leaderboard", tenant), request_id=""
    ) == {"employees": [None, 2]}
