"""AccountLinker on targeting.LinkAccount, called with the gateway's own
service identity (client credentials): targeting allows the link only to
the `gateway` service, never to a person linking themself to anyone."""

from __future__ import annotations

import grpc
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as pb_grpc

from gateway_service.app.ports import LinkFailed

# Answers meaning "this account has no directory entry to link to".
_UNLINKED = (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION)


class GrpcAccountLinker:
    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = pb_grpc.TargetingServiceStub(channel)

    async def link(self, tenant_id: str, subject: str, email: str, external_id: str) -> str:
        request = pb.LinkAccountRequest(
            tenant_id=tenant_id, subject=subject, email=email, external_id=external_id
        )
        try:
            linked = await self.stub.LinkAccount(request)
        except grpc.aio.AioRpcError as error:
            if error.code() in _UNLINKED:
                return ""
            raise LinkFailed(error.code().name) from None
        return str(linked.employee_id)
