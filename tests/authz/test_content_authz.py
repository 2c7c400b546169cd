"""Content's authorization over its real gRPC server (content's composition on
SQLite, one case on PostgreSQL; tokens verified as in production): the role
matrix of content_service.app.policy for every RPC, the comms managers'
scope, four eyes from identities, the employee's and moderator's limits,
tenant isolation for every RPC (tenant B never reads or changes tenant A's
posts, media, feeds or charter, whether it names tenant A or not) and
UNAUTHENTICATED without a token."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.ids import new_id
from chorus_db import Database
from chorus_identity.principal import ANY, Grant, Role, user
from chorus_testing.fixtures import create_pg_database
from chorus_testing.infra import required_env
from google.protobuf.descriptor import MethodDescriptor

from tests.authz.content_cases import NEW, ROLE_CASES
from tests.authz.content_isolation import ISOLATION
from tests.authz.content_world import (
    ADMIN_A,
    ATTACKER,
    ROLES,
    SECRET,
    A,
    Stub,
    World,
    build_world,
    close_world,
    download,
    pdf,
    secrets_of,
    upload_parts,
)
from tests.authz.matrix import (
    DENIED,
    HIDDEN,
    ISOLATED,
    SERVICES,
    expect_denied,
    expect_unauthenticated,
    rpc_names,
)


def _covering(rpc: str) -> str:
    specific = {
        "CreatePost": "test_comms_manager_targets_only_what_they_manage",
        "UpdatePost": "test_comms_manager_targets_only_what_they_manage",
        "SubmitPost": "test_comms_manager_targets_only_what_they_manage",
        "ArchivePost": "test_comms_manager_targets_only_what_they_manage",
        "ApprovePost": "test_four_eyes_author_cannot_approve_own, "
        "test_four_eyes_same_reviewer_not_twice, test_reviewer_of_legal_cannot_approve_comms",
        "RejectPost": "test_four_eyes_author_cannot_approve_own, "
        "test_reviewer_of_legal_cannot_approve_comms",
        "RequestChanges": "test_four_eyes_author_cannot_approve_own, "
        "test_reviewer_of_legal_cannot_approve_comms",
        "GetPost": "test_employee_reads_approved_posts_only",
        "ProposePost": "test_employee_proposes_only_as_themself",
        "ModerateProposal": "test_moderator_cannot_moderate_own_proposal",
    }
    every = "test_role_matrix, test_tenant_isolation, test_no_token_is_unauthenticated"
    return f"{every}, {specific[rpc]}" if rpc in specific else every


# Every ContentService method -> the tests covering it (tests/authz/test_coverage.py).
RPCS: dict[str, str] = {rpc: _covering(rpc) for rpc in sorted(rpc_names("content"))}


@pytest.fixture(scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    built = await build_world(tmp_path_factory.mktemp("content-authz"))
    yield built
    await close_world(built)


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("rpc", sorted(ROLE_CASES))
async def test_role_matrix(world: World, rpc: str, role: str) -> None:
    allowed, case = ROLE_CASES[rpc]
    call = await case(world)
    stub = world.stub(ROLES[role])
    if role in allowed:
        assert await call(stub) is not None
    else:
        await expect_denied(call(stub), codes={DENIED})


async def attack(world: World, rpc: str, named: bool) -> None:
    """Tenant B's call on tenant A's objects: refused (naming A), not found,
    or answered with B's own data only. A refusal may repeat the id asked
    for (B sent it), never anything of the object's."""
    kind, make = ISOLATION[rpc]
    call = make(world, A if named else "")(world.stub(ATTACKER))
    if named:
        await expect_denied(call, codes={DENIED}, secrets=[SECRET])
    elif kind == "object":
        await expect_denied(call, codes=ISOLATED, secrets=[SECRET])
    else:
        answer = str(await call)
        leaked = [s for s in secrets_of(world) if s in answer]
        assert not leaked, f"{rpc} answered tenant B with tenant A's {leaked}"


@pytest.mark.parametrize("named", [True, False], ids=["names-tenant-a", "own-tenant"])
@pytest.mark.parametrize("rpc", sorted(ISOLATION))
async def test_tenant_isolation(world: World, rpc: str, named: bool) -> None:
    before = await world.snapshot()
    await attack(world, rpc, named)
    assert await world.snapshot() == before  # nothing of tenant A's changed


