"""Targeting's authorization over its real gRPC server (targeting_service.app.policy):
the role matrix, tenant isolation for every RPC (tenant B's callers on tenant
A's employees, channels and segments: PERMISSION_DENIED or NOT_FOUND, no
data, nothing changed), UNAUTHENTICATED without a token, and the gateway's
just-in-time account link. The world: tests/authz/targeting_world.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from chorus.targeting.v1 import targeting_service_pb2 as pb

from tests.authz.matrix import DENIED, HIDDEN, expect_denied, expect_unauthenticated, rpc_names
from tests.authz.targeting_channel_cases import (
    test_create_channel,
    test_list_channels,
    test_preview_audience,
    test_segments,
    test_set_channel_managers,
    test_subscriptions,
    test_validate_segment,
)
from tests.authz.targeting_link_cases import (
    test_erasure_removes_the_link,
    test_get_account_link,
    test_link_account_by_email_and_idempotent,
    test_link_account_by_external_id,
    test_link_account_conflicts_and_misses,
    test_link_account_never_matches_another_tenant,
    test_link_account_only_for_the_gateway,
)
from tests.authz.targeting_world import SECRET, A, World, csv_of, world

__all__ = [
    "test_create_channel",
    "test_erasure_removes_the_link",
    "test_get_account_link",
    "test_link_account_by_email_and_idempotent",
    "test_link_account_by_external_id",
    "test_link_account_conflicts_and_misses",
    "test_link_account_never_matches_another_tenant",
    "test_link_account_only_for_the_gateway",
    "test_list_channels",
    "test_preview_audience",
    "test_segments",
    "test_set_channel_managers",
    "test_subscriptions",
    "test_validate_segment",
    "world",
]

LINK_TESTS = ", ".join(
    [
        "test_link_account_by_external_id",
        "test_link_account_by_email_and_idempotent",
        "test_link_account_conflicts_and_misses",
        "test_link_account_never_matches_another_tenant",
        "test_link_account_only_for_the_gateway",
    ]
)
RPCS: dict[str, str] = {
    "ImportDirectory": "test_import_directory",
    "ImportDirectoryStream": "test_import_directory_stream",
    "PreviewAudience": "test_preview_audience",
    "GetEmployee": "test_get_employee",
    "ListEmployees": "test_list_employees",
    "ValidateSegment": "test_validate_segment",
    "SaveSegment": "test_segments",
    "GetSegment": "test_segments",
    "ListSegments": "test_segments",
    "CreateChannel": "test_create_channel",
    "ListChannels": "test_list_channels",
    "SetChannelManagers": "test_set_channel_managers",
    "Subscribe": "test_subscriptions",
    "Unsubscribe": "test_subscriptions",
    "RecordConsent": "test_record_consent",
    "SetParticipation": "test_set_participation",
    "EraseEmployee": "test_erase_employee",
    "IssueScimToken": "test_issue_scim_token",
    "LinkAccount": LINK_TESTS,
    "GetAccountLink": "test_get_account_link, test_erasure_removes_the_link",
}
# People of tenant A who are neither its admin nor a comms manager.
NOT_STAFF = ("reviewer_a", "moderator_a", "ana_a", "unlinked_a")
SERVICES = ("gateway", "scheduling")
STAFF_ONLY = ("comms_region_a", "comms_channel_a", *NOT_STAFF)


def a_csv() -> bytes:
    return csv_of([("E9", f"nine@{SECRET}", "FR", "Sales")])


async def count(w: World, tenant: str = A) -> int:
    who = "admin_a" if tenant == A else "admin_b"
    listed = await w.stub(who).ListEmployees(pb.ListEmployeesRequest(page_size=500))
    return len(listed.employees)


async def test_import_directory(world: World) -> None:
    w = world

    def request(tenant: str = "", request_id: str = "") -> pb.ImportDirectoryRequest:
        return pb.ImportDirectoryRequest(request_id=request_id, tenant_id=tenant, csv=a_csv())

    for who in STAFF_ONLY:
        await expect_denied(w.stub(who).ImportDirectory(request()), {DENIED})
    for who in SERVICES:
        await expect_denied(w.stub(who).ImportDirectory(request(A)), {DENIED})
    # Tenant B's admin may not import into A; into B it lands in B only.
    await expect_denied(w.stub("admin_b").ImportDirectory(request(A)), {DENIED})
    assert (await w.stub("admin_b").ImportDirectory(request())).created == 1
    assert await count(w) == 5
    assert (await w.stub("admin_a").ImportDirectory(request(A, "r1"))).created == 1
    assert await count(w) == 6


async def test_import_directory_stream(world: World) -> None:
    w = world

    def chunks(tenant: str = "") -> list[pb.ImportDirectoryRequest]:
        data = a_csv()
        return [
            pb.ImportDirectoryRequest(request_id="s1", tenant_id=tenant),
            *(pb.ImportDirectoryRequest(csv=data[i : i + 20]) for i in range(0, len(data), 20)),
        ]

    for who in (*STAFF_ONLY, *SERVICES):
        await expect_denied(w.stub(who).ImportDirectoryStream(iter(chunks(A))), {DENIED})
    await expect_denied(w.stub("admin_b").ImportDirectoryStream(iter(chunks(A))), {DENIED})
    assert await count(w) == 5
    done = await w.stub("admin_a").ImportDirectoryStream(iter(chunks()))
    assert (done.created, await count(w)) == (1, 6)


async def test_get_employee(world: World) -> None:
    w = world
    own = pb.GetEmployeeRequest()
    assert (await w.stub("ana_a").GetEmployee(own)).employee.employee_id == w.ana_a
    explicit = pb.GetEmployeeRequest(tenant_id=A, employee_id=w.ana_a)
    assert (await w.stub("ana_a").GetEmployee(explicit)).employee.employee_id == w.ana_a
    bob = pb.GetEmployeeRequest(employee_id=w.bob_a)
    for who in ("comms_region_a", "comms_channel_a", "listed_a", "admin_a"):
        assert (await w.stub(who).GetEmployee(bob)).employee.email == f"bob@{SECRET}"
    for who in ("ana_a", "reviewer_a", "moderator_a"):
        await expect_denied(w.stub(who).GetEmployee(bob), {DENIED}, [SECRET])
    await expect_denied(w.stub("unlinked_a").GetEmployee(own), {DENIED})
    for who in SERVICES:
        named = pb.GetEmployeeRequest(tenant_id=A, employee_id=w.bob_a)
        await expect_denied(w.stub(who).GetEmployee(named), {DENIED}, [SECRET])
    # Tenant B: A's id is nobody there; naming A is refused.
    for who in ("admin_b", "comms_b"):
        await expect_denied(w.stub(who).GetEmployee(bob), {HIDDEN}, [SECRET])
        named = pb.GetEmployeeRequest(tenant_id=A, employee_id=w.bob_a)
        await expect_denied(w.stub(who).GetEmployee(named), {DENIED}, [SECRET])
    ana_b = await w.stub("ana_b").GetEmployee(own)
    assert ana_b.employee.employee_id == w.ana_b and SECRET not in str(ana_b)


async def test_list_employees(world: World) -> None:
    w = world
    for who in ("admin_a", "comms_region_a", "comms_channel_a"):
        listed = await w.stub(who).ListEmployees(pb.ListEmployeesRequest())
        assert len(listed.employees) == 5
    for who in NOT_STAFF:
        await expect_denied(w.stub(who).ListEmployees(pb.ListEmployeesRequest()), {DENIED})
    for who in SERVICES:
        named = pb.ListEmployeesRequest(tenant_id=A)
        await expect_denied(w.stub(who).ListEmployees(named), {DENIED}, [SECRET])
    theirs = await w.stub("comms_b").ListEmployees(pb.ListEmployeesRequest())
    assert len(theirs.employees) == 2 and SECRET not in str(theirs)
    named = pb.ListEmployeesRequest(tenant_id=A)
    await expect_denied(w.stub("admin_b").ListEmployees(named), {DENIED}, [SECRET])


def consent(employee_id: str = "", tenant: str = "", request_id: str = "c1") -> Any:
    return pb.RecordConsentRequest(
        request_id=request_id,
        tenant_id=tenant,
        employee_id=employee_id,
        opted_in=True,
        consent=True,
    )


async def test_record_consent(world: World) -> None:
    w = world
    before = await w.employee(w.bob_a)
    # Only the person themself: not a colleague, not even the tenant admin.
    for who in ("ana_a", "admin_a", "comms_region_a", "reviewer_a"):
        await expect_denied(w.stub(who).RecordConsent(consent(w.bob_a)), {DENIED}, [SECRET])
    await expect_denied(w.stub("unlinked_a").RecordConsent(consent()), {DENIED})
    for who in SERVICES:
        await expect_denied(w.stub(who).RecordConsent(consent(w.bob_a, A)), {DENIED})
    # Tenant B's Ana: not A's Ana, and not in tenant A.
    await expect_denied(w.stub("ana_b").RecordConsent(consent(w.ana_a)), {DENIED})
    await expect_denied(w.stub("ana_b").RecordConsent(consent("", A)), {DENIED})
    assert await w.employee(w.bob_a) == before
    mine = await w.stub("bob_a").RecordConsent(consent())
    assert (mine.employee_id, mine.consent) == (w.bob_a, True)
    again = await w.stub("bob_a").RecordConsent(consent(w.bob_a, A, "c2"))
    assert again.employee_id == w.bob_a


async def test_set_participation(world: World) -> None:
    w = world

    def opt_out(employee_id: str = "", tenant: str = "", rid: str = "p1") -> Any:
        return pb.SetParticipationRequest(
            request_id=rid, tenant_id=tenant, employee_id=employee_id, opted_in=False
        )

    for who in ("ana_a", "comms_region_a", "reviewer_a", "moderator_a"):
        await expect_denied(w.stub(who).SetParticipation(opt_out(w.bob_a)), {DENIED})
    await expect_denied(w.stub("unlinked_a").SetParticipation(opt_out()), {DENIED})
    for who in SERVICES:
        await expect_denied(w.stub(who).SetParticipation(opt_out(w.bob_a, A)), {DENIED})
    await expect_denied(w.stub("admin_b").SetParticipation(opt_out(w.bob_a)), {HIDDEN}, [SECRET])
    await expect_denied(w.stub("admin_b").SetParticipation(opt_out(w.bob_a, A)), {DENIED})
    assert (await w.employee(w.bob_a)).opted_in
    assert not (await w.stub("bob_a").SetParticipation(opt_out())).opted_in
    # A tenant admin may opt someone out (on their request), never consent for them.
    assert not (await w.stub("admin_a").SetParticipation(opt_out(w.ana_a, rid="p2"))).opted_in


async def test_erase_employee(world: World) -> None:
    w = world

    def erase(employee_id: str, tenant: str = "") -> pb.EraseEmployeeRequest:
        return pb.EraseEmployeeRequest(request_id="e1", tenant_id=tenant, employee_id=employee_id)

    for who in ("comms_region_a", "comms_channel_a", "reviewer_a", "moderator_a", "bob_a"):
        await expect_denied(w.stub(who).EraseEmployee(erase(w.bob_a)), {DENIED})
    for who in SERVICES:
        await expect_denied(w.stub(who).EraseEmployee(erase(w.bob_a, A)), {DENIED})
    await expect_denied(w.stub("admin_b").EraseEmployee(erase(w.bob_a)), {HIDDEN})
    await expect_denied(w.stub("admin_b").EraseEmployee(erase(w.bob_a, A)), {DENIED})
    assert (await w.employee(w.bob_a)).email == f"bob@{SECRET}"
    assert (await w.stub("admin_a").EraseEmployee(erase(w.bob_a))).erased
    await expect_denied(w.stub("admin_a").GetEmployee(pb.GetEmployeeRequest(employee_id=w.bob_a)))


async def test_issue_scim_token(world: World) -> None:
    w = world
    tenant_of = w.use_cases.consent.tenant_for_token  # what the SCIM endpoint authenticates by
    first = (await w.stub("admin_a").IssueScimToken(pb.IssueScimTokenRequest())).token
    assert await tenant_of(first) == A
    for who in (*STAFF_ONLY, "listed_a"):
        await expect_denied(w.stub(who).IssueScimToken(pb.IssueScimTokenRequest()), {DENIED})
    for who in (*SERVICES, "admin_b"):
        named = pb.IssueScimTokenRequest(tenant_id=A)
        await expect_denied(w.stub(who).IssueScimToken(named), {DENIED})
    assert await tenant_of(first) == A  # nobody refused revoked it
    theirs = (await w.stub("admin_b").IssueScimToken(pb.IssueScimTokenRequest())).token
    assert await tenant_of(theirs) == "tenant-b" and await tenant_of(first) == A
    rotated = (await w.stub("admin_a").IssueScimToken(pb.IssueScimTokenRequest())).token
    assert (await tenant_of(rotated), await tenant_of(first)) == (A, None)


def _request_for(method: str) -> Any:
    descriptor = pb.DESCRIPTOR.services_by_name["TargetingService"].methods_by_name[method]
    return getattr(pb, descriptor.input_type.name)()


@pytest.mark.parametrize("method", sorted(rpc_names("targeting")))
async def test_no_token_is_unauthenticated(world: World, method: str) -> None:
    call: Callable[..., Awaitable[Any]] = getattr(world.stub(None), method)
    request = _request_for(method)
    if method == "ImportDirectoryStream":
        await expect_unauthenticated(call(iter([request])))
    else:
        await expect_unauthenticated(call(request))
    assert await count(world) == 5


def test_every_rpc_is_covered() -> None:
    assert set(RPCS) == rpc_names("targeting")
    for entry in RPCS.values():
        for name in (n.strip() for n in entry.split(",")):
            assert callable(globals()[name]), name
