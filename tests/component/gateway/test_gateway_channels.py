"""Channels and subscriptions through the gateway over the real targeting
server: create, list (cursor), managers, the caller subscribing and
unsubscribing themself; named fields, replays, tenants and roles."""

from __future__ import annotations

from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee


async def create(gw: Gateway, name: str = "Engineering", **fields: object) -> dict[str, object]:
    made = await gw.client.post("/v1/channels", json={"name": name, **fields}, headers=gw.headers())
    assert made.status_code == 201, made.text
    channel: dict[str, object] = made.json()
    return channel


async def test_create_list_managers_and_subscriptions(gw: Gateway) -> None:
    channel = await create(gw, description="Tech news")
    await create(gw, "Sales")
    first = await gw.client.get("/v1/channels", params={"limit": 1}, headers=gw.headers(key=None))
    second = await gw.client.get(first.json()["next"], headers=gw.headers(key=None))
    assert {c["name"] for c in first.json()["items"] + second.json()["items"]} == {
        "Engineering",
        "Sales",
    }
    ana, ana_id = await employee(gw, "E1")
    url = f"/v1/channels/{channel['channel_id']}"
    managed = await gw.client.put(
        f"{url}/managers", json={"manager_ids": [ana_id]}, headers=gw.headers()
    )
    assert managed.status_code == 200 and managed.json()["manager_ids"] == [ana_id]
    joined = await gw.client.put(f"{url}/subscription", headers=gw.headers(ana))
    assert joined.status_code == 200 and joined.json()["subscribers"] == 1
    left = await gw.client.delete(f"{url}/subscription", headers=gw.headers(ana))
    assert left.status_code == 200 and left.json()["subscribers"] == 0
    mandatory = await create(gw, "Everyone", mandatory=True)
    stuck = await gw.client.delete(
        f"/v1/channels/{mandatory['channel_id']}/subscription", headers=gw.headers(ana)
    )
    assert stuck.status_code == 409


async def test_bad_input_names_the_field(gw: Gateway) -> None:
    nameless = await gw.client.post("/v1/channels", json={"name": ""}, headers=gw.headers())
    assert nameless.status_code == 422 and nameless.json()["errors"][0]["field"] == "body.name"
    managers = await gw.client.put(
        "/v1/channels/c1/managers", json={"manager_ids": "x"}, headers=gw.headers()
    )
    assert managers.status_code == 422
    assert managers.json()["errors"][0]["field"] == "body.manager_ids"


async def test_a_retry_is_the_first_channel(gw: Gateway) -> None:
    headers = gw.headers(key="channel-1")
    first = await gw.client.post("/v1/channels", json={"name": "Ops"}, headers=headers)
    again = await gw.client.post("/v1/channels", json={"name": "Ops"}, headers=headers)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    listed = await gw.client.get("/v1/channels", headers=gw.headers(key=None))
    assert [c["name"] for c in listed.json()["items"]] == ["Ops"]


async def test_other_tenants_and_roles_are_refused(gw: Gateway) -> None:
    channel = await create(gw, "Secret projects")
    url = f"/v1/channels/{channel['channel_id']}"
    eve = gw.idp.token("eve", "globex", roles=("tenant_admin",))
    listed = await gw.client.get("/v1/channels", headers=gw.headers(eve, key=None))
    assert "Secret" not in listed.text
    managers = await gw.client.put(
        f"{url}/managers", json={"manager_ids": ["eve"]}, headers=gw.headers(eve)
    )
    assert managers.status_code in (403, 404) and "Secret" not in managers.text
    bob, _ = await employee(gw, "B1", tenant="globex")
    joined = await gw.client.put(f"{url}/subscription", headers=gw.headers(bob))
    assert joined.status_code in (403, 404) and "Secret" not in joined.text
    ana, _ = await employee(gw, "E1")
    refused = await gw.client.post("/v1/channels", json={"name": "Mine"}, headers=gw.headers(ana))
    assert refused.status_code == 403
    not_manager = await gw.client.put(
        f"{url}/managers", json={"manager_ids": []}, headers=gw.headers(ana)
    )
    assert not_manager.status_code == 403
    still = await gw.client.get("/v1/channels", headers=gw.headers(key=None))
    assert [(c["subscribers"], c["manager_ids"]) for c in still.json()["items"]] == [(0, [])]
