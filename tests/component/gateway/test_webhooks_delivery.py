"""Webhook deliveries to a real HTTPS receiver on 127.0.0.1 (its own CA,
trusted through the CA bundle setting; the host allow-listed by the tenant
admin as for feeds): signed per Standard Webhooks (checked with the
receiver's own implementation), retried on 500 with the same webhook-id,
logged, the webhook disabled after repeated failures, secrets rotated."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_messaging.topics import SHARES_PUBLISHED
from chorus_testing.events import outbox_events
from gateway_service.domain.webhooks import RetryPolicy
from sqlalchemy import text

from tests.component.gateway.webhook_receiver import Receiver, start_receiver, verify
from tests.component.gateway.webhooks_support import (
    admin,
    allow,
    db_of,
    deliver,
    subscribe,
    tick,
    worker,
)

if TYPE_CHECKING:
    from tests.component.gateway.conftest import Gateway, GatewayFactory

FAST = RetryPolicy(max_attempts=3, first_delay=timedelta(milliseconds=20), disable_after=50)


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    found = start_receiver(tmp_path)
    yield found
    found.close()


def published(share: str = "s-1") -> publishing_events.SharePublished:
    return publishing_events.SharePublished(
        share_id=share, post_id="p-1", employee_id="e-1", network="bluesky", post_uri="at://x/1"
    )


async def log(gw: Gateway, webhook_id: str) -> list[dict[str, Any]]:
    answer = await gw.client.get(f"/v1/webhooks/{webhook_id}/deliveries", headers=admin(gw))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def until_due(delivery: Any, attempts: int) -> None:
    """Ticks until `attempts` attempts were made (each after its backoff)."""
    made = 0
    for _ in range(200):
        made += await tick(delivery)
        if made >= attempts:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"only {made} of {attempts} attempts became due")


async def test_a_published_share_reaches_the_receiver_signed(
    gw: Gateway, receiver: Receiver
) -> None:
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, receiver.url, "share.published")
    assert hook["secret"].startswith("whsec_")
    await deliver(gw, published(), SHARES_PUBLISHED)
    async with worker(gw, receiver, FAST) as delivery:
        assert await tick(delivery) == 1
    [got] = receiver.received
    assert got.path == "/hooks/chorus"
    assert verify(hook["secret"], got)
    assert not verify("whsec_" + "A" * 44, got)  # another key does not verify
    body = json.loads(got.body)
    assert body["type"] == "share.published"
    assert body["data"] == {
        "share_id": "s-1",
        "post_id": "p-1",
        "employee_id": "e-1",
        "network": "bluesky",
        "post_uri": "at://x/1",
        "published_at": None,
    }
    [entry] = await log(gw, hook["webhook_id"])
    assert entry["delivery_id"] == got.headers["webhook-id"]
    assert (entry["status"], entry["attempts"]) == ("delivered", 1)
    assert [a["status_code"] for a in entry["history"]] == [200]
    # Not sent twice: the next tick finds nothing due.
    async with worker(gw, receiver, FAST) as delivery:
        assert await tick(delivery) == 0
    assert len(receiver.received) == 1


async def test_a_500_is_retried_with_the_same_webhook_id_until_delivered(
    gw: Gateway, receiver: Receiver
) -> None:
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, receiver.url, "share.published")
    receiver.script = [500, 500]
    await deliver(gw, published(), SHARES_PUBLISHED)
    async with worker(gw, receiver, FAST) as delivery:
        await until_due(delivery, 3)
    assert len(receiver.received) == 3
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    assert all(verify(hook["secret"], r) for r in receiver.received)
    [entry] = await log(gw, hook["webhook_id"])
    assert (entry["status"], entry["attempts"]) == ("delivered", 3)
    assert [a["status_code"] for a in entry["history"]] == [500, 500, 200]
    assert entry["history"][0]["error"] == "HTTP 500"


async def test_attempts_are_bounded_then_the_delivery_is_given_up(
    gw: Gateway, receiver: Receiver
) -> None:
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, receiver.url, "share.published")
    receiver.script = [500] * 10
    await deliver(gw, published(), SHARES_PUBLISHED)
    async with worker(gw, receiver, FAST) as delivery:
        await until_due(delivery, 3)
        await asyncio.sleep(0.1)
        assert await tick(delivery) == 0  # given up: never claimed again
    [entry] = await log(gw, hook["webhook_id"])
    assert (entry["status"], entry["attempts"], entry["next_attempt_at"]) == ("failed", 3, None)
    assert len(receiver.received) == 3


async def test_repeated_failures_disable_the_webhook_with_a_notice(
    gw: Gateway, receiver: Receiver
) -> None:
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, receiver.url, "share.published")
    receiver.script = [503] * 3
    policy = RetryPolicy(max_attempts=5, first_delay=timedelta(milliseconds=20), disable_after=3)
    await deliver(gw, published("s-1"), SHARES_PUBLISHED)
    async with worker(gw, receiver, policy) as delivery:
        await until_due(delivery, 3)
        await asyncio.sleep(0.1)
        assert await tick(delivery) == 0  # disabled: its pending delivery waits
    shown = (await gw.client.get(f"/v1/webhooks/{hook['webhook_id']}", headers=admin(gw))).json()
    assert (shown["enabled"], shown["consecutive_failures"]) == (False, 3)
    assert shown["disabled_reason"] == "disabled after 3 failed delivery attempts in a row"
    notices = [
        e
        for e in await outbox_events(db_of(gw), audit_events.AuditRecorded)
        if e.action == "webhook.disable"
    ]
    assert [(n.target_id, n.actor) for n in notices] == [(hook["webhook_id"], "service:gateway")]
    # While disabled, new events are not queued for it.
    await deliver(gw, published("s-2"), SHARES_PUBLISHED)
    [waiting] = await log(gw, hook["webhook_id"])
    assert (waiting["status"], waiting["attempts"]) == ("pending", 3)
    # Enabled again by an admin: the waiting delivery goes out.
    answer = await gw.client.post(f"/v1/webhooks/{hook['webhook_id']}/enable", headers=admin(gw))
    assert answer.status_code == 200, answer.text
    assert (answer.json()["enabled"], answer.json()["consecutive_failures"]) == (True, 0)
    async with worker(gw, receiver, policy) as delivery:
        await until_due(delivery, 1)
    assert len(receiver.received) == 4
    [done] = await log(gw, hook["webhook_id"])
    assert [a["status_code"] for a in done["history"]] == [503, 503, 503, 200]


async def test_a_rotation_signs_with_both_secrets_during_the_grace_period(
    gateway_factory: GatewayFactory, receiver: Receiver
) -> None:
    gw = await gateway_factory(gateway_webhook_rotation_grace_seconds=1)
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, receiver.url, "share.published")
    answer = await gw.client.post(
        f"/v1/webhooks/{hook['webhook_id']}/rotate-secret", headers=admin(gw)
    )
    assert answer.status_code == 200, answer.text
    new = answer.json()["secret"]
    assert new != hook["secret"] and answer.json()["previous_secret_until"]
    await deliver(gw, published("s-1"), SHARES_PUBLISHED)
    async with worker(gw, receiver, FAST) as delivery:
        assert await tick(delivery) == 1
        during = receiver.received[-1]
        assert len(during.headers["webhook-signature"].split(" ")) == 2
        assert verify(new, during) and verify(hook["secret"], during)
        await asyncio.sleep(1.1)  # the grace period ends
        await deliver(gw, published("s-2"), SHARES_PUBLISHED)
        assert await tick(delivery) == 1
    after = receiver.received[-1]
    assert verify(new, after) and not verify(hook["secret"], after)


async def test_secrets_are_stored_encrypted(gw: Gateway, receiver: Receiver) -> None:
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, receiver.url, "share.published")
    async with db_of(gw).session() as session:
        stored = (await session.execute(text("SELECT secret FROM gateway_webhooks"))).scalar_one()
    assert hook["secret"].encode() not in stored
    assert hook["secret"].removeprefix("whsec_").encode() not in stored
    listed = (await gw.client.get("/v1/webhooks", headers=admin(gw))).json()["items"]
    assert [h["webhook_id"] for h in listed] == [hook["webhook_id"]]
    assert "secret" not in listed[0]


async def test_a_host_no_longer_allowed_is_refused_at_delivery(
    gw: Gateway, receiver: Receiver
) -> None:
    await allow(gw, "127.0.0.1")
    hook = await subscribe(gw, receiver.url, "share.published")
    await allow(gw)  # the admin takes the receiver off the list
    await deliver(gw, published(), SHARES_PUBLISHED)
    async with worker(gw, receiver, FAST) as delivery:
        assert await tick(delivery) == 1
    assert receiver.received == []
    [entry] = await log(gw, hook["webhook_id"])
    [attempt] = entry["history"]
    assert attempt["status_code"] is None
    assert "non-public address" in attempt["error"]
