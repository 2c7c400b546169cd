"""PublishingService over gRPC: decode -> use case -> encode. Nothing else."""

from __future__ import annotations

import grpc
from chorus.publishing.v1 import publishing_service_pb2 as pb
from chorus.publishing.v1 import publishing_service_pb2_grpc as pb_grpc
from chorus_grpc import ServiceBinding
from chorus_identity.context import current_principal

from publishing_service.adapters.messages import record_to_pb
from publishing_service.app.accounts import AccountUseCases, ConnectRequest, LedgerQueries
from publishing_service.app.ports import RetryableNetworkError


class PublishingServicer(pb_grpc.PublishingServiceServicer):
    def __init__(self, accounts: AccountUseCases, queries: LedgerQueries) -> None:
        self.accounts = accounts
        self.queries = queries

    async def ConnectAccount(
        self, request: pb.ConnectAccountRequest, context: grpc.aio.ServicerContext
    ) -> pb.ConnectAccountResponse:
        try:
            account = await self.accounts.connect_account(
                current_principal(),
                ConnectRequest(
                    tenant_id=request.tenant_id,
                    employee_id=request.employee_id,
                    network=request.network,
                    handle=request.handle,
                    secret=request.secret,
                    request_id=request.request_id,
                ),
            )
        except RetryableNetworkError:
            # The network did not answer (or is rate-limiting): nothing was
            # stored, and the same call may succeed shortly.
            await context.abort(
                grpc.StatusCode.UNAVAILABLE, "the social network did not answer; try again"
            )
        return pb.ConnectAccountResponse(account_id=account.account_id, network=account.network)

    async def DisconnectAccount(
        self, request: pb.DisconnectAccountRequest, context: grpc.aio.ServicerContext
    ) -> pb.DisconnectAccountResponse:
        disconnected = await self.accounts.disconnect_account(
            current_principal(),
            tenant_id=request.tenant_id,
            employee_id=request.employee_id,
            network=request.network,
            request_id=request.request_id,
        )
        return pb.DisconnectAccountResponse(disconnected=disconnected)

    async def GetPublishStatus(
        self, request: pb.GetPublishStatusRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetPublishStatusResponse:
        entry = await self.queries.get_publish_status(
            current_principal(), request.tenant_id, request.share_id
        )
        return pb.GetPublishStatusResponse(record=record_to_pb(entry))

    async def ListPublished(
        self, request: pb.ListPublishedRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPublishedResponse:
        entries, token = await self.queries.list_published(
            current_principal(),
            request.tenant_id,
            request.post_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListPublishedResponse(
            records=[record_to_pb(e) for e in entries], next_page_token=token
        )


def binding(accounts: AccountUseCases, queries: LedgerQueries) -> ServiceBinding:
    return ServiceBinding(
        servicer=PublishingServicer(accounts, queries),
        add=pb_grpc.add_PublishingServiceServicer_to_server,
        name=pb.DESCRIPTOR.services_by_name["PublishingService"].full_name,
    )
