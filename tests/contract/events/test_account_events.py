"""Publishing's account events, from the real producer to the gateway's real
handler, each becoming one queued webhook delivery for the tenant:

* AccountNeedsReconnect: ben connected Chorus to the real local Bluesky
  server with an app password and revoked it there; once no live session is
  left (as when its access token expires), the PDS refuses to sign in, and
  his share of a post (scheduling's real ShareDue, carrying the post's
  expiry) is held, not failed; reconnecting sends it;
* TokenExpiring: ben's LinkedIn token (its connector against the LinkedIn
  simulator) expires in three days: the token warnings' job announces it once.

Keys are the opaque account id; the payloads carry ids, never a handle."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

import httpx
import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_core.clock import utcnow
from chorus_core.prototime import from_timestamp
from chorus_testing.identity import admin, everything
from chorus_testing.infra import required_env
from publishing_service.app.accounts import ConnectRequest
from publishing_service.domain.accounts import account_id_for

if TYPE_CHECKING:
    from tests.contract.conftest import GatewayWorld, Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # the Bluesky PDS and Redis (the shared budgets)
BRITAIN = pb.Targeting(countries=["GB"])  # ben (auto-share) and dan


class BlueskyUser:
    """An account on the local PDS, and what its owner does there."""

    def __init__(self) -> None:
        self.pds = required_env("CHORUS_BLUESKY_PDS_URL").rstrip("/")
        name = "r" + uuid.uuid4().hex[:12]
        self.handle, self.password = f"{name}.test", uuid.uuid4().hex

    async def _call(self, nsid: str, body: dict[str, str], bearer: str = "") -> dict[str, str]:
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(f"{self.pds}/xrpc/{nsid}", json=body, headers=headers)
        assert response.status_code == 200, response.text
        return dict(response.json()) if response.content else {}

    async def create(self) -> str:
        email = f"{self.handle.split('.')[0]}@example.com"
        made = await self._call(
            "com.atproto.server.createAccount",
            {"handle": self.handle, "email": email, "password": self.password},
        )
        return made["did"]

    async def _signed_in(self) -> str:
        session = await self._call(
            "com.atproto.server.createSession",
            {"identifier": self.handle, "password": self.password},
        )
        return session["accessJwt"]

    async def app_password(self, name: str) -> str:
        made = await self._call(
            "com.atproto.server.createAppPassword", {"name": name}, await self._signed_in()
        )
        return made["password"]

    async def revoke(self, name: str) -> None:
        await self._call(
            "com.atproto.server.revokeAppPassword", {"name": name}, await self._signed_in()
        )


async def subscribed(gateway: GatewayWorld, tenant: str, *event_types: str) -> str:
    boss = admin(tenant)
    await gateway.webhooks.set_allowed_hosts(boss, ["127.0.0.1"], "hosts-1")
    hook, _ = await gateway.webhooks.create(
        boss, "https://127.0.0.1:8443/chorus", list(event_types), "hook-1"
    )
    return hook.webhook_id


async def payloads(gateway: GatewayWorld, tenant: str, webhook_id: str) -> list[dict[str, object]]:
    deliveries, _ = await gateway.webhooks.deliveries(admin(tenant), webhook_id, "", 50)
    assert all(d.tenant_id == tenant for d in deliveries)
    return [json.loads(d.payload) for d in reversed(deliveries)]


@pytest.mark.contract("chorus.scheduling.v1.ShareDue", "publishing")
@pytest.mark.contract("chorus.publishing.v1.AccountNeedsReconnect", "gateway")
async def test_a_refused_token_holds_the_share_and_asks_the_employee_to_reconnect(
    campaign: Campaign, platform: Platform
) -> None:
    tenant, ben = campaign.tenant, campaign.employee("ben")
    gateway, publishing = await platform.gateway(), await platform.publishing()
    hook = await subscribed(gateway, tenant, "account.reconnect_needed", "share.failed")
    user = BlueskyUser()
    did = await user.create()
    connect = ConnectRequest(tenant, ben, "bluesky", user.handle, await user.app_password("c1"))
    await publishing.accounts.connect_account(everything(tenant, employee_id=ben), connect)
    await user.revoke("c1")
    account_id = account_id_for(tenant, ben, "bluesky")
    await publishing.sessions.forget(account_id)  # no live session left

    post = await campaign.approve(BRITAIN, expires_at=utcnow() + timedelta(days=30))
    [due] = await campaign.run(post)
    assert due.event.HasField("expires_at")
    await platform.deliver([due], publishing)
    assert await platform.events(publishing, publishing_events.ShareFailed) == []
    [needs] = await platform.events(publishing, publishing_events.AccountNeedsReconnect)
    assert needs.key == account_id and user.handle not in needs.payload.decode(errors="ignore")
    await platform.deliver([needs], gateway)

    [payload] = await payloads(gateway, tenant, hook)
    assert payload["type"] == "account.reconnect_needed"
    data = payload["data"]
    assert isinstance(data, dict)
    assert (data["account_id"], data["employee_id"], data["network"]) == (
        account_id,
        ben,
        "bluesky",
    )
    assert "rejected the credentials" in str(data["reason"])

    # Reconnected: the held share goes out, once.
    again = ConnectRequest(tenant, ben, "bluesky", user.handle, await user.app_password("c2"))
    await publishing.accounts.connect_account(everything(tenant, employee_id=ben), again)
    assert await publishing.sweeper.tick(utcnow()) == 1
    [published] = await platform.events(publishing, publishing_events.SharePublished)
    assert published.event.share_id == due.event.share_id
    assert published.event.post_uri.startswith(f"at://{did}/")
    assert await publishing.sweeper.tick(utcnow()) == 0


@pytest.mark.contract("chorus.publishing.v1.TokenExpiring", "gateway")
async def test_a_token_expiring_soon_is_announced_once_as_a_webhook(platform: Platform) -> None:
    tenant, employee = platform.tenant, "e-ben"
    gateway, publishing = await platform.gateway(), await platform.publishing()
    hook = await subscribed(gateway, tenant, "account.token_expiring")
    publishing.linkedin.add_member("li-token", "bEn_42")
    expires = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    secret = json.dumps({"access_token": "li-token", "expires_at": expires.isoformat()})
    await publishing.accounts.connect_account(
        everything(tenant, employee_id=employee),
        ConnectRequest(tenant, employee, "linkedin", "ben", secret),
    )

    assert await publishing.token_warnings.tick(utcnow()) == 1
    assert await publishing.token_warnings.tick(utcnow()) == 0  # once per (account, expiry)
    [expiring] = await platform.events(publishing, publishing_events.TokenExpiring)
    account_id = account_id_for(tenant, employee, "linkedin")
    assert expiring.key == account_id
    assert from_timestamp(expiring.event.expires_at) == expires
    await platform.deliver([expiring], gateway)

    [payload] = await payloads(gateway, tenant, hook)
    assert payload["type"] == "account.token_expiring"
    assert payload["data"] == {
        "account_id": account_id,
        "employee_id": employee,
        "network": "linkedin",
        "expires_at": expires.isoformat(),
    }
