"""The directory's way in: an HR export (CSV) imported, and the tenant's
SCIM bearer token issued. Decode -> one TargetingService call -> encode
(targeting's policy: tenant admins only).

POST /v1/directory/import  the CSV as the body (text/csv), streamed to
                           ImportDirectoryStream in chunks; its body limit is
                           its own (CHORUS_GATEWAY_DIRECTORY_MAX_BODY_BYTES,
                           composition.DIRECTORY_PREFIX)
POST /v1/scim-token        a new SCIM token (the previous one stops working)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as pb_grpc
from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from gateway_service.domain.problems import FieldError, invalid
from gateway_service.entrypoints.deps import Caller, RequestId, gateway
from gateway_service.entrypoints.routing import router
from gateway_service.entrypoints.targeting_json import ImportReport

api = router("/v1", ["directory"])
CHUNK = 256 * 1024  # rows of an export per message, well under gRPC's limit


def targeting(request: Request) -> pb_grpc.TargetingServiceStub:
    return gateway(request).channels.stub(pb_grpc.TargetingServiceStub, "targeting")


Targeting = Annotated[pb_grpc.TargetingServiceStub, Depends(targeting)]
Mapping = Annotated[
    list[str] | None,
    Query(
        max_length=100,
        description='An export column and the directory column it is, "Export name:column"'
        " (repeat for more)",
    ),
]


class ScimToken(BaseModel):
    token: str  # shown once; only its hash is kept


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for i, pair in enumerate(pairs):
        source, sep, target = pair.rpartition(":")
        if not sep or not source.strip() or not target.strip() or len(pair) > 200:
            raise invalid(
                422,
                "a column mapping is not valid",
                FieldError(f"query.map[{i}]", 'expected "Export column:directory column"'),
            )
        mapping[source.strip()] = target.strip()
    return mapping


def _messages(
    request_id: str, tenant: str, csv: bytes, options: dict[str, Any]
) -> Iterator[pb.ImportDirectoryRequest]:
    yield pb.ImportDirectoryRequest(
        request_id=request_id, tenant_id=tenant, csv=csv[:CHUNK], **options
    )
    for start in range(CHUNK, len(csv), CHUNK):
        yield pb.ImportDirectoryRequest(csv=csv[start : start + CHUNK])


@api.post(
    "/directory/import",
    summary="Import an HR export (CSV body; tenant admins)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def import_directory(
    request: Request,
    caller: Caller,
    stub: Targeting,
    request_id: RequestId,
    dry_run: bool = False,
    deactivate_missing: bool = False,
    map: Mapping = None,  # noqa: A002 (the query parameter's name)
) -> ImportReport:
    csv = await request.body()  # read already for the Idempotency-Key fingerprint
    if not csv.strip():
        raise invalid(422, "the export is empty", FieldError("body", "a CSV export is required"))
    options = {
        "column_mapping": _mapping(map or []),
        "dry_run": dry_run,
        "deactivate_missing": deactivate_missing,
    }
    answer = await stub.ImportDirectoryStream(
        _messages(request_id, caller.principal.tenant_id, csv, options)
    )
    return ImportReport.of(answer)


@api.post("/scim-token", status_code=201, summary="Issue the tenant's SCIM token (tenant admins)")
async def issue_scim_token(caller: Caller, stub: Targeting) -> JSONResponse:
    answer = await stub.IssueScimToken(
        pb.IssueScimTokenRequest(tenant_id=caller.principal.tenant_id)
    )
    return JSONResponse(
        ScimToken(token=answer.token).model_dump(),
        status_code=201,
        headers={"Cache-Control": "no-store"},
    )
