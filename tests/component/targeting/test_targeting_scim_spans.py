"""The SCIM server, like every chorus_runtime HTTP server, gives each request
one server span named after its route template: the user ids, e-mails and
filters in paths and query strings never reach a span."""

from __future__ import annotations

import asyncio

import httpx
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_testing.identity import everything
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from targeting_service import composition
from targeting_service.adapters.scim_storage import DatabaseScimStorage
from targeting_service.entrypoints.scim_http import (
    ScimHttpServer,
    TenantScimApplication,
    scim_provider,
)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
EMAIL = "ana.lopez@example.com"


async def test_each_scim_request_is_one_server_span_without_ids_or_personal_data(
    targeting_db: Database,
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    outbox = Outbox("chorus/targeting@eu-west")
    consent = composition.build(targeting_db, "local", outbox).use_cases.consent
    scim = scim_provider()
    app = TenantScimApplication(
        DatabaseScimStorage(targeting_db, scim, "eu-west", outbox), scim, consent.tenant_for_token
    )
    server = ScimHttpServer(app, "127.0.0.1", 0, tracer=provider.get_tracer("test"))
    task = asyncio.create_task(server.serve())  # a real uvicorn socket, as in main.py
    token = await consent.issue_scim_token(everything("acme"), "acme")
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{server.port}/scim/v2",
            headers={"Authorization": f"Bearer {token}"},
        ) as http:
            created = await http.post(
                "/Users",
                json={"schemas": [USER], "userName": EMAIL, "emails": [{"value": EMAIL}]},
            )
            assert created.status_code == 201, created.text
            user_id = created.json()["id"]
            assert (await http.get(f"/Users/{user_id}")).status_code == 200
            found = await http.get("/Users", params={"filter": f'userName eq "{EMAIL}"'})
            assert found.json()["totalResults"] == 1
            assert (
                await http.get(f"/Users/{user_id}", headers={"Authorization": ""})
            ).status_code == 401
            await http.get("/ServiceProviderConfig")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    spans = exporter.get_finished_spans()
    assert [s.name for s in spans] == [
        "POST /scim/v2/{resource_type}",
        "GET /scim/v2/{resource_type}/{id}",
        "GET /scim/v2/{resource_type}",
        "GET /scim/v2/{resource_type}/{id}",
        "GET /scim/v2/ServiceProviderConfig",
    ]
    assert {s.kind for s in spans} == {SpanKind.SERVER}
    # ReadableSpan.attributes is Optional; every span here has some.
    attributes = [dict(s.attributes or {}) for s in spans]
    assert [a["http.response.status_code"] for a in attributes] == [201, 200, 200, 401, 200]
    assert attributes[1]["http.route"] == "/scim/v2/{resource_type}/{id}"
    assert attributes[1]["http.request.method"] == "GET"
    for span, span_attrs in zip(spans, attributes, strict=True):
        assert span.parent is None  # our own trace, whatever a caller sends
        text = span.name + " ".join(f"{k}={v}" for k, v in span_attrs.items())
        assert user_id not in text and "ana" not in text and "example.com" not in text
        assert token not in text and "filter" not in text