async def test_tenant_isolation_on_postgresql(tmp_path: Path) -> None:
    """The same attacks on PostgreSQL (its queries are separate SQL)."""
    db = Database(await create_pg_database(required_env("CHORUS_PG_URL")))
    world = await build_world(tmp_path, db)
    try:
        before = await world.snapshot()
        for rpc in sorted(ISOLATION):
            for named in (True, False):
                await attack(world, rpc, named)
        assert await world.snapshot() == before
    finally:
        await close_world(world)


def without_token(stub: Stub, method: MethodDescriptor) -> Awaitable[Any]:
    request = getattr(pb, method.input_type.name)()
    rpc = getattr(stub, method.name)
    if method.client_streaming:
        return rpc(upload_parts(A, pdf(), "x.pdf"))
    if method.server_streaming:
        return download(stub, request)
    return rpc(request)


@pytest.mark.parametrize("rpc", sorted(rpc_names("content")))
async def test_no_token_is_unauthenticated(world: World, rpc: str) -> None:
    method = SERVICES["content"].methods_by_name[rpc]
    await expect_unauthenticated(without_token(world.stub(None), method))


def test_every_rpc_is_in_every_matrix() -> None:
    assert set(ROLE_CASES) == set(ISOLATION) == rpc_names("content")


CAREERS, NEWS = new_id(), new_id()


def create(channels: list[str]) -> pb.CreatePostRequest:
    return pb.CreatePostRequest(
        title="Hiring",
        body="Join us",
        source_language="en",
        targeting=pb.Targeting(channel_ids=channels),
    )


async def test_comms_manager_targets_only_what_they_manage(world: World) -> None:
    careers = world.stub(user("careers-a", A, Grant.of(Role.COMMS_MANAGER, channels=[CAREERS])))
    mine = (await careers.CreatePost(create([CAREERS]))).post
    assert mine.author_id == "careers-a"
    for channels in ([CAREERS, NEWS], [NEWS], []):  # [] = the whole tenant
        await expect_denied(careers.CreatePost(create(channels)), codes={DENIED})
    retarget = pb.PostContent(
        title="Hiring",
        body="Join us",
        source_language="en",
        targeting=pb.Targeting(channel_ids=[NEWS]),
    )
    await expect_denied(
        careers.UpdatePost(pb.UpdatePostRequest(post_id=mine.post_id, content=retarget)),
        codes={DENIED},
    )
    theirs = (await world.ops.CreatePost(create([NEWS]))).post
    await expect_denied(
        careers.UpdatePost(pb.UpdatePostRequest(post_id=theirs.post_id, content=NEW)),
        codes={DENIED},
    )
    await expect_denied(careers.SubmitPost(pb.SubmitPostRequest(post_id=theirs.post_id)), {DENIED})
    await expect_denied(
        careers.ArchivePost(pb.ArchivePostRequest(post_id=theirs.post_id)), {DENIED}
    )
    admin = world.stub(ADMIN_A)
    for post in (mine, theirs):
        assert (await admin.GetPost(pb.GetPostRequest(post_id=post.post_id))).post == post

    # A regional team manages whatever is written in its region's deployment
    # (the server runs in the default region, eu-west).
    regional = world.stub(user("eu-a", A, Grant.of(Role.COMMS_MANAGER, regions=["eu-west"])))
    assert (await regional.CreatePost(create([]))).post.author_id == "eu-a"
    elsewhere = world.stub(user("us-a", A, Grant.of(Role.COMMS_MANAGER, regions=["us-east"])))
    await expect_denied(elsewhere.CreatePost(create([])), codes={DENIED})


async def test_four_eyes_author_cannot_approve_own(world: World) -> None:
    both = Grant.of(Role.COMMS_MANAGER, channels=[ANY]), Grant.of(Role.REVIEWER, steps=[ANY])
    for author in (user("dual-a", A, *both), ADMIN_A):  # no role lifts four eyes
        stub = world.stub(author)
        post = (await stub.CreatePost(create([]))).post
        post = (await stub.SubmitPost(pb.SubmitPostRequest(post_id=post.post_id))).post
        for decision in (
            stub.ApprovePost(pb.ApprovePostRequest(post_id=post.post_id)),
            stub.RejectPost(pb.RejectPostRequest(post_id=post.post_id, reason="mine")),
            stub.RequestChanges(pb.RequestChangesRequest(post_id=post.post_id, comment="x")),
        ):
            await expect_denied(decision, codes={DENIED})
        shown = (await world.ops.GetPost(pb.GetPostRequest(post_id=post.post_id))).post
        assert shown == post and shown.status == pb.POST_STATUS_IN_REVIEW


