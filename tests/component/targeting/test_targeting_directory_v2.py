"""The extended directory, segments, channels and consent over a real gRPC
server and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as pb_grpc
from chorus_db import Database
from chorus_grpc import GrpcServer, insecure_channel
from chorus_messaging import Outbox
from chorus_messaging.topics import EMPLOYEES
from chorus_testing.events import outbox_rows
from chorus_testing.identity import IDENTITY, everything
from targeting_service import composition
from targeting_service.domain.employees import employee_id_for
from targeting_service.entrypoints import grpc_api

HEADER = (
    "external_id,email,display_name,country,language,timezone,department,status,opted_in,"
    "auto_share,home_region,title,hire_date,groups,social_accounts,consent\n"
)
ROWS = [
    "E1,ana@x.com,Ana,FR,fr,Europe/Paris,Sales,active,true,true,local,Rep,2020-03-01,"
    "Sales EU;Paris,bluesky:@ana:120,true",
    "E2,bob@x.com,Bob,BE,fr,Europe/Brussels,Sales,active,true,false,local,Rep,2024-06-01,"
    "Contractors,,true",
    "E3,cai@x.com,Cai,FR,fr,Europe/Paris,Sales,active,true,false,local,Lead,2019-01-01,"
    ",linkedin:cai:5,false",
    "E4,dan@x.com,Dan,FR,fr,Europe/Paris,HR,active,true,false,local,HR,2018-01-01,"
    "Paris,bluesky:@dan:9,true",
    "E5,eve@x.com,Eve,FR,fr,Europe/Paris,Sales,active,false,false,local,Rep,2018-01-01,,,true",
]
SEGMENT = (
    'country in ("FR", "BE") and department = "Sales" '
    'and not group = "Contractors" and language = "fr"'
)


def csv_of(rows: list[str]) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


@pytest.fixture
async def stub(targeting_db: Database) -> AsyncIterator[pb_grpc.TargetingServiceStub]:
    outbox = Outbox("chorus/targeting@local")
    use_cases = composition.build(targeting_db, "local", outbox).use_cases
    server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
    await server.start()
    channel = insecure_channel(
        f"127.0.0.1:{server.port}", credentials=IDENTITY.credentials(everything("t"))
    )
    yield pb_grpc.TargetingServiceStub(channel)
    await channel.close()
    await server.stop(0)


async def test_segment_preview_with_groups_networks_and_consent(
    stub: pb_grpc.TargetingServiceStub,
) -> None:
    imported = await stub.ImportDirectory(
        pb.ImportDirectoryRequest(tenant_id="t", csv=csv_of(ROWS))
    )
    assert (imported.created, list(imported.errors)) == (5, [])
    # E1 only: E2 is a contractor, E3 withheld consent, E4 is HR, E5 did not opt in.
    preview = await stub.PreviewAudience(pb.PreviewAudienceRequest(tenant_id="t", segment=SEGMENT))
    assert preview.count == 1
    assert dict(preview.by_timezone) == {"Europe/Paris": 1} and dict(preview.by_network) == {
        "bluesky": 1
    }
    dated = await stub.PreviewAudience(
        pb.PreviewAudienceRequest(tenant_id="t", segment="hire_date < 2024-01-01")
    )
    assert dated.count == 2 and dict(dated.by_network) == {"bluesky": 2}  # E1 and E4
    followers = await stub.PreviewAudience(
        pb.PreviewAudienceRequest(tenant_id="t", segment="followers > 100")
    )
    assert followers.count == 1
    # The golden path's countries/departments targeting still applies on top.
    both = await stub.PreviewAudience(
        pb.PreviewAudienceRequest(
            tenant_id="t",
            segment='group = "Paris"',
            targeting=content_pb.Targeting(departments=["HR"]),
        )
    )
    assert both.count == 1
    got = await stub.GetEmployee(
        pb.GetEmployeeRequest(tenant_id="t", employee_id=employee_id_for("t", "E1"))
    )
    assert (
        list(got.employee.groups) == ["Paris", "Sales EU"]
        and got.employee.hire_date == "2020-03-01"
    )
    assert got.employee.social_accounts[0].handle == "@ana"


async def test_segments_are_saved_and_versioned(stub: pb_grpc.TargetingServiceStub) -> None:
    first = await stub.SaveSegment(
        pb.SaveSegmentRequest(request_id="s1", tenant_id="t", name="FR", rule=SEGMENT)
    )
    again = await stub.SaveSegment(
        pb.SaveSegmentRequest(request_id="s1", tenant_id="t", name="FR", rule=SEGMENT)
    )
    assert (first.version, again.version, again.segment_id) == (1, 1, first.segment_id)
    second = await stub.SaveSegment(
        pb.SaveSegmentRequest(
            tenant_id="t", segment_id=first.segment_id, name="FR", rule='country = "FR"'
        )
    )
    assert second.version == 2
    old = await stub.GetSegment(
        pb.GetSegmentRequest(tenant_id="t", segment_id=first.segment_id, version=1)
    )
    assert old.rule == SEGMENT
    listed = await stub.ListSegments(pb.ListSegmentsRequest(tenant_id="t"))
    assert [(s.segment_id, s.version) for s in listed.segments] == [(first.segment_id, 2)]
    await stub.ImportDirectory(pb.ImportDirectoryRequest(tenant_id="t", csv=csv_of(ROWS)))
    saved = await stub.PreviewAudience(
        pb.PreviewAudienceRequest(tenant_id="t", segment_id=first.segment_id)
    )
    assert (
        saved.count == 2
    )  # version 2, country = "FR": E1 and E4 (E3 withheld consent, E5 opted out)
    assert set(saved.by_country) == {"FR"}


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ('country = "FR" and\n (title = "x"', "segment: line 2, column 14: expected ')'"),
        ("salary > 3", "unknown attribute 'salary'"),
    ],
)
async def test_bad_segments_are_invalid_argument(
    stub: pb_grpc.TargetingServiceStub, rule: str, fragment: str
) -> None:
    for call in (
        stub.ValidateSegment(pb.ValidateSegmentRequest(rule=rule)),
        stub.PreviewAudience(pb.PreviewAudienceRequest(tenant_id="t", segment=rule)),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert fragment in (caught.value.details() or "")


async def test_channels_subscriptions_and_mandatory(stub: pb_grpc.TargetingServiceStub) -> None:
    await stub.ImportDirectory(pb.ImportDirectoryRequest(tenant_id="t", csv=csv_of(ROWS)))
    e1, e2 = employee_id_for("t", "E1"), employee_id_for("t", "E2")
    careers = await stub.CreateChannel(
        pb.CreateChannelRequest(request_id="c1", tenant_id="t", name="Careers", manager_ids=[e1])
    )
    retried = await stub.CreateChannel(
        pb.CreateChannelRequest(request_id="c1", tenant_id="t", name="Careers")
    )
    assert retried.channel_id == careers.channel_id and list(careers.manager_ids) == [e1]
    await stub.Subscribe(
        pb.SubscriptionRequest(tenant_id="t", channel_id=careers.channel_id, employee_id=e2)
    )
    only = await stub.PreviewAudience(
        pb.PreviewAudienceRequest(tenant_id="t", channel_ids=[careers.channel_id])
    )
    assert only.count == 1  # E2, the only subscriber
    news = await stub.CreateChannel(
        pb.CreateChannelRequest(tenant_id="t", name="News", mandatory=True)
    )
    everyone = await stub.PreviewAudience(
        pb.PreviewAudienceRequest(
            tenant_id="t",
            channel_ids=[careers.channel_id, news.channel_id],
            segment='department = "Sales"',
        )
    )
    assert everyone.count == 2  # E1, E2 (E3 withheld consent, E5 did not opt in)
    elsewhere = await stub.CreateChannel(
        pb.CreateChannelRequest(tenant_id="t", name="US only", mandatory=True, regions=["us-east"])
    )
    nobody = await stub.PreviewAudience(
        pb.PreviewAudienceRequest(tenant_id="t", channel_ids=[elsewhere.channel_id])
    )
    assert nobody.count == 0
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Unsubscribe(
            pb.SubscriptionRequest(tenant_id="t", channel_id=news.channel_id, employee_id=e1)
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    left = await stub.Unsubscribe(
        pb.SubscriptionRequest(tenant_id="t", channel_id=careers.channel_id, employee_id=e2)
    )
    assert left.subscribers == 0
    listed = await stub.ListChannels(pb.ListChannelsRequest(tenant_id="t"))
    assert [c.name for c in listed.channels] == ["Careers", "News", "US only"]


async def test_dry_run_leavers_streaming_and_opt_out_events(
    stub: pb_grpc.TargetingServiceStub, targeting_db: Database
) -> None:
    await stub.ImportDirectory(pb.ImportDirectoryRequest(tenant_id="t", csv=csv_of(ROWS)))
    changed = [
        ROWS[0].replace("Rep", "Manager"),
        ROWS[1].replace(",true,false,local", ",false,false,local"),
        "E9,new@x.com,New,FR,fr,Europe/Atlantis,Sales,active,true,false,local,,,,,",
    ]
    dry = await stub.ImportDirectory(
        pb.ImportDirectoryRequest(
            tenant_id="t", csv=csv_of(changed), dry_run=True, deactivate_missing=True
        )
    )
    assert (dry.created, dry.updated, dry.deactivated) == (0, 2, 3)
    assert {(c.external_id, c.kind, tuple(c.fields)) for c in dry.changes} == {
        ("E1", "updated", ("title",)),
        ("E2", "updated", ("opted_in", "opt_in_source")),
        ("E3", "deactivated", ("active",)),
        ("E4", "deactivated", ("active",)),
        ("E5", "deactivated", ("active",)),
    }
    assert dry.errors[0].reason == "timezone: not an IANA timezone" and dry.errors[0].line == 4
    unchanged = await stub.PreviewAudience(pb.PreviewAudienceRequest(tenant_id="t"))
    assert unchanged.count == 3  # the dry run wrote nothing

    def chunks() -> list[pb.ImportDirectoryRequest]:
        data = csv_of(changed)
        first = pb.ImportDirectoryRequest(
            request_id="stream-1", tenant_id="t", deactivate_missing=True
        )
        return [
            first,
            *(pb.ImportDirectoryRequest(csv=data[i : i + 7]) for i in range(0, len(data), 7)),
        ]

    done = await stub.ImportDirectoryStream(iter(chunks()))
    assert (done.created, done.updated, done.deactivated, len(done.errors)) == (0, 2, 3, 1)
    after = await stub.PreviewAudience(pb.PreviewAudienceRequest(tenant_id="t"))
    assert after.count == 1  # E1 only
    rows = await outbox_rows(targeting_db, topic=EMPLOYEES)
    opted_out = {events.EmployeeOptedOut.FromString(r.payload).employee_id for r in rows}
    assert opted_out == {employee_id_for("t", x) for x in ("E2", "E3", "E4", "E5")}


async def test_opt_out_and_erasure(stub: pb_grpc.TargetingServiceStub) -> None:
    await stub.ImportDirectory(pb.ImportDirectoryRequest(tenant_id="t", csv=csv_of(ROWS)))
    e1 = employee_id_for("t", "E1")
    out = await stub.SetParticipation(
        pb.SetParticipationRequest(request_id="r1", tenant_id="t", employee_id=e1, opted_in=False)
    )
    assert not out.opted_in and not out.auto_share
    assert (await stub.EraseEmployee(pb.EraseEmployeeRequest(tenant_id="t", employee_id=e1))).erased
    assert not (
        await stub.EraseEmployee(pb.EraseEmployeeRequest(tenant_id="t", employee_id=e1))
    ).erased
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.GetEmployee(pb.GetEmployeeRequest(tenant_id="t", employee_id=e1))
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    again = await stub.ImportDirectory(pb.ImportDirectoryRequest(tenant_id="t", csv=csv_of(ROWS)))
    assert [(e.line, e.reason) for e in again.errors] == [
        (2, "external_id: this person was erased (GDPR)")
    ]


async def test_reimport_keeps_the_network_copy_in_step(stub: pb_grpc.TargetingServiceStub) -> None:
    await stub.ImportDirectory(pb.ImportDirectoryRequest(tenant_id="t", csv=csv_of(ROWS)))
    again = await stub.ImportDirectory(pb.ImportDirectoryRequest(tenant_id="t", csv=csv_of(ROWS)))
    assert (again.created, again.updated) == (0, 0)  # an unchanged export writes nothing
    # Only E1's accounts change: the preview's network breakdown follows.
    moved = [ROWS[0].replace("bluesky:@ana:120", "x:@ana:120;linkedin:ana:3"), *ROWS[1:]]
    dry = await stub.ImportDirectory(
        pb.ImportDirectoryRequest(tenant_id="t", csv=csv_of(moved), dry_run=True)
    )
    assert dry.updated == 1
    changed = await stub.ImportDirectory(
        pb.ImportDirectoryRequest(tenant_id="t", csv=csv_of(moved))
    )
    assert (changed.created, changed.updated) == (0, 1)
    preview = await stub.PreviewAudience(pb.PreviewAudienceRequest(tenant_id="t", segment=SEGMENT))
    assert dict(preview.by_network) == {"linkedin": 1, "x": 1}
    dated = await stub.PreviewAudience(
        pb.PreviewAudienceRequest(tenant_id="t", segment="hire_date < 2024-01-01")
    )
    assert dict(dated.by_network) == {"bluesky": 1, "linkedin": 1, "x": 1}  # E4 keeps bluesky
