"""Targeting as its callers reach it: the gRPC server and the SCIM HTTP app of
one composition, on ephemeral ports, over a migrated database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import grpc
import httpx2
from chorus.targeting.v1 import targeting_service_pb2_grpc as pb_grpc
from chorus_db import Database
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import Principal, Role, user
from chorus_messaging import Outbox
from chorus_testing.identity import IDENTITY, everything
from targeting_service import composition
from targeting_service.adapters.scim_storage import DatabaseScimStorage
from targeting_service.entrypoints import grpc_api
from targeting_service.entrypoints.scim_http import (
    ScimHttpServer,
    TenantScimApplication,
    scim_provider,
)

REGION = "eu-west"
SCIM = "application/scim+json"


@dataclass
class Targeting:
    db: Database
    outbox: Outbox
    scim: httpx2.AsyncClient  # authenticated as tenant "acme"
    stub: pb_grpc.TargetingServiceStub  # every role of "acme", linked to nobody
    port: int
    channels: list[grpc.aio.Channel] = field(default_factory=list)

    def stub_for(self, principal: Principal) -> pb_grpc.TargetingServiceStub:
        """The same server, called by someone else (closed with the rest)."""
        channel = insecure_channel(
            f"127.0.0.1:{self.port}",
            deadline_seconds=30,
            credentials=IDENTITY.credentials(principal),
        )
        self.channels.append(channel)
        return pb_grpc.TargetingServiceStub(channel)

    def as_employee(self, employee_id: str) -> pb_grpc.TargetingServiceStub:
        """An employee of "acme" signed in, linked to `employee_id`: consent
        and participation are the person's own."""
        return self.stub_for(
            user(f"sub-{employee_id}", "acme", Role.EMPLOYEE, employee_id=employee_id)
        )


@asynccontextmanager
async def targeting_over_the_wire(db: Database) -> AsyncIterator[Targeting]:
    outbox = Outbox(f"chorus/targeting@{REGION}")
    use_cases = composition.build(db, REGION, outbox).use_cases
    grpc_server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
    await grpc_server.start()
    channel = insecure_channel(
        f"127.0.0.1:{grpc_server.port}",
        deadline_seconds=30,
        credentials=IDENTITY.credentials(everything("acme")),
    )
    provider = scim_provider()
    app = TenantScimApplication(
        DatabaseScimStorage(db, provider, REGION, outbox),
        provider,
        use_cases.consent.tenant_for_token,
    )
    scim_server = ScimHttpServer(app, "127.0.0.1", 0)
    task = asyncio.create_task(scim_server.serve())
    token = await use_cases.consent.issue_scim_token(everything("acme"), "acme")
    try:
        async with httpx2.AsyncClient(
            base_url=f"http://127.0.0.1:{scim_server.port}/scim/v2",
            headers={"Authorization": f"Bearer {token}", "Content-Type": SCIM},
        ) as http:
            targeting = Targeting(
                db, outbox, http, pb_grpc.TargetingServiceStub(channel), grpc_server.port
            )
            try:
                yield targeting
            finally:
                for extra in targeting.channels:
                    await extra.close()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await channel.close()
        await grpc_server.stop(0)
