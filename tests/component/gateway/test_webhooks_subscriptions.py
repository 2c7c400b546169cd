"""Webhook subscriptions over the gateway's HTTP API: tenant admins only, in
their own tenant; HTTPS endpoints through the SSRF guard content's feeds use
(chorus_core.outbound), opened for a host only by the tenant's allow-list;
event types from the fixed list; every change audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest
from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus_testing.events import outbox_events

from tests.component.gateway.webhooks_support import admin, allow, db_of, member, subscribe

if TYPE_CHECKING:
    from tests.component.gateway.conftest import Gateway

# Refused without an allow-list entry: the server's own network.
INTERNAL = (
    "https://127.0.0.1:8443/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://10.1.2.3/hook",
    "https://[::1]/hook",
    "https://localhost/hook",
)


async def create(
    gw: Gateway, url: str, *types: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await gw.client.post(
        "/v1/webhooks",
        json={"url": url, "event_types": list(types or ("share.published",))},
        headers=headers or admin(gw),
    )


async def test_plain_http_is_refused(gw: Gateway) -> None:
    answer = await create(gw, "http://hooks.example.com/chorus")
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {"field": "body.url", "reason": "webhook endpoints must be https"}
    ]


@pytest.mark.parametrize("url", INTERNAL)
async def test_internal_addresses_are_refused(gw: Gateway, url: str) -> None:
    answer = await create(gw, url)
    assert answer.status_code == 400, answer.text
    [error] = answer.json()["errors"]
    assert error["field"] == "body.url" and "non-public address" in error["reason"]
    assert (await gw.client.get("/v1/webhooks", headers=admin(gw))).json()["items"] == []


async def test_credentials_in_the_url_are_refused(gw: Gateway) -> None:
    answer = await create(gw, "https://user:pw@hooks.example.com/chorus")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["reason"] == "must not carry credentials"


async def test_the_allow_list_opens_one_host_by_name(gw: Gateway) -> None:
    await allow(gw, "127.0.0.1")
    assert (await create(gw, "https://127.0.0.1:8443/hook")).status_code == 201
    # Only that host: the metadata address stays refused.
    assert (await create(gw, "https://169.254.169.254/")).status_code == 400
    listed = await gw.client.get("/v1/webhook-allowed-hosts", headers=admin(gw))
    assert listed.json() == {"hosts": ["127.0.0.1"]}


async def test_event_types_come_from_the_fixed_list(gw: Gateway) -> None:
    await allow(gw, "127.0.0.1")
    answer = await create(gw, "https://127.0.0.1/hook", "share.published", "employee.erased")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "body.event_types[1]"


@pytest.mark.parametrize("role", ["comms_manager", "reviewer", "moderator", "employee"])
async def test_only_tenant_admins_manage_webhooks(gw: Gateway, role: str) -> None:
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, "https://127.0.0.1/hook", "share.published")
    path = f"/v1/webhooks/{hook['webhook_id']}"
    headers = member(gw, role)
    assert (await create(gw, "https://127.0.0.1/x", headers=headers)).status_code == 403
    assert (await gw.client.get("/v1/webhooks", headers=headers)).status_code == 403
    assert (await gw.client.get(path, headers=headers)).status_code == 403
    assert (await gw.client.delete(path, headers=headers)).status_code == 403
    assert (await gw.client.post(f"{path}/rotate-secret", headers=headers)).status_code == 403
    assert (await gw.client.get(f"{path}/deliveries", headers=headers)).status_code == 403
    refused = await gw.client.put(
        "/v1/webhook-allowed-hosts", json={"hosts": ["10.0.0.1"]}, headers=headers
    )
    assert refused.status_code == 403
    assert (await gw.client.get(path, headers=admin(gw))).status_code == 200  # unchanged


async def test_another_tenants_webhook_is_not_found_and_unchanged(gw: Gateway) -> None:
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, "https://127.0.0.1/hook", "share.published")
    path = f"/v1/webhooks/{hook['webhook_id']}"
    other = admin(gw, tenant="globex", subject="admin-globex")
    for answer in (
        await gw.client.get(path, headers=other),
        await gw.client.delete(path, headers=other),
        await gw.client.post(f"{path}/rotate-secret", headers=other),
        await gw.client.post(f"{path}/enable", headers=other),
        await gw.client.get(f"{path}/deliveries", headers=other),
    ):
        assert answer.status_code == 404, answer.text
        assert "127.0.0.1" not in answer.text and "share.published" not in answer.text
    assert (await gw.client.get("/v1/webhooks", headers=other)).json()["items"] == []
    # Nor does their allow-list open anything for the first tenant, or show it.
    assert (await gw.client.get("/v1/webhook-allowed-hosts", headers=other)).json() == {"hosts": []}
    mine = await gw.client.get(path, headers=admin(gw))
    assert mine.status_code == 200 and mine.json()["enabled"] is True


async def test_delete_unsubscribes(gw: Gateway) -> None:
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, "https://127.0.0.1/hook", "post.approved", "points.awarded")
    path = f"/v1/webhooks/{hook['webhook_id']}"
    assert (await gw.client.delete(path, headers=admin(gw))).status_code == 204
    assert (await gw.client.get(path, headers=admin(gw))).status_code == 404
    assert (await gw.client.get("/v1/webhooks", headers=admin(gw))).json()["items"] == []


async def test_every_change_is_audited_without_the_secret(gw: Gateway) -> None:
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, "https://127.0.0.1/hook", "share.published")
    path = f"/v1/webhooks/{hook['webhook_id']}"
    rotated = await gw.client.post(f"{path}/rotate-secret", headers=admin(gw))
    assert (await gw.client.delete(path, headers=admin(gw))).status_code == 204
    entries = await outbox_events(db_of(gw), audit_events.AuditRecorded)
    assert [e.action for e in entries] == [
        "webhook_allowlist.set",
        "webhook.create",
        "webhook.rotate_secret",
        "webhook.delete",
    ]
    assert {e.actor for e in entries} == {"user:admin-1"}
    assert {e.tenant_id for e in entries} == {"acme"}
    assert all(e.request_id for e in entries)  # the Idempotency-Key of each request
    assert entries[0].summary == '{"hosts":[[],["127.0.0.1"]]}'
    for entry in entries:
        assert hook["secret"] not in entry.summary
        assert rotated.json()["secret"] not in entry.summary
