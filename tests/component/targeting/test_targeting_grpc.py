"""TargetingService over a real gRPC server: status codes and the wire mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as pb_grpc
from chorus_db import Database
from chorus_grpc import GrpcServer, insecure_channel
from chorus_messaging import Outbox
from chorus_testing.directory import generate_directory_csv, inject_malformed_rows
from chorus_testing.identity import IDENTITY, everything
from targeting_service import composition
from targeting_service.entrypoints import grpc_api


@pytest.fixture
async def stub(targeting_db: Database) -> AsyncIterator[pb_grpc.TargetingServiceStub]:
    outbox = Outbox("chorus/targeting@local")
    use_cases = composition.build(targeting_db, "local", outbox).use_cases
    server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
    await server.start()
    channel = insecure_channel(
        f"127.0.0.1:{server.port}", credentials=IDENTITY.credentials(everything("acme"))
    )
    yield pb_grpc.TargetingServiceStub(channel)
    await channel.close()
    await server.stop(0)


async def test_import_preview_get_list(stub: pb_grpc.TargetingServiceStub) -> None:
    text, broken = inject_malformed_rows(generate_directory_csv(60, seed=4), 3, seed=4)
    imported = await stub.ImportDirectory(
        pb.ImportDirectoryRequest(request_id="r1", tenant_id="acme", csv=text.encode())
    )
    assert imported.created == 57
    assert {(e.line, e.reason.split(":")[0]) for e in imported.errors} == set(broken.items())
    preview = await stub.PreviewAudience(
        pb.PreviewAudienceRequest(
            tenant_id="acme", targeting=content_pb.Targeting(countries=["ES"])
        )
    )
    assert preview.count == sum(preview.by_language.values()) and set(preview.by_country) <= {"ES"}
    listed = await stub.ListEmployees(pb.ListEmployeesRequest(tenant_id="acme", page_size=10))
    assert (
        len(listed.employees) == 10 and listed.next_page_token == listed.employees[-1].employee_id
    )
    got = await stub.GetEmployee(
        pb.GetEmployeeRequest(tenant_id="acme", employee_id=listed.employees[0].employee_id)
    )
    assert got.employee == listed.employees[0]


@pytest.mark.parametrize(
    ("call", "code", "fragment"),
    [
        ("get_unknown", grpc.StatusCode.NOT_FOUND, "employee"),
        ("bad_country", grpc.StatusCode.INVALID_ARGUMENT, "targeting.countries: 'SPAIN'"),
        ("bad_csv", grpc.StatusCode.INVALID_ARGUMENT, "csv: header lacks column(s)"),
        ("other_tenant", grpc.StatusCode.PERMISSION_DENIED, "tenant_id"),
    ],
)
async def test_bad_requests_get_clear_statuses(
    stub: pb_grpc.TargetingServiceStub, call: str, code: grpc.StatusCode, fragment: str
) -> None:
    requests = {
        "get_unknown": lambda: stub.GetEmployee(
            pb.GetEmployeeRequest(tenant_id="acme", employee_id="nope")
        ),
        "bad_country": lambda: stub.PreviewAudience(
            pb.PreviewAudienceRequest(
                tenant_id="acme", targeting=content_pb.Targeting(countries=["Spain"])
            )
        ),
        "bad_csv": lambda: stub.ImportDirectory(
            pb.ImportDirectoryRequest(tenant_id="acme", csv=b"name,mail\nx,y\n")
        ),
        # The tenant is the caller's: naming another one is refused.
        "other_tenant": lambda: stub.ListEmployees(pb.ListEmployeesRequest(tenant_id="globex")),
    }
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await requests[call]()
    assert caught.value.code() == code
    assert fragment in (caught.value.details() or "")