async def job_offer_in_review(world: World) -> str:
    request = create([])
    request.kind = pb.POST_KIND_JOB_OFFER  # the chain seeded: comms, then legal
    post = (await world.ops.CreatePost(request)).post
    await world.ops.SubmitPost(pb.SubmitPostRequest(post_id=post.post_id))
    return post.post_id


async def test_four_eyes_same_reviewer_not_twice(world: World) -> None:
    post_id = await job_offer_in_review(world)
    anyone = world.stub(ROLES["reviewer"])  # a reviewer of every step
    step1 = (await anyone.ApprovePost(pb.ApprovePostRequest(post_id=post_id))).post
    assert (step1.status, step1.awaiting_step) == (pb.POST_STATUS_IN_REVIEW, "legal")
    await expect_denied(anyone.ApprovePost(pb.ApprovePostRequest(post_id=post_id)), {DENIED})
    assert (await world.ops.GetPost(pb.GetPostRequest(post_id=post_id))).post == step1
    other = world.stub(user("reviewer-2-a", A, Grant.of(Role.REVIEWER, steps=[ANY])))
    done = (await other.ApprovePost(pb.ApprovePostRequest(post_id=post_id))).post
    assert (done.status, done.approver_id) == (pb.POST_STATUS_APPROVED, "reviewer-2-a")


async def test_reviewer_of_legal_cannot_approve_comms(world: World) -> None:
    post_id = await job_offer_in_review(world)
    legal = world.stub(user("legal-a", A, Grant.of(Role.REVIEWER, steps=["legal"])))
    before = (await world.ops.GetPost(pb.GetPostRequest(post_id=post_id))).post
    for decision in (
        legal.ApprovePost(pb.ApprovePostRequest(post_id=post_id)),
        legal.ApprovePost(pb.ApprovePostRequest(post_id=post_id, step="comms")),
        legal.RequestChanges(pb.RequestChangesRequest(post_id=post_id, comment="x")),
        legal.RejectPost(pb.RejectPostRequest(post_id=post_id, reason="x")),
    ):
        await expect_denied(decision, codes={DENIED})
    assert (await world.ops.GetPost(pb.GetPostRequest(post_id=post_id))).post == before
    comms = world.stub(user("comms-reviewer-a", A, Grant.of(Role.REVIEWER, steps=["comms"])))
    await comms.ApprovePost(pb.ApprovePostRequest(post_id=post_id))
    done = (await legal.ApprovePost(pb.ApprovePostRequest(post_id=post_id))).post
    assert done.status == pb.POST_STATUS_APPROVED


async def test_employee_reads_approved_posts_only(world: World) -> None:
    employee = world.stub(ROLES["employee"])
    draft, approved = await world.draft(), await world.approved()
    await expect_denied(employee.GetPost(pb.GetPostRequest(post_id=draft.post_id)), codes={HIDDEN})
    shown = (await employee.GetPost(pb.GetPostRequest(post_id=approved.post_id))).post
    assert shown.status == pb.POST_STATUS_APPROVED


async def test_employee_proposes_only_as_themself(world: World) -> None:
    employee = world.stub(ROLES["employee"])
    request = pb.ProposePostRequest(employee_id="emp-other", title="Our day", body="Trees")
    await expect_denied(employee.ProposePost(request), codes={DENIED})
    request.employee_id = "emp-a"
    assert (await employee.ProposePost(request)).proposal.post.author_id == "emp-a"
    request.employee_id = ""
    assert (await employee.ProposePost(request)).proposal.post.author_id == "emp-a"
    # Nobody proposes in an employee's name, not even the tenant admin.
    request.employee_id = "emp-a"
    await expect_denied(world.stub(ADMIN_A).ProposePost(request), codes={DENIED})


async def test_moderator_cannot_moderate_own_proposal(world: World) -> None:
    both = user("mod-emp-a", A, Role.MODERATOR, Role.EMPLOYEE, employee_id="mod-emp")
    stub = world.stub(both)
    request = pb.ProposePostRequest(title="Our day", body="We planted trees")
    post = (await stub.ProposePost(request)).proposal.post
    decide = pb.ModerateProposalRequest(post_id=post.post_id, approve=True)
    await expect_denied(stub.ModerateProposal(decide), codes={DENIED})
    assert (await world.ops.GetPost(pb.GetPostRequest(post_id=post.post_id))).post == post
    other = world.stub(ROLES["moderator"])
    assert (await other.ModerateProposal(decide)).post.status == pb.POST_STATUS_APPROVED
