"""Feeds through the gateway over the real content server: subscribe,
list (cursor), poll a real feed served on this machine (allowed by the
tenant admin's allow-list), retries, tenants and roles."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Industry</title>
<item><title>Plants are growing</title><link>https://news.example/1</link>
<description>A good year for plants</description><guid>n-1</guid></item>
<item><title>Trains are late</title><link>https://news.example/2</link>
<description>Not our fault</description><guid>n-2</guid></item>
</channel></rss>"""


class FeedHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(RSS)))
        self.end_headers()
        self.wfile.write(RSS)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def feed_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


async def test_subscribe_list_and_poll(gw: Gateway, feed_url: str) -> None:
    admin = gw.idp.token("ada", roles=("tenant_admin",))
    hosts = await gw.client.put(
        "/v1/feed-allowed-hosts", json={"hosts": ["127.0.0.1"]}, headers=gw.headers(admin)
    )
    assert hosts.status_code == 200 and hosts.json() == {"hosts": ["127.0.0.1"]}
    made = await gw.client.post(
        "/v1/feeds", json={"url": feed_url, "campaign": "industry"}, headers=gw.headers()
    )
    assert made.status_code == 201, made.text
    feed = made.json()
    other = await gw.client.post("/v1/feeds", json={"url": feed_url + "?2"}, headers=gw.headers())
    assert other.status_code == 201
    first = await gw.client.get("/v1/feeds", params={"limit": 1}, headers=gw.headers(key=None))
    second = await gw.client.get(first.json()["next"], headers=gw.headers(key=None))
    assert second.json()["next"] is None
    listed = [f["feed_id"] for f in first.json()["items"] + second.json()["items"]]
    assert sorted(listed) == sorted([feed["feed_id"], other.json()["feed_id"]])
    polled = await gw.client.post(f"/v1/feeds/{feed['feed_id']}/poll", headers=gw.headers())
    assert polled.status_code == 200, polled.text
    created = polled.json()["created_post_ids"]
    assert len(created) == 2
    draft = await gw.client.get(f"/v1/posts/{created[0]}", headers=gw.headers(key=None))
    assert draft.json()["kind"] == "curated" and draft.json()["author_id"] == "alice"


async def test_bad_input_names_the_field(gw: Gateway) -> None:
    missing = await gw.client.post("/v1/feeds", json={"campaign": "x"}, headers=gw.headers())
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "body.url", "reason": "required"}]
    refused = await gw.client.post(
        "/v1/feeds", json={"url": "ftp://files.example/feed"}, headers=gw.headers()
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "body.url"
    admin = gw.idp.token("ada", roles=("tenant_admin",))
    empty_host = await gw.client.put(
        "/v1/feed-allowed-hosts", json={"hosts": [""]}, headers=gw.headers(admin)
    )
    assert empty_host.status_code == 422
    assert empty_host.json()["errors"][0]["field"] == "body.hosts[0]"


async def test_a_retry_is_the_first_subscription(gw: Gateway, feed_url: str) -> None:
    headers = gw.headers(key="feed-1")
    first = await gw.client.post("/v1/feeds", json={"url": feed_url}, headers=headers)
    again = await gw.client.post("/v1/feeds", json={"url": feed_url}, headers=headers)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    listed = await gw.client.get("/v1/feeds", headers=gw.headers(key=None))
    assert len(listed.json()["items"]) == 1


async def test_other_tenants_and_roles_are_refused(gw: Gateway, feed_url: str) -> None:
    feed = (await gw.client.post("/v1/feeds", json={"url": feed_url}, headers=gw.headers())).json()
    eve = gw.idp.token("eve", "globex", roles=("tenant_admin",))
    listed = await gw.client.get("/v1/feeds", headers=gw.headers(eve, key=None))
    assert listed.json()["items"] == []
    poll = await gw.client.post(f"/v1/feeds/{feed['feed_id']}/poll", headers=gw.headers(eve))
    assert poll.status_code == 404 and feed_url not in poll.text
    manager = gw.idp.token("alice")
    hosts = await gw.client.put(
        "/v1/feed-allowed-hosts", json={"hosts": ["x.example"]}, headers=gw.headers(manager)
    )
    assert hosts.status_code == 403  # the allow-list is the tenant admin's
    ana, _ = await employee(gw, "E1")
    subscribed = await gw.client.post("/v1/feeds", json={"url": feed_url}, headers=gw.headers(ana))
    assert subscribed.status_code == 403
    still = await gw.client.get("/v1/feeds", headers=gw.headers(key=None))
    assert [f["items_imported"] for f in still.json()["items"]] == [0]
