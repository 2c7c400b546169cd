"""Content's charter check (CheckCompliance) over gRPC: the CharterCheck port.

Asked with the caller's own token (ForwardedToken): the employee who edited
the text, so content answers for their tenant and role, as it would if they
asked it themselves; scheduling widens nobody's access."""

from __future__ import annotations

import grpc
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.content.v1 import content_service_pb2_grpc as content_grpc
from chorus_grpc import insecure_channel
from chorus_grpc.errors import peer_error
from chorus_identity.sources import ForwardedToken, TokenSource

from scheduling_service.domain.personal import CharterFinding

DEADLINE_SECONDS = 5.0


class GrpcCharterCheck:
    def __init__(
        self,
        target: str,
        credentials: TokenSource | None = None,
        deadline_seconds: float = DEADLINE_SECONDS,
    ) -> None:
        self.channel = insecure_channel(target, deadline_seconds, credentials or ForwardedToken())
        self.stub = content_grpc.ContentServiceStub(self.channel)

    async def check_text(
        self, tenant_id: str, network: str, language: str, text: str
    ) -> list[CharterFinding]:
        field = f"network_texts.{network}"
        try:
            reply = await self.stub.CheckCompliance(
                content_pb.CheckComplianceRequest(
                    tenant_id=tenant_id, network_texts={network: text}, language=language
                )
            )
        except grpc.aio.AioRpcError as error:
            raise peer_error(error, "content") from None
        # The check also looks at the (empty) title and body; only what it
        # says about this text is the text's.
        return [
            CharterFinding(
                rule_id=v.rule_id,
                blocking=v.severity == content_pb.SEVERITY_BLOCK,
                message=v.message,
                suggestion=v.suggestion,
            )
            for v in reply.violations
            if v.field == field
        ]

    async def close(self) -> None:
        await self.channel.close()
