"""Publishing through the gateway over the real publishing server and the
real Bluesky PDS: connect your own account (the secret never answered)
and disconnect it (204, then 404), a share's publication, a post's
published list; named fields, replays, tenants and roles."""

from __future__ import annotations

from tests.component.gateway.backends import Backends
from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee


async def test_connect_status_and_published(gwb: Gateway, backends: Backends) -> None:
    ana, ana_id = await employee(gwb, "E1")
    handle, password = await backends.pds_account()
    connected = await gwb.client.post(
        "/v1/me/accounts",
        json={"handle": handle, "secret": password},
        headers=gwb.headers(ana),
    )
    assert connected.status_code == 201, connected.text
    assert connected.json()["network"] == "bluesky" and password not in connected.text
    await backends.published("acme", "p1", ana_id, "share-a1")
    await backends.published("acme", "p1", ana_id, "share-a2")
    status = await gwb.client.get(
        "/v1/shares/share-a1/publication", headers=gwb.headers(ana, key=None)
    )
    assert status.status_code == 200 and status.json()["status"] == "published"
    comms = gwb.idp.token("alice")
    first = await gwb.client.get(
        "/v1/posts/p1/published", params={"limit": 1}, headers=gwb.headers(comms, key=None)
    )
    second = await gwb.client.get(first.json()["next"], headers=gwb.headers(comms, key=None))
    ids = {r["share_id"] for r in first.json()["items"] + second.json()["items"]}
    assert ids == {"share-a1", "share-a2"}


async def test_bad_input_names_the_field_never_the_secret(gwb: Gateway) -> None:
    ana, _ = await employee(gwb, "E1")
    missing = await gwb.client.post(
        "/v1/me/accounts", json={"secret": "hunter2-secret"}, headers=gwb.headers(ana)
    )
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "body.handle", "reason": "required"}]
    assert "hunter2" not in missing.text
    long = await gwb.client.post(
        "/v1/me/accounts",
        json={"handle": "a.test", "secret": "s3cr3t" * 1000},
        headers=gwb.headers(ana),
    )
    assert long.status_code == 422 and long.json()["errors"][0]["field"] == "body.secret"
    assert "s3cr3t" not in long.text
    wrong = await gwb.client.post(
        "/v1/me/accounts",
        json={"handle": "nobody.test", "secret": "not-the-password"},
        headers=gwb.headers(ana),
    )
    assert 400 <= wrong.status_code < 500 and "not-the-password" not in wrong.text


async def test_a_retry_is_the_first_connection(gwb: Gateway, backends: Backends) -> None:
    ana, _ = await employee(gwb, "E1")
    handle, password = await backends.pds_account()
    headers = gwb.headers(ana, key="connect-1")
    body = {"handle": handle, "secret": password}
    first = await gwb.client.post("/v1/me/accounts", json=body, headers=headers)
    again = await gwb.client.post("/v1/me/accounts", json=body, headers=headers)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()


async def test_other_tenants_and_roles_are_refused(gwb: Gateway, backends: Backends) -> None:
    ana, ana_id = await employee(gwb, "E1")
    await backends.published("acme", "p1", ana_id, "share-a1")
    bob, _ = await employee(gwb, "E1", tenant="globex")
    eve = gwb.idp.token("eve", "globex", roles=("tenant_admin",))
    for token in (bob, eve):
        status = await gwb.client.get(
            "/v1/shares/share-a1/publication", headers=gwb.headers(token, key=None)
        )
        assert status.status_code == 404 and "at://" not in status.text
        listed = await gwb.client.get(
            "/v1/posts/p1/published", headers=gwb.headers(token, key=None)
        )
        assert listed.json()["items"] == []
    _, password = await backends.pds_account()
    comms = gwb.idp.token("alice")
    refused = await gwb.client.post(
        "/v1/me/accounts", json={"handle": "x.test", "secret": password}, headers=gwb.headers(comms)
    )
    assert refused.status_code == 403  # only the employee connects their own account
    ben, _ = await employee(gwb, "E2")
    colleague = await gwb.client.get(
        "/v1/shares/share-a1/publication", headers=gwb.headers(ben, key=None)
    )
    assert colleague.status_code == 404
    still = await gwb.client.get(
        "/v1/shares/share-a1/publication", headers=gwb.headers(comms, key=None)
    )
    assert still.json()["status"] == "published"


async def test_disconnect_your_account(gwb: Gateway, backends: Backends) -> None:
    ana, ana_id = await employee(gwb, "E1")
    handle, password = await backends.pds_account()
    connected = await gwb.client.post(
        "/v1/me/accounts", json={"handle": handle, "secret": password}, headers=gwb.headers(ana)
    )
    assert connected.status_code == 201, connected.text
    url = "/v1/me/accounts/bluesky"
    keyless = await gwb.client.delete(url, headers=gwb.headers(ana, key=None))
    assert keyless.status_code == 400
    assert keyless.json()["errors"][0]["field"] == "header.Idempotency-Key"
    comms = await gwb.client.delete(url, headers=gwb.headers(gwb.idp.token("alice")))
    assert comms.status_code == 403  # only the employee disconnects their own account
    assert await backends.connected("acme", ana_id)

    headers = gwb.headers(ana, key="disconnect-1")
    gone = await gwb.client.delete(url, headers=headers)
    assert gone.status_code == 204 and gone.content == b"", gone.text
    assert not await backends.connected("acme", ana_id)
    retried = await gwb.client.delete(url, headers=headers)
    assert retried.status_code == 204 and retried.headers["idempotent-replayed"] == "true"
    again = await gwb.client.delete(url, headers=gwb.headers(ana))
    assert again.status_code == 404, again.text
    assert again.headers["content-type"].startswith("application/problem+json")

    unknown = await gwb.client.delete("/v1/me/accounts/myspace", headers=gwb.headers(ana))
    assert unknown.status_code == 400, unknown.text
    assert [e["field"] for e in unknown.json()["errors"]] == ["path.network"]
