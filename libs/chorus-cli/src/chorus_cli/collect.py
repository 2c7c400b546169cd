"""Small helpers the demo uses to wait on an eventually consistent system
and to read whole lists through paginated RPCs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from chorus.publishing.v1 import publishing_service_pb2 as publishing_pb
from chorus.scheduling.v1 import scheduling_service_pb2 as scheduling_pb
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb

from chorus_cli.clients import Clients
from chorus_cli.report import Reporter


async def wait_for(
    label: str,
    total: int,
    count: Callable[[], Awaitable[int]],
    report: Reporter,
    timeout: float = 240.0,
) -> int:
    report.start_progress(label, total)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    done = 0
    try:
        while loop.time() < deadline:
            done = await count()
            report.advance(done)
            if done >= total:
                return done
            await asyncio.sleep(0.5)
    finally:
        report.end_progress()
    raise TimeoutError(f"{label}: {done}/{total} after {timeout:.0f}s")


async def bounded(jobs: list[Callable[[], Awaitable[None]]], concurrency: int) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def run(job: Callable[[], Awaitable[None]]) -> None:
        async with gate:
            await job()

    await asyncio.gather(*(run(j) for j in jobs))


async def all_shares(clients: Clients, tenant: str, post_id: str) -> list[scheduling_pb.Share]:
    shares: list[scheduling_pb.Share] = []
    token = ""
    while True:
        page = await clients.scheduling.ListShares(
            scheduling_pb.ListSharesRequest(
                tenant_id=tenant, post_id=post_id, page_size=1000, page_token=token
            )
        )
        shares += page.shares
        token = page.next_page_token
        if not token:
            return shares


async def all_published(
    clients: Clients, tenant: str, post_id: str
) -> list[publishing_pb.PublishRecord]:
    records: list[publishing_pb.PublishRecord] = []
    token = ""
    while True:
        page = await clients.publishing.ListPublished(
            publishing_pb.ListPublishedRequest(
                tenant_id=tenant, post_id=post_id, page_size=1000, page_token=token
            )
        )
        records += [r for r in page.records if r.status == publishing_pb.PUBLISH_STATUS_PUBLISHED]
        token = page.next_page_token
        if not token:
            return records


async def all_employees(clients: Clients, tenant: str) -> dict[str, targeting_pb.Employee]:
    staff: dict[str, targeting_pb.Employee] = {}
    token = ""
    while True:
        page = await clients.targeting.ListEmployees(
            targeting_pb.ListEmployeesRequest(tenant_id=tenant, page_size=500, page_token=token)
        )
        staff.update({e.employee_id: e for e in page.employees})
        token = page.next_page_token
        if not token:
            return staff
