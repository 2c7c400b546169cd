"""Gamification and stats through the gateway over the real gamification
(its board in the real Redis) and metrics servers, with points and shares
from SharePublished as publishing emits it: the leaderboard (cursor),
profiles, rebuild, post and tenant stats; named fields, replays, tenants
and roles. Tenants are unique per test: the Redis board is shared."""

from __future__ import annotations

import uuid

from tests.component.gateway.backends import Backends
from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee


def tenant() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


async def test_board_profiles_rebuild_and_stats(gwb: Gateway, backends: Backends) -> None:
    a = tenant()
    ana, ana_id = await employee(gwb, "E1", a)
    _, ben_id = await employee(gwb, "E2", a)
    await backends.published(a, "p1", ana_id, "s1")
    await backends.published(a, "p1", ana_id, "s2")
    await backends.published(a, "p2", ben_id, "s3")
    first = await gwb.client.get(
        "/v1/leaderboard", params={"limit": 1}, headers=gwb.headers(ana, key=None)
    )
    assert first.status_code == 200, first.text
    assert [(e["rank"], e["employee_id"]) for e in first.json()["items"]] == [(1, ana_id)]
    second = await gwb.client.get(first.json()["next"], headers=gwb.headers(ana, key=None))
    assert [e["employee_id"] for e in second.json()["items"]] == [ben_id]
    assert second.json()["next"] is None
    mine = await gwb.client.get("/v1/me/profile", headers=gwb.headers(ana, key=None))
    assert mine.json()["employee_id"] == ana_id and len(mine.json()["entries"]) == 2
    comms = gwb.idp.token("alice", a)
    ben = await gwb.client.get(
        f"/v1/employees/{ben_id}/profile", headers=gwb.headers(comms, key=None)
    )
    assert ben.json()["points"] > 0
    admin = gwb.idp.token("ada", a, roles=("tenant_admin",))
    rebuilt = await gwb.client.post("/v1/leaderboard/rebuild", headers=gwb.headers(admin))
    assert rebuilt.status_code == 200 and rebuilt.json() == {"employees": 2}
    post = await gwb.client.get("/v1/posts/p1/stats", headers=gwb.headers(comms, key=None))
    assert post.status_code == 200, post.text
    assert post.json()["shares"] == 2 and post.json()["by_country"]["FR"]["shares"] == 2
    total = await gwb.client.get("/v1/stats", headers=gwb.headers(comms, key=None))
    assert total.json()["shares"] == 3


async def test_bad_input_names_the_field(gwb: Gateway) -> None:
    token = gwb.idp.token("alice", tenant())
    limit = await gwb.client.get(
        "/v1/leaderboard", params={"limit": 0}, headers=gwb.headers(token, key=None)
    )
    assert limit.status_code == 422 and limit.json()["errors"][0]["field"] == "query.limit"
    cursor = await gwb.client.get(
        "/v1/leaderboard", params={"cursor": "forged"}, headers=gwb.headers(token, key=None)
    )
    assert cursor.status_code == 400 and cursor.json()["errors"][0]["field"] == "query.cursor"
    unknown = await gwb.client.get(
        "/v1/stats", params={"tenant_id": "x"}, headers=gwb.headers(token, key=None)
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "query.tenant_id"


async def test_a_retry_is_the_first_rebuild(gwb: Gateway, backends: Backends) -> None:
    a = tenant()
    _, ana_id = await employee(gwb, "E1", a)
    await backends.published(a, "p1", ana_id, "s1")
    admin = gwb.idp.token("ada", a, roles=("tenant_admin",))
    headers = gwb.headers(admin, key="rebuild-1")
    first = await gwb.client.post("/v1/leaderboard/rebuild", headers=headers)
    await backends.published(a, "p1", "someone-else", "s2")
    again = await gwb.client.post("/v1/leaderboard/rebuild", headers=headers)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()


async def test_other_tenants_and_roles_are_refused(gwb: Gateway, backends: Backends) -> None:
    a, b = tenant(), tenant()
    ana, ana_id = await employee(gwb, "E1", a)
    await backends.published(a, "p1", ana_id, "s1")
    eve = gwb.idp.token("eve", b, roles=("tenant_admin",))
    board = await gwb.client.get("/v1/leaderboard", headers=gwb.headers(eve, key=None))
    assert board.json()["items"] == []
    profile = await gwb.client.get(
        f"/v1/employees/{ana_id}/profile", headers=gwb.headers(eve, key=None)
    )
    assert profile.json()["points"] == 0 and profile.json()["entries"] == []
    for url in ("/v1/posts/p1/stats", "/v1/stats"):
        stats = await gwb.client.get(url, headers=gwb.headers(eve, key=None))
        assert stats.json()["shares"] == 0 and stats.json()["by_country"] == {}
    _, ben_id = await employee(gwb, "E2", a)
    colleague = await gwb.client.get(
        f"/v1/employees/{ben_id}/profile", headers=gwb.headers(ana, key=None)
    )
    assert colleague.status_code == 403
    comms = gwb.idp.token("alice", a)
    assert (
        await gwb.client.post("/v1/leaderboard/rebuild", headers=gwb.headers(comms))
    ).status_code == 403
    for url in ("/v1/posts/p1/stats", "/v1/stats"):
        assert (await gwb.client.get(url, headers=gwb.headers(ana, key=None))).status_code == 403
    still = await gwb.client.get("/v1/me/profile", headers=gwb.headers(ana, key=None))
    assert len(still.json()["entries"]) == 1
