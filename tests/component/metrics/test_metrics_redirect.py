"""GET /l/{code} on the real Starlette app: 302 with UTM, one click per GET
(click row + LinkClicked in the outbox + clicks+1, in one transaction)."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import httpx
from chorus.metrics.v1 import metrics_events_pb2 as metrics_events
from chorus_messaging.topics import CLICKS
from chorus_testing.identity import as_service, everything
from metrics_service.adapters.tables import ClickRow
from metrics_service.entrypoints.http_app import create_app
from metrics_service.entrypoints.http_server import HttpServer
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

BROWSER = {
    "user-agent": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"
    )
}


PUBLISHING = as_service("publishing")  # the only caller metrics makes links for


async def make_link(use_cases, kit, tenant, **overrides):
    return await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, **overrides))


async def test_redirect_is_302_with_utm_and_keeps_existing_parameters(
    use_cases, kit, tenant, http
) -> None:
    link = await make_link(
        use_cases,
        kit,
        tenant,
        target_url="https://news.example.com/story?ref=newsroom&id=7#comments",
        campaign="spring-launch",
    )
    response = await http.get(f"/l/{link.code}", headers=BROWSER)
    assert response.status_code == 302
    assert response.headers["cache-control"] == "no-store"
    location = urlsplit(response.headers["location"])
    assert (location.scheme, location.netloc, location.path, location.fragment) == (
        "https",
        "news.example.com",
        "/story",
        "comments",
    )
    assert location.query.startswith("ref=newsroom&id=7&")
    assert parse_qs(location.query) == {
        "ref": ["newsroom"],
        "id": ["7"],
        "utm_source": ["bluesky"],
        "utm_medium": ["employee_advocacy"],
        "utm_campaign": ["spring-launch"],
        "utm_content": [link.share_id],
    }


async def test_each_get_is_one_click_with_its_event_and_counter(
    use_cases, kit, tenant, http, metrics_db
) -> None:
    link = await make_link(
        use_cases, kit, tenant, share_id="share-7", post_id="post-7", country="DE"
    )
    for _ in range(3):
        assert (await http.get(f"/l/{link.code}", headers=BROWSER)).status_code == 302
    assert await kit.count(metrics_db, ClickRow) == 3
    events = await kit.outbox(metrics_db, CLICKS)
    assert len(events) == 3
    assert {e.key for e in events} == {link.code}
    assert {e.tenant_id for e in events} == {tenant}
    clicked = [metrics_events.LinkClicked.FromString(e.payload) for e in events]
    assert len({c.click_id for c in clicked}) == 3
    first = clicked[0]
    assert (
        first.tenant_id,
        first.code,
        first.share_id,
        first.post_id,
        first.employee_id,
        first.country,
    ) == (tenant, link.code, "share-7", "post-7", "emp-1", "DE")
    stats = await use_cases.post_stats(everything(tenant), tenant, "post-7")
    assert (stats.total.clicks, stats.by_country["DE"].clicks) == (3, 3)


async def test_head_and_link_preview_fetchers_are_redirected_but_not_counted(
    use_cases, kit, tenant, http, metrics_db
) -> None:
    link = await make_link(use_cases, kit, tenant)
    head = await http.head(f"/l/{link.code}", headers=BROWSER)
    assert head.status_code == 302 and "utm_source=bluesky" in head.headers["location"]
    bot = await http.get(
        f"/l/{link.code}", headers={"user-agent": "LinkedInBot/1.0 (compatible; Mozilla/5.0)"}
    )
    assert bot.status_code == 302
    assert await kit.count(metrics_db, ClickRow) == 0
    assert await kit.outbox(metrics_db, CLICKS) == []
    assert (await use_cases.post_stats(everything(tenant), tenant, "post-1")).total.clicks == 0


async def test_unknown_and_malformed_codes_are_404_with_a_reason(http, metrics_db, kit) -> None:
    for path in ("/l/ZZZZZZZZ", "/l/not-a-code", "/l/x"):
        response = await http.get(path, headers=BROWSER)
        assert response.status_code == 404
        assert response.text == "unknown link\n"
    assert await kit.count(metrics_db, ClickRow) == 0


async def test_other_methods_are_405(use_cases, kit, tenant, http, metrics_db) -> None:
    link = await make_link(use_cases, kit, tenant)
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = await http.request(method, f"/l/{link.code}")
        assert response.status_code == 405
        assert "GET" in response.headers["allow"]
    assert await kit.count(metrics_db, ClickRow) == 0


async def test_concurrent_clicks_are_all_counted(use_cases, kit, tenant, http, metrics_db) -> None:
    link = await make_link(use_cases, kit, tenant, country="ES", post_id="post-c")
    responses = await asyncio.gather(
        *(http.get(f"/l/{link.code}", headers=BROWSER) for _ in range(20))
    )
    assert {r.status_code for r in responses} == {302}
    stats = await use_cases.post_stats(everything(tenant), tenant, "post-c")
    assert stats.by_country["ES"].clicks == 20
    assert len(await kit.outbox(metrics_db, CLICKS)) == 20


async def test_healthz_answers_when_the_database_does(http) -> None:
    response = await http.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok\n")


async def test_each_request_is_one_server_span_with_ids_and_no_visitor_data(
    use_cases, kit, tenant
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    # The app as the server main.py runs serves it (the spans are the server's).
    server = HttpServer(create_app(use_cases), "127.0.0.1", 0, tracer=provider.get_tracer("t"))
    link = await make_link(use_cases, kit, tenant, share_id="share-t", post_id="post-t")
    incoming = {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", **BROWSER}
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=server.app), base_url="http://x"
        ) as client:
            await client.get(f"/l/{link.code}?utm_source=a.person@example.com", headers=incoming)
            await client.get("/l/ZZZZZZZZ")
            await client.get("/nowhere/else")
    finally:
        server.socket.close()
    spans = exporter.get_finished_spans()
    assert [s.name for s in spans] == ["GET /l/{code}", "GET /l/{code}", "GET"]
    found, missing, unmatched = spans
    # ReadableSpan.attributes is Optional; every span here has some.
    attributes = [dict(s.attributes or {}) for s in spans]
    found_attrs, missing_attrs, unmatched_attrs = attributes
    assert {s.kind for s in spans} == {SpanKind.SERVER}
    assert found_attrs["http.route"] == "/l/{code}"
    assert found_attrs["http.request.method"] == "GET"
    assert found_attrs["http.response.status_code"] == 302
    assert found_attrs["chorus.tenant_id"] == tenant
    assert found_attrs["chorus.share_id"] == "share-t"
    assert found_attrs["chorus.post_id"] == "post-t"
    assert missing_attrs["http.response.status_code"] == 404
    # A public endpoint starts its own trace; nothing about the visitor is kept.
    assert format(found.context.trace_id, "032x") != "0af7651916cd43dd8448eb211c80319c"
    assert found.parent is None
    assert "http.route" not in unmatched_attrs
    assert unmatched_attrs["http.response.status_code"] == 404
    for span_attrs in attributes:
        keys = " ".join(span_attrs)
        assert "user_agent" not in keys and "client" not in keys and "peer" not in keys
        values = " ".join(str(v) for v in span_attrs.values())
        assert link.code not in values and "ZZZZZZZZ" not in values and "nowhere" not in values
        assert "example.com" not in values and "Mozilla" not in values
