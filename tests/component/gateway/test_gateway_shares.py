"""Shares through the gateway over the real scheduling server (the shares
suggested by an audience, as targeting's event delivers it): schedule and
cancel your own, read, list your own and the tenant's, a post's waiting
shares; named fields, replays, tenants and roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.component.gateway.backends import Backends
from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee


async def test_schedule_cancel_read_and_list(gwb: Gateway, backends: Backends) -> None:
    ana, ana_id = await employee(gwb, "E1")
    _, ben_id = await employee(gwb, "E2")
    mine, _ = await backends.suggest("acme", "p1", ana_id, ben_id)
    made = await gwb.client.post("/v1/shares", json={"post_id": "p1"}, headers=gwb.headers(ana))
    assert made.status_code == 201, made.text
    assert made.json()["share_id"] == mine and made.json()["status"] == "scheduled"
    assert made.headers["location"] == f"/v1/shares/{mine}"
    when = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    later = await gwb.client.post(
        "/v1/shares",
        json={"post_id": "p1", "mode": "at", "at": when.isoformat()},
        headers=gwb.headers(ana),
    )
    assert later.status_code == 201, later.text
    assert datetime.fromisoformat(later.json()["due_at"]) == when
    too_far = await gwb.client.post(
        "/v1/shares",
        json={"post_id": "p1", "mode": "at", "at": "2099-01-01T09:00:00Z"},
        headers=gwb.headers(ana),
    )
    assert too_far.status_code == 400 and too_far.json()["errors"][0]["field"] == "body.at"
    asked = datetime.now(UTC).replace(microsecond=0)
    planned = await gwb.client.post(
        "/v1/shares", json={"post_id": "p1", "mode": "next_good_slot"}, headers=gwb.headers(ana)
    )
    assert planned.status_code == 201, planned.text
    assert planned.json()["status"] == "scheduled"
    assert datetime.fromisoformat(planned.json()["due_at"]) >= asked  # scheduling's choice
    shown = await gwb.client.get(f"/v1/shares/{mine}", headers=gwb.headers(ana, key=None))
    assert shown.json()["employee_id"] == ana_id
    own = await gwb.client.get("/v1/me/shares", headers=gwb.headers(ana, key=None))
    assert [s["share_id"] for s in own.json()["items"]] == [mine]
    comms = gwb.idp.token("alice")
    first = await gwb.client.get(
        "/v1/shares", params={"post_id": "p1", "limit": 1}, headers=gwb.headers(comms, key=None)
    )
    second = await gwb.client.get(first.json()["next"], headers=gwb.headers(comms, key=None))
    employees = {s["employee_id"] for s in first.json()["items"] + second.json()["items"]}
    assert employees == {ana_id, ben_id}
    waiting = await gwb.client.get(
        "/v1/posts/p1/waiting-shares", headers=gwb.headers(comms, key=None)
    )
    assert waiting.status_code == 200, waiting.text
    assert sum(g["count"] for g in waiting.json()["items"]) == 2
    cancelled = await gwb.client.post(f"/v1/shares/{mine}/cancel", headers=gwb.headers(ana))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


async def test_bad_input_names_the_field(gwb: Gateway) -> None:
    ana, _ = await employee(gwb, "E1")
    for body, where in (
        ({"post_id": "p1", "mode": "at"}, "body.at"),
        ({"post_id": "p1", "mode": "later"}, "body.mode"),
        ({"post_id": "p1", "employee_id": "someone"}, "body.employee_id"),
    ):
        answer = await gwb.client.post("/v1/shares", json=body, headers=gwb.headers(ana))
        assert answer.status_code == 422, body
        assert answer.json()["errors"][0]["field"] == where
    status = await gwb.client.get(
        "/v1/me/shares", params={"status": "lost"}, headers=gwb.headers(ana, key=None)
    )
    assert status.status_code == 422 and status.json()["errors"][0]["field"] == "query.status"


async def test_a_retry_is_the_first_schedule(gwb: Gateway, backends: Backends) -> None:
    ana, ana_id = await employee(gwb, "E1")
    await backends.suggest("acme", "p1", ana_id)
    headers = gwb.headers(ana, key="share-1")
    first = await gwb.client.post("/v1/shares", json={"post_id": "p1"}, headers=headers)
    again = await gwb.client.post("/v1/shares", json={"post_id": "p1"}, headers=headers)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()


async def test_other_tenants_and_roles_are_refused(gwb: Gateway, backends: Backends) -> None:
    ana, ana_id = await employee(gwb, "E1")
    (mine,) = await backends.suggest("acme", "p1", ana_id)
    bob, bob_id = await employee(gwb, "E1", tenant="globex")
    await backends.suggest("globex", "p1", bob_id)
    eve = gwb.idp.token("eve", "globex", roles=("tenant_admin",))
    for token in (bob, eve):
        for answer in (
            await gwb.client.get(f"/v1/shares/{mine}", headers=gwb.headers(token, key=None)),
            await gwb.client.post(f"/v1/shares/{mine}/cancel", headers=gwb.headers(token)),
        ):
            assert answer.status_code in (403, 404) and ana_id not in answer.text
    listed = await gwb.client.get("/v1/shares", headers=gwb.headers(eve, key=None))
    assert ana_id not in listed.text and len(listed.json()["items"]) == 1
    comms = gwb.idp.token("alice")
    refused = await gwb.client.post(
        "/v1/shares", json={"post_id": "p1"}, headers=gwb.headers(comms)
    )
    assert refused.status_code == 403  # nobody shares for someone else
    not_mine = await gwb.client.post(f"/v1/shares/{mine}/cancel", headers=gwb.headers(comms))
    assert not_mine.status_code == 403
    unlinked = await gwb.client.get("/v1/me/shares", headers=gwb.headers(comms, key=None))
    assert unlinked.status_code == 403
    waiting = await gwb.client.get(
        "/v1/posts/p1/waiting-shares", headers=gwb.headers(ana, key=None)
    )
    assert waiting.status_code == 403
    still = await gwb.client.get(f"/v1/shares/{mine}", headers=gwb.headers(ana, key=None))
    assert still.json()["status"] == "suggested"
