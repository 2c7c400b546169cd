"""The world of targeting's authorization matrix: targeting's real composition
(targeting_service.composition, as main.py builds it) on SQLite behind a real
GrpcServer that verifies tokens like production, two tenants whose
directories share external ids (E1, E2, ...) so isolation has to come from
the verified tenant, and stubs per principal.

Tenant A's people have e-mails under SECRET's domain, so a response or a
refusal to tenant B can be searched for them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as pb_grpc
from chorus_core.ids import stable_id
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer
from chorus_identity.principal import ANY, Grant, Principal, Role, service, user
from chorus_messaging import Outbox
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY, admin
from targeting_service import composition
from targeting_service.adapters.migrations import SCHEMA
from targeting_service.domain.employees import employee_id_for
from targeting_service.entrypoints import grpc_api
from targeting_service.entrypoints.grpc_api import TargetingUseCases

from tests.authz.matrix import Callers

A, B = "tenant-a", "tenant-b"
REGION = "eu-west"
SECRET = "alpha-secret.example"
HEADER = "external_id,email,display_name,country,language,timezone,department,status,"
HEADER += "opted_in,auto_share,home_region\n"
# E4 and E5 share an e-mail: a sign-in by it cannot tell them apart.
PEOPLE_A = [
    ("E1", f"Ana.Lopez@{SECRET}", "FR", "Sales"),
    ("E2", f"bob@{SECRET}", "FR", "Sales"),
    ("E3", f"cai@{SECRET}", "ES", "HR"),
    ("E4", f"shared@{SECRET}", "ES", "HR"),
    ("E5", f"shared@{SECRET}", "ES", "HR"),
]
PEOPLE_B = [("E1", "ana@beta.example", "DE", "Sales"), ("E2", "bob@beta.example", "DE", "Ops")]
Stub = pb_grpc.TargetingServiceStub


def csv_of(people: list[tuple[str, str, str, str]]) -> bytes:
    rows = [
        f"{x},{mail},Person {x},{country},fr,Europe/Paris,{dept},active,true,false,{REGION}"
        for x, mail, country, dept in people
    ]
    return (HEADER + "\n".join(rows) + "\n").encode()


def channel_id(tenant: str, request_id: str) -> str:
    return stable_id("channel", tenant, request_id)  # as CreateChannel names it


def comms(
    subject: str, tenant: str, *, regions: tuple[str, ...] = (), **kw: tuple[str, ...]
) -> Principal:
    return user(subject, tenant, Grant.of(Role.COMMS_MANAGER, regions=regions, **kw))


@dataclass
class World:
    db: Database
    use_cases: TargetingUseCases
    callers: Callers
    # Tenant A: two channels (careers: this region, cai manages global: everywhere).
    ana_a: str = employee_id_for(A, "E1")
    bob_a: str = employee_id_for(A, "E2")
    cai_a: str = employee_id_for(A, "E3")
    ana_b: str = employee_id_for(B, "E1")
    careers_a: str = channel_id(A, "careers")
    global_a: str = channel_id(A, "global")
    careers_b: str = channel_id(B, "careers")
    segment_a: str = ""
    segment_b: str = ""
    people: dict[str, Principal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        employee = Role.EMPLOYEE
        self.people = {
            "admin_a": admin(A, "admin-a"),
            "comms_region_a": comms("comms-region-a", A, regions=(REGION,)),
            "comms_channel_a": comms("comms-channel-a", A, channels=(self.careers_a,)),
            "comms_elsewhere_a": comms("comms-elsewhere-a", A, regions=("us-east",)),
            # A comms manager with no scope, listed as global's manager.
            "listed_a": user("cai-a", A, Grant.of(Role.COMMS_MANAGER), employee_id=self.cai_a),
            "reviewer_a": user("reviewer-a", A, Grant.of(Role.REVIEWER, steps=[ANY])),
            "moderator_a": user("moderator-a", A, Role.MODERATOR),
            "ana_a": user("ana-a", A, employee, employee_id=self.ana_a),
            "bob_a": user("bob-a", A, employee, employee_id=self.bob_a),
            "unlinked_a": user("new-a", A, employee),
            "admin_b": admin(B, "admin-b"),
            "comms_b": comms("comms-b", B, regions=(ANY,), channels=(ANY,)),
            "ana_b": user("ana-b", B, employee, employee_id=self.ana_b),
            "gateway": service("gateway"),
            "scheduling": service("scheduling"),
        }

    def stub(self, who: Principal | str | None) -> Stub:
        principal = self.people[who] if isinstance(who, str) else who
        return self.callers.stub(pb_grpc.TargetingServiceStub, principal)

    async def employee(self, employee_id: str, tenant: str = A) -> pb.Employee:
        """As the tenant's admin sees it (the "unchanged" check)."""
        who = "admin_a" if tenant == A else "admin_b"
        got = await self.stub(who).GetEmployee(pb.GetEmployeeRequest(employee_id=employee_id))
        return got.employee

    async def channels(self, tenant: str = A) -> dict[str, pb.Channel]:
        who = "admin_a" if tenant == A else "admin_b"
        listed = await self.stub(who).ListChannels(pb.ListChannelsRequest())
        return {c.channel_id: c for c in listed.channels}


@asynccontextmanager
async def targeting_world(db: Database) -> AsyncIterator[World]:
    await migrate(db, SCHEMA)
    use_cases = composition.build(db, REGION, Outbox(f"chorus/targeting@{REGION}")).use_cases
    admin_a, admin_b = admin(A, "admin-a"), admin(B, "admin-b")
    for principal, people in ((admin_a, PEOPLE_A), (admin_b, PEOPLE_B)):
        imported = await use_cases.directory.import_directory(principal, "", "seed", csv_of(people))
        assert (imported.created, list(imported.errors)) == (len(people), [])
    audiences = use_cases.audiences
    cai = employee_id_for(A, "E3")
    await audiences.create_channel(admin_a, "", "careers", "Careers", "", [REGION], False, [])
    await audiences.create_channel(admin_a, "", "global", "Global", "", [], False, [cai])
    await audiences.create_channel(admin_b, "", "careers", "Careers", "", [REGION], False, [])
    segment_a = await audiences.save_segment(admin_a, "", "s", "", "France", 'country = "FR"')
    segment_b = await audiences.save_segment(admin_b, "", "s", "", "Germany", 'country = "DE"')
    server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
    await server.start()
    callers = Callers(server)
    world = World(db, use_cases, callers)
    world.segment_a, world.segment_b = segment_a.segment_id, segment_b.segment_id
    try:
        yield world
    finally:
        await callers.close()
        await server.stop(0)


@pytest.fixture
async def world(sqlite_database: DatabaseFactory) -> AsyncIterator[World]:
    async with targeting_world(await sqlite_database()) as built:
        yield built
