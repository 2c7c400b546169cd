"""LinkAccount and GetAccountLink: the gateway links a person's identity
provider subject to their directory entry on first sign-in (collected
through test_targeting_authz, which imports them)."""

from __future__ import annotations

import grpc
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus_identity.principal import Role, user
from sqlalchemy import text

from tests.authz.matrix import DENIED, HIDDEN, expect_code, expect_denied
from tests.authz.targeting_world import REGION, SECRET, A, B, World

FAILED = grpc.StatusCode.FAILED_PRECONDITION


def link(
    subject: str, email: str = "", external_id: str = "", tenant: str = A
) -> pb.LinkAccountRequest:
    return pb.LinkAccountRequest(
        tenant_id=tenant, subject=subject, email=email, external_id=external_id
    )


async def test_link_account_by_external_id(world: World) -> None:
    w = world
    gateway = w.stub("gateway")
    # The externalId wins over an e-mail that names someone else.
    linked = await gateway.LinkAccount(link("sub-ana", f"bob@{SECRET}", "E1"))
    assert (linked.tenant_id, linked.subject, linked.employee_id) == (A, "sub-ana", w.ana_a)
    assert (linked.home_region, linked.country, linked.department) == (REGION, "FR", "Sales")
    assert linked.language == "fr" and linked.linked_at.seconds > 0
    # An unknown externalId falls back to the e-mail.
    bob = await gateway.LinkAccount(link("sub-bob", f"bob@{SECRET}", "E-unknown"))
    assert bob.employee_id == w.bob_a
    got = await gateway.GetAccountLink(pb.GetAccountLinkRequest(tenant_id=A, subject="sub-ana"))
    assert got == linked


async def test_link_account_by_email_and_idempotent(world: World) -> None:
    w = world
    gateway = w.stub("gateway")
    # Case-insensitive: stored "ana.lopez@...", signed in as "ANA.Lopez@...".
    first = await gateway.LinkAccount(link("sub-ana", f"ANA.Lopez@{SECRET.upper()}"))
    assert first.employee_id == w.ana_a
    # The same subject again (any claims): the same entry, the same link.
    for again in (
        link("sub-ana", f"ana.lopez@{SECRET}"),
        link("sub-ana", f"bob@{SECRET}"),
        link("sub-ana", "", "E3"),
    ):
        assert await gateway.LinkAccount(again) == first


async def test_link_account_conflicts_and_misses(world: World) -> None:
    w = world
    gateway = w.stub("gateway")
    await gateway.LinkAccount(link("sub-ana", "", "E1"))
    # A second account for Ana's entry is refused, not moved.
    for request in (link("sub-other", "", "E1"), link("sub-other", f"ana.lopez@{SECRET}")):
        await expect_code(gateway.LinkAccount(request), {FAILED}, [SECRET])
    # Two entries share the e-mail: nobody is guessed.
    await expect_code(gateway.LinkAccount(link("sub-x", f"shared@{SECRET}")), {FAILED}, [SECRET])
    await expect_code(gateway.LinkAccount(link("sub-y", "nobody@nowhere.example")), {HIDDEN})
    for empty in (link("", f"bob@{SECRET}"), link("sub-z")):
        await expect_code(gateway.LinkAccount(empty), {grpc.StatusCode.INVALID_ARGUMENT})
    still = await gateway.GetAccountLink(pb.GetAccountLinkRequest(tenant_id=A, subject="sub-ana"))
    assert still.employee_id == w.ana_a
    for unlinked in ("sub-other", "sub-x", "sub-y"):
        asked = pb.GetAccountLinkRequest(tenant_id=A, subject=unlinked)
        await expect_code(gateway.GetAccountLink(asked), {HIDDEN})


