"""A click joins the trace that created its link: CreateTrackedLink stores
its W3C context; GET /l/{code} records the click (and writes LinkClicked)
under a `metrics.click` span that is a child of that context and links to
the request's own span, which stays a trace of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_messaging.topics import CLICKS
from chorus_telemetry.propagation import TraceCarrier, context_from
from chorus_testing.identity import as_service
from metrics_service.adapters.stores import OutboxClickEvents, SqlStores
from metrics_service.app.use_cases import CLICK_SPAN, MetricsUseCases
from metrics_service.entrypoints.http_app import create_app
from metrics_service.entrypoints.http_server import HttpServer
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

BROWSER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0"}


PUBLISHING = as_service("publishing")  # the only caller metrics makes links for


@dataclass
class Traced:
    use_cases: MetricsUseCases
    tracer: trace.Tracer
    exporter: InMemorySpanExporter
    http: httpx.AsyncClient

    def spans(self, name: str) -> list[ReadableSpan]:
        return [s for s in self.exporter.get_finished_spans() if s.name == name]


@pytest.fixture
async def traced(metrics_db: Database) -> AsyncIterator[Traced]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    events = OutboxClickEvents(Outbox("chorus/metrics@test"))
    use_cases = MetricsUseCases(metrics_db, SqlStores(), events, "http://x", tracer)
    # The server main.py runs, with its request spans, on the same provider.
    server = HttpServer(create_app(use_cases), "127.0.0.1", 0, tracer=tracer)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=server.app), base_url="http://x"
        ) as client:
            yield Traced(use_cases, tracer, exporter, client)
    finally:
        server.socket.close()


def hex_id(value: int, width: int) -> str:
    return format(value, f"0{width}x")


async def test_click_is_recorded_in_the_trace_that_created_the_link(
    traced: Traced, kit, tenant, metrics_db
) -> None:
    # CreateTrackedLink as publishing calls it: inside the share's publish trace.
    with traced.tracer.start_as_current_span("CreateTrackedLink") as creating:
        link = await traced.use_cases.create_tracked_link(
            PUBLISHING, kit.new_link(tenant, share_id="share-c", post_id="post-c")
        )
    response = await traced.http.get(f"/l/{link.code}", headers=BROWSER)
    assert response.status_code == 302

    (request,) = traced.spans("GET /l/{code}")
    (click,) = traced.spans(CLICK_SPAN)
    assert click.context.trace_id == creating.get_span_context().trace_id
    assert click.parent is not None
    assert click.parent.span_id == creating.get_span_context().span_id
    # The request keeps its own trace, and the click points at it.
    assert request.context.trace_id != click.context.trace_id
    assert [(k.context.trace_id, k.context.span_id) for k in click.links] == [
        (request.context.trace_id, request.context.span_id)
    ]
    assert click.attributes is not None
    assert {k: v for k, v in click.attributes.items() if k.startswith("chorus.")} == {
        "chorus.tenant_id": tenant,
        "chorus.post_id": "post-c",
        "chorus.share_id": "share-c",
    }
    # LinkClicked leaves with the click's context: the relay publishes it there.
    (row,) = await kit.outbox(metrics_db, CLICKS)
    stored = trace.get_current_span(context_from(TraceCarrier(row.traceparent))).get_span_context()
    assert (stored.trace_id, stored.span_id) == (click.context.trace_id, click.context.span_id)


async def test_link_without_a_stored_trace_keeps_the_click_under_the_request(
    traced: Traced, kit, tenant, metrics_db
) -> None:
    """A link created outside any trace (or before links kept one)."""
    link = await traced.use_cases.create_tracked_link(
        PUBLISHING, kit.new_link(tenant, share_id="share-n")
    )
    assert (await traced.http.get(f"/l/{link.code}", headers=BROWSER)).status_code == 302
    (request,) = traced.spans("GET /l/{code}")
    (click,) = traced.spans(CLICK_SPAN)
    assert click.parent is not None
    assert click.parent.span_id == request.context.span_id
    assert click.context.trace_id == request.context.trace_id
    assert list(click.links) == []
    (row,) = await kit.outbox(metrics_db, CLICKS)
    assert row.traceparent is not None
    assert row.traceparent.split("-")[2] == hex_id(click.context.span_id, 16)


async def test_uncounted_visits_open_no_click_span(traced: Traced, kit, tenant) -> None:
    with traced.tracer.start_as_current_span("CreateTrackedLink"):
        link = await traced.use_cases.create_tracked_link(
            PUBLISHING, kit.new_link(tenant, share_id="s-h")
        )
    assert (await traced.http.head(f"/l/{link.code}", headers=BROWSER)).status_code == 302
    preview = {"user-agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"}
    assert (await traced.http.get(f"/l/{link.code}", headers=preview)).status_code == 302
    assert len(traced.spans("GET /l/{code}")) == 1 and len(traced.spans("HEAD /l/{code}")) == 1
    assert traced.spans(CLICK_SPAN) == []
