"""Publishing's tracked-link client: the links of the shares in flight travel
together, one CreateTrackedLinks call per gathering (at most max_batch), and
each share gets its own answer; a call metrics refuses or cannot take fails
each share the way a single call would (refused: for good; unavailable:
retried by the consumer)."""

from __future__ import annotations

import asyncio
import hashlib
from typing import TYPE_CHECKING

import grpc
import pytest
from chorus_testing.identity import IDENTITY, as_service
from publishing_service.adapters.tracked_links import GrpcTrackedLinks, LinkServiceUnavailable
from publishing_service.app.ports import LinkRejected, LinkRequest

if TYPE_CHECKING:
    from tests.component.publishing.conftest import MetricsServer


def request(n: int) -> LinkRequest:
    return LinkRequest(
        tenant_id="t1",
        share_id=f"share-{n}",
        post_id="post-1",
        employee_id=f"emp-{n}",
        country="FR",
        network="bluesky",
        target_url="https://example.com/plant",
    )


def client(metrics_server: MetricsServer, **options: int) -> GrpcTrackedLinks:
    return GrpcTrackedLinks(
        metrics_server.address,
        IDENTITY.credentials(as_service("publishing")),
        deadline_seconds=5.0,
        **options,
    )


async def test_links_asked_for_at_once_travel_in_one_call(metrics_server: MetricsServer) -> None:
    links = client(metrics_server)
    try:
        made = await asyncio.gather(*(links.create(request(n)) for n in range(20)))
        alone = await links.create(request(99))
    finally:
        await links.close()
    assert metrics_server.servicer.batches == [20, 1]
    for n, link in enumerate(made):
        assert link.code == hashlib.sha256(f"share-{n}".encode()).hexdigest()[:8]
    assert alone.code == hashlib.sha256(b"share-99").hexdigest()[:8]
    assert [c.share_id for c in metrics_server.servicer.calls][:20] == [
        f"share-{n}" for n in range(20)
    ]
    # The share id is the request id: a redelivery gets the same link.
    assert all(c.request_id == c.share_id for c in metrics_server.servicer.calls)


async def test_no_call_carries_more_than_max_batch(metrics_server: MetricsServer) -> None:
    links = client(metrics_server, max_batch=8)
    try:
        await asyncio.gather(*(links.create(request(n)) for n in range(20)))
    finally:
        await links.close()
    assert metrics_server.servicer.batches == [8, 8, 4]


@pytest.mark.parametrize(
    ("status", "failure"),
    [
        (grpc.StatusCode.INVALID_ARGUMENT, LinkRejected),
        (grpc.StatusCode.UNAVAILABLE, LinkServiceUnavailable),
    ],
)
async def test_a_refused_or_unavailable_call_fails_every_share_it_carried(
    metrics_server: MetricsServer, status: grpc.StatusCode, failure: type[Exception]
) -> None:
    metrics_server.servicer.refuse_with = status
    links = client(metrics_server)
    try:
        outcomes = await asyncio.gather(
            *(links.create(request(n)) for n in range(5)), return_exceptions=True
        )
    finally:
        await links.close()
    assert metrics_server.servicer.batches == [5]
    assert all(isinstance(outcome, failure) for outcome in outcomes), outcomes
