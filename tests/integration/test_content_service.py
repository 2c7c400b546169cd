"""The content service as a real process (PostgreSQL, real Kafka), driven over
gRPC: charter validation, a two-step approval chain whose PostApproved
reaches Kafka, the per-locale hold of a translation that arrives over Kafka,
the erasure of an employee that arrives over Kafka, streamed media upload,
and the status codes of bad input."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TypeVar

import grpc
import pytest
from chorus.content.v1 import content_events_pb2 as events
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus.translation.v1 import translation_events_pb2 as translation
from chorus_cli.clients import Clients
from chorus_cli.stack import Stack
from chorus_core.settings import DEFAULT_AUDIENCE, DEFAULT_INTERNAL_ISSUER
from chorus_db import Database, migrate
from chorus_identity.keys import SigningKey
from chorus_identity.principal import Principal
from chorus_identity.sources import MintedToken
from chorus_identity.tokens import TokenMinter
from chorus_messaging import MESSAGING_SCHEMA, Outbox, OutboxRelay, make_broker
from chorus_messaging.topics import EMPLOYEES, POSTS, TRANSLATIONS
from chorus_testing.identity import everything
from chorus_testing.kafka import read_topic
from google.protobuf.message import Message

M = TypeVar("M", bound=Message)
# A content stub whose calls carry the principal's token (signed with the stack's key).
People = Callable[[Principal], pb_grpc.ContentServiceStub]

pytestmark = pytest.mark.infra
PORT_OFFSET = 400
NAMESPACE = ""  # the running stack's Kafka topic prefix, set by the fixture


@pytest.fixture
async def content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_admin_url: str
) -> AsyncIterator[People]:
    monkeypatch.setenv("CHORUS_CONTENT_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("CHORUS_CONTENT_MEDIA_MAX_BYTES", "100000")
    monkeypatch.setenv("CHORUS_CONTENT_METRICS_PORT", "0")
    stack = Stack(tmp_path / "var", port_offset=PORT_OFFSET, database="postgresql")
    await stack.up(["content"], timeout=60)
    # The stack's services use topics of their own namespace; so does this test.
    global NAMESPACE
    NAMESPACE = stack.namespace
    keys = stack.identity()
    minter = TokenMinter(
        SigningKey.from_file(keys.signing_key, keys.kid), DEFAULT_INTERNAL_ISSUER, DEFAULT_AUDIENCE
    )
    opened: list[Clients] = []

    def people(principal: Principal) -> pb_grpc.ContentServiceStub:
        credentials = MintedToken(minter, principal)
        clients = Clients(env=stack.client_env(), deadline_seconds=15, credentials=credentials)
        opened.append(clients)
        return clients.content

    try:
        yield people
    finally:
        for clients in opened:
            await clients.close()
        stack.down()


async def publish(
    tmp_path: Path, bootstrap: str, topic: str, key: str, tenant: str, event: Message
) -> None:
    """Through a real outbox and relay, so the event carries real CloudEvents headers."""
    db = Database(f"sqlite:///{tmp_path}/producer-{uuid.uuid4().hex}.db")
    await migrate(db, MESSAGING_SCHEMA)
    outbox = Outbox("chorus/test@local")
    async with db.transaction() as session:
        outbox.add(session, topic=topic, key=key, tenant_id=tenant, event=event)
    broker = make_broker(bootstrap, client_id="content-test")
    await broker.start()
    try:
        assert await OutboxRelay(db, broker, outbox, topic_prefix=NAMESPACE).publish_batch() == 1
    finally:
        await broker.stop()
        await db.dispose()


async def events_of(
    bootstrap: str, tenant: str, message: type[M], want: int, timeout: float = 30
) -> list[M]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    found: list[M] = []
    while loop.time() < deadline:
        records = await read_topic(bootstrap, NAMESPACE + POSTS, expected=10**9, timeout=2)
        found = [
            message.FromString(r.value)
            for r in records
            if r.headers.get("ce_tenantid") == tenant.encode()
            and r.headers.get("ce_type") == message.DESCRIPTOR.full_name.encode()
        ]
        if len(found) >= want:
            return found
    raise AssertionError(f"{message.DESCRIPTOR.name}: {len(found)} of {want} arrived")


async def until(predicate, timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.2)
    raise AssertionError("condition not met in time")


async def status_of(call) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    return caught.value


async def test_content_service_end_to_end(
    content: People, kafka_bootstrap: str, tmp_path: Path
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:10]}"
    # alice writes (and, linked to emp-42, proposes); three others review.
    c = content(everything(tenant, "alice", employee_id="emp-42"))
    bob, carl, lea = (content(everything(tenant, name)) for name in ("bob", "carl", "lea"))
    bad = await status_of(
        c.SetCharter(
            pb.SetCharterRequest(
                tenant_id=tenant,
                charter=pb.Charter(
                    patterns=[pb.ConfidentialPattern(rule_id="codename", pattern="(x+)+y")]
                ),
            )
        )
    )
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT and "codename" in (bad.details() or "")
    await c.SetCharter(
        pb.SetCharterRequest(
            tenant_id=tenant,
            charter=pb.Charter(
                blocked_terms=[pb.BlockedTerm(term="garantía total", language="es")],
                disclosures={"linkedin": "#employee"},
            ),
        )
    )
    hits = (
        await c.CheckCompliance(
            pb.CheckComplianceRequest(
                tenant_id=tenant, body="x", language="es", network_texts={"linkedin": "Join us"}
            )
        )
    ).violations
    assert [(v.rule_id, v.severity) for v in hits] == [("disclosure.linkedin", pb.SEVERITY_BLOCK)]

    await c.SetApprovalChain(
        pb.SetApprovalChainRequest(
            tenant_id=tenant,
            chain=pb.ApprovalChain(kind=pb.POST_KIND_JOB_OFFER, steps=["comms", "legal"]),
        )
    )
    post = (
        await c.CreatePost(
            pb.CreatePostRequest(
                tenant_id=tenant,
                title="We are hiring",
                body="Join the Lyon plant",
                source_language="en",
                kind=pb.POST_KIND_JOB_OFFER,
                channels=["jobs"],
                hashtags=["hiring"],
            )
        )
    ).post
    wrong = await status_of(
        bob.ApprovePost(pb.ApprovePostRequest(tenant_id=tenant, post_id=post.post_id))
    )
    assert wrong.code() == grpc.StatusCode.FAILED_PRECONDITION and "post is draft" in (
        wrong.details() or ""
    )
    await c.SubmitPost(pb.SubmitPostRequest(tenant_id=tenant, post_id=post.post_id))
    step = (
        await carl.ApprovePost(pb.ApprovePostRequest(tenant_id=tenant, post_id=post.post_id))
    ).post
    assert step.awaiting_step == "legal"
    done = (
        await lea.ApprovePost(
            pb.ApprovePostRequest(tenant_id=tenant, post_id=post.post_id, step="legal")
        )
    ).post
    assert done.status == pb.POST_STATUS_APPROVED and done.approved_version == 1
    [approved] = await events_of(kafka_bootstrap, tenant, events.PostApproved, 1)
    assert approved.post.post_id == post.post_id and approved.post.title == "We are hiring"
    audit = (
        await c.ExportAuditTrail(pb.ExportAuditTrailRequest(tenant_id=tenant, post_id=post.post_id))
    ).csv
    assert audit.count("\n") == 4 and ",legal," in audit
    found = (
        await c.SearchPosts(pb.SearchPostsRequest(tenant_id=tenant, query="LYON", channel="jobs"))
    ).posts
    assert [p.post_id for p in found] == [post.post_id]

    # A Spanish translation breaking the charter arrives over Kafka: held.
    await publish(
        tmp_path,
        kafka_bootstrap,
        TRANSLATIONS,
        post.post_id,
        tenant,
        translation.TranslationCompleted(
            tenant_id=tenant,
            post_id=post.post_id,
            post_version=1,
            language="es",
            source_language="en",
            title="Contratamos",
            body="Con garantía total de empleo",
            provider="apertium",
        ),
    )

    async def held() -> bool:
        response = await c.ListHeldTranslations(pb.ListHeldTranslationsRequest(tenant_id=tenant))
        return [h.language for h in response.held] == ["es"]

    await until(held)
    [hold] = await events_of(kafka_bootstrap, tenant, events.TranslationHeld, 1)
    assert hold.language == "es" and hold.violations[0].rule_id == "blocked-term.es"

    # UGC, then the author's erasure over Kafka.
    proposal = (
        await c.ProposePost(
            pb.ProposePostRequest(
                tenant_id=tenant,
                employee_id="emp-42",
                title="Our day",
                body="We planted trees around the plant today",
            )
        )
    ).proposal
    assert proposal.detected_language == "en"
    await publish(
        tmp_path,
        kafka_bootstrap,
        EMPLOYEES,
        "emp-42",
        tenant,
        targeting.EmployeeErased(tenant_id=tenant, employee_id="emp-42"),
    )

    async def anonymised() -> bool:
        got = (
            await c.GetPost(pb.GetPostRequest(tenant_id=tenant, post_id=proposal.post.post_id))
        ).post
        return got.author_id == "erased-employee"

    await until(anonymised)

    async def upload(data: bytes) -> AsyncIterator[pb.UploadMediaRequest]:
        yield pb.UploadMediaRequest(
            header=pb.MediaHeader(tenant_id=tenant, filename="a.bin", tags=["launch"])
        )
        for i in range(0, len(data), 4096):
            yield pb.UploadMediaRequest(chunk=data[i : i + 4096])

    gif = b"GIF89a" + (64).to_bytes(2, "little") + (48).to_bytes(2, "little") + b"\x00" * 200
    asset = (await c.UploadMedia(upload(gif))).asset
    assert (asset.content_type, asset.width, asset.height) == ("image/gif", 64, 48)
    too_big = await status_of(c.UploadMedia(upload(b"%PDF-" + b"z" * 200_000)))
    assert too_big.code() == grpc.StatusCode.INVALID_ARGUMENT
    unknown = await status_of(c.UploadMedia(upload(b"hello world" * 10)))
    assert unknown.code() == grpc.StatusCode.INVALID_ARGUMENT and "unknown type" in (
        unknown.details() or ""
    )
    media_files = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert [p.name for p in media_files] == [asset.media_id]
    missing = await status_of(c.GetMedia(pb.GetMediaRequest(tenant_id=tenant, media_id="nope")))
    assert missing.code() == grpc.StatusCode.NOT_FOUND

    # Download: the bytes streamed back in chunks, only to the owning tenant
    # (naming another tenant is refused; an unknown id is not found).
    big = (
        b"GIF89a"
        + (640).to_bytes(2, "little")
        + (480).to_bytes(2, "little")
        + bytes(range(256)) * 350
    )
    big_asset = (await c.UploadMedia(upload(big))).asset
    replies = [
        r
        async for r in c.DownloadMedia(
            pb.DownloadMediaRequest(tenant_id=tenant, media_id=big_asset.media_id)
        )
    ]
    assert len(replies) > 1 and replies[0].asset.media_id == big_asset.media_id
    assert b"".join(r.chunk for r in replies) == big
    for other_tenant, media_id, code in (
        (f"{tenant}-other", big_asset.media_id, grpc.StatusCode.PERMISSION_DENIED),
        (tenant, "nope", grpc.StatusCode.NOT_FOUND),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            [
                r
                async for r in c.DownloadMedia(
                    pb.DownloadMediaRequest(tenant_id=other_tenant, media_id=media_id)
                )
            ]
        assert caught.value.code() == code
