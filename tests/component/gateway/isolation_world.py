"""Tenant A's objects of every kind, made through the gateway (and the
services' own handlers where only an event makes them), for the REST
tenant-isolation matrix (test_gateway_isolation.py); tenant B's people who
try them; and what A's objects look like (`snapshot`), to prove that B's
requests changed nothing. Tenant names are unique per run (the Redis
leaderboard is shared)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.component.gateway.backends import Backends
from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee
from tests.component.gateway.test_gateway_media import png


@dataclass
class World:
    gw: Gateway
    a: str
    b: str
    a_admin: str = ""
    a_comms: str = ""
    a_employee: str = ""
    b_admin: str = ""
    b_employee: str = ""
    ids: dict[str, str] = field(default_factory=dict)
    # What only tenant A's data contains: none may appear in an answer to B.
    markers: set[str] = field(default_factory=set)

    def token(self, who: str) -> str:
        token: str = getattr(self, who)
        return token

    async def call(self, who: str, method: str, url: str, **kwargs: Any) -> Any:
        key = "auto" if method in ("POST", "PUT", "PATCH", "DELETE") else None
        headers = self.gw.headers(self.token(who), key=key, **kwargs.pop("headers", {}))
        return await self.gw.client.request(method, url, headers=headers, **kwargs)

    async def made(self, who: str, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        answer = await self.call(who, method, url, **kwargs)
        assert answer.status_code in (200, 201), (url, answer.text)
        found: dict[str, Any] = answer.json()
        return found

    def snapshot_urls(self) -> list[tuple[str, str]]:
        i = self.ids
        post, media = f"/v1/posts/{i['post']}", f"/v1/media/{i['media']}"
        return [
            ("a_comms", post),
            ("a_comms", f"{post}/versions"),
            ("a_comms", f"{post}/comments"),
            ("a_comms", f"{post}/audit"),
            ("a_comms", f"/v1/posts/{i['proposal']}"),
            ("a_comms", "/v1/posts"),
            ("a_comms", media),
            ("a_comms", "/v1/media"),
            ("a_comms", "/v1/feeds"),
            ("a_comms", "/v1/channels"),
            ("a_comms", f"/v1/segments/{i['segment']}"),
            ("a_comms", "/v1/segments"),
            ("a_comms", "/v1/approval-chains"),
            ("a_comms", "/v1/charter"),
            ("a_comms", f"/v1/employees/{i['employee']}"),
            ("a_employee", f"/v1/shares/{i['share']}"),
            ("a_comms", f"/v1/shares/{i['published']}/publication"),
            ("a_comms", "/v1/shares"),
            ("a_comms", "/v1/leaderboard"),
            ("a_comms", f"/v1/employees/{i['employee']}/profile"),
            ("a_comms", "/v1/stats"),
            ("a_comms", f"/v1/posts/{i['post']}/translations"),
            ("a_comms", "/v1/language-policy"),
            ("a_admin", "/v1/role-grants/rita"),
            ("a_admin", f"/v1/webhooks/{i['webhook']}"),
            ("a_admin", "/v1/webhook-allowed-hosts"),
        ]

    async def snapshot(self) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for who, url in self.snapshot_urls():
            answer = await self.call(who, "GET", url)
            assert answer.status_code == 200, (url, answer.text)
            seen[url] = answer.json()
        return seen


async def build(gw: Gateway, backends: Backends) -> World:
    run = uuid.uuid4().hex[:8]
    w = World(gw, f"ia-{run}", f"ib-{run}")
    idp = gw.idp
    w.a_admin = idp.token(f"{w.a}-admin", w.a, roles=("tenant_admin",))
    w.a_comms = idp.token(f"{w.a}-comms", w.a, roles=("comms_manager",))
    w.a_employee, w.ids["employee"] = await employee(gw, "E1", w.a)
    w.b_admin = idp.token(f"{w.b}-admin", w.b, roles=("tenant_admin",))
    w.b_employee, _ = await employee(gw, "B1", w.b)
    secret = f"alpha{run}"
    post = await w.made(
        "a_comms",
        "POST",
        "/v1/posts",
        json={"title": f"{secret} launch", "body": "plant", "source_language": "en"},
    )
    w.ids["post"] = post["post_id"]
    await w.made("a_comms", "POST", f"/v1/posts/{post['post_id']}/submit")
    await w.made(
        "a_comms", "POST", f"/v1/posts/{post['post_id']}/comments", json={"text": f"{secret} note"}
    )
    proposal = await w.made(
        "a_employee", "POST", "/v1/proposals", json={"title": f"{secret} idea", "body": "x y z"}
    )
    w.ids["proposal"] = proposal["post"]["post_id"]
    media = await w.made(
        "a_comms",
        "POST",
        "/v1/media",
        files={"file": (f"{secret}.png", png(7, 7), "image/png")},
    )
    w.ids["media"] = media["media_id"]
    feed = await w.made(
        "a_comms", "POST", "/v1/feeds", json={"url": f"https://{secret}.example/feed.xml"}
    )
    w.ids["feed"] = feed["feed_id"]
    channel = await w.made("a_comms", "POST", "/v1/channels", json={"name": f"{secret} chan"})
    w.ids["channel"] = channel["channel_id"]
    segment = await w.made(
        "a_comms", "POST", "/v1/segments", json={"name": f"{secret} seg", "rule": 'country = "FR"'}
    )
    w.ids["segment"] = segment["segment_id"]
    await w.made(
        "a_admin", "PUT", "/v1/approval-chains/job_offer", json={"steps": [f"{secret}-legal"]}
    )
    await w.made("a_admin", "PUT", "/v1/charter", json={"blocked_phrases": [f"{secret} phrase"]})
    await w.made(
        "a_admin", "PUT", "/v1/language-policy", json={"languages": {"de": {"action": "hold"}}}
    )
    await w.made(
        "a_admin",
        "PUT",
        "/v1/role-grants/rita",
        json={"grants": [{"role": "reviewer", "steps": [f"{secret}-step"]}]},
    )
    await w.made("a_admin", "PUT", "/v1/webhook-allowed-hosts", json={"hosts": ["127.0.0.1"]})
    hook = await w.made(
        "a_admin",
        "POST",
        "/v1/webhooks",
        json={"url": f"https://127.0.0.1/{secret}", "event_types": ["share.published"]},
    )
    w.ids["webhook"] = hook["webhook_id"]
    handle, password = await backends.pds_account()
    await w.made(
        "a_employee", "POST", "/v1/me/accounts", json={"handle": handle, "secret": password}
    )
    (w.ids["share"],) = await backends.suggest(w.a, post["post_id"], w.ids["employee"])
    w.ids["published"] = f"{w.a}-published-1"
    await backends.published(w.a, post["post_id"], w.ids["employee"], w.ids["published"])
    await backends.translated(w.a, post["post_id"], "es", f"{secret} hola")
    await backends.held(w.a, post["post_id"], "de")
    w.markers = {secret, w.a, f"{w.a}-comms", f"{w.a}-admin", "e1@example.com", *w.ids.values()}
    return w