async def test_link_account_never_matches_another_tenant(world: World) -> None:
    w = world
    gateway = w.stub("gateway")
    # Tenant B's sign-in with tenant A's e-mail, or an externalId both have,
    # finds B's own entry or nothing, never A's.
    await expect_code(gateway.LinkAccount(link("sub-b1", f"bob@{SECRET}", tenant=B)), {HIDDEN})
    theirs = await gateway.LinkAccount(link("sub-b2", "", "E1", tenant=B))
    assert (theirs.tenant_id, theirs.employee_id) == (B, w.ana_b)
    assert SECRET not in str(theirs)
    # The same subject in both tenants: two separate links.
    ours = await gateway.LinkAccount(link("sub-b2", "", "E1", tenant=A))
    assert ours.employee_id == w.ana_a
    request = pb.GetAccountLinkRequest(tenant_id=B, subject="sub-b2")
    assert (await gateway.GetAccountLink(request)).employee_id == w.ana_b
    # A service must name the tenant it acts for.
    await expect_denied(gateway.LinkAccount(link("sub-b3", "", "E2", tenant="")), {DENIED})


async def test_link_account_only_for_the_gateway(world: World) -> None:
    w = world
    request = link("ana-a", "", "E2")  # a person linking themself to Bob's entry
    for who in ("ana_a", "admin_a", "comms_region_a", "unlinked_a", "scheduling", "admin_b"):
        await expect_denied(w.stub(who).LinkAccount(request), {DENIED}, [SECRET])
    named = pb.GetAccountLinkRequest(tenant_id=A, subject="ana-a")
    await expect_code(w.stub("gateway").GetAccountLink(named), {HIDDEN})


async def test_get_account_link(world: World) -> None:
    w = world
    gateway = w.stub("gateway")
    await gateway.LinkAccount(link("ana-a", "", "E1"))  # the subject of w's ana_a
    await gateway.LinkAccount(link("bob-a", "", "E2"))
    own = await w.stub("ana_a").GetAccountLink(pb.GetAccountLinkRequest())
    assert (own.subject, own.employee_id) == ("ana-a", w.ana_a)
    # A person just signed in (not yet in a token's `emp`) reads their own too.
    fresh = user("bob-a", A, Role.EMPLOYEE)
    assert (await w.stub(fresh).GetAccountLink(pb.GetAccountLinkRequest())).employee_id == w.bob_a
    bobs = pb.GetAccountLinkRequest(subject="bob-a")
    assert (await w.stub("admin_a").GetAccountLink(bobs)).employee_id == w.bob_a
    for who in ("ana_a", "comms_region_a", "reviewer_a", "unlinked_a"):
        await expect_denied(w.stub(who).GetAccountLink(bobs), {DENIED})
    named = pb.GetAccountLinkRequest(tenant_id=A, subject="bob-a")
    await expect_denied(w.stub("scheduling").GetAccountLink(named), {DENIED})
    # Tenant B: A's subjects are not linked there; A is never named.
    await expect_denied(w.stub("admin_b").GetAccountLink(bobs), {HIDDEN})
    await expect_denied(w.stub("admin_b").GetAccountLink(named), {DENIED})
    await expect_denied(gateway.GetAccountLink(pb.GetAccountLinkRequest(subject="bob-a")), {DENIED})
    assert (await gateway.GetAccountLink(named)).employee_id == w.bob_a


async def test_erasure_removes_the_link(world: World) -> None:
    w = world
    gateway = w.stub("gateway")
    await gateway.LinkAccount(link("sub-bob", f"bob@{SECRET}"))
    erase = pb.EraseEmployeeRequest(request_id="e1", employee_id=w.bob_a)
    assert (await w.stub("admin_a").EraseEmployee(erase)).erased
    named = pb.GetAccountLinkRequest(tenant_id=A, subject="sub-bob")
    await expect_code(gateway.GetAccountLink(named), {HIDDEN})
    # Signing in again finds no entry to link to (the erased never come back).
    for request in (link("sub-bob", f"bob@{SECRET}"), link("sub-bob", "", "E2")):
        await expect_code(gateway.LinkAccount(request), {HIDDEN})
    async with w.db.session() as session:
        rows = (await session.execute(text("SELECT * FROM targeting_account_links"))).all()
    assert rows == []
