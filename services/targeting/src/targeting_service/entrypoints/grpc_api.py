"""TargetingService over gRPC: decode -> use case -> encode. Nothing else."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as pb_grpc
from chorus_core.errors import InvalidArgument
from chorus_core.prototime import from_timestamp
from chorus_grpc import ServiceBinding
from chorus_identity.context import current_principal

from targeting_service.adapters.messages import (
    account_link_to_pb,
    channel_to_pb,
    employee_to_pb,
    preview_to_pb,
    segment_to_pb,
)
from targeting_service.app.accounts import AccountLinkUseCases
from targeting_service.app.audiences import AudienceUseCases
from targeting_service.app.consent import ConsentUseCases
from targeting_service.app.directory import DirectoryUseCases
from targeting_service.app.directory_import import ImportOptions
from targeting_service.domain.imports import ImportResult
from targeting_service.domain.participation import ConsentChoice

SPOOL_IN_MEMORY = 4 * 1024 * 1024  # a streamed export beyond this goes to a temporary file


@dataclass(frozen=True)
class TargetingUseCases:
    directory: DirectoryUseCases
    audiences: AudienceUseCases
    consent: ConsentUseCases
    accounts: AccountLinkUseCases


def _options(request: pb.ImportDirectoryRequest) -> ImportOptions:
    return ImportOptions(dict(request.column_mapping), request.dry_run, request.deactivate_missing)


def _import_response(result: ImportResult) -> pb.ImportDirectoryResponse:
    return pb.ImportDirectoryResponse(
        created=result.created,
        updated=result.updated,
        deactivated=result.deactivated,
        errors=[pb.RowError(line=e.line, reason=e.reason) for e in result.errors],
        changes=[
            pb.DirectoryChange(external_id=c.external_id, kind=c.kind, fields=list(c.fields))
            for c in result.changes
        ],
    )


class TargetingServicer(pb_grpc.TargetingServiceServicer):
    """Each call hands the verified caller to its use case, whose policy
    (app.policy) decides."""

    def __init__(self, use_cases: TargetingUseCases) -> None:
        self.uc = use_cases

    async def ImportDirectory(
        self, request: pb.ImportDirectoryRequest, context: grpc.aio.ServicerContext
    ) -> pb.ImportDirectoryResponse:
        result = await self.uc.directory.import_directory(
            current_principal(),
            request.tenant_id,
            request.request_id,
            request.csv,
            _options(request),
        )
        return _import_response(result)

    async def ImportDirectoryStream(
        self, requests: AsyncIterator[pb.ImportDirectoryRequest], context: grpc.aio.ServicerContext
    ) -> pb.ImportDirectoryResponse:
        actor = current_principal()
        first: pb.ImportDirectoryRequest | None = None
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            async for chunk in requests:
                if first is None:
                    # Refused at the first chunk, before the rest is spooled.
                    self.uc.directory.import_tenant(actor, chunk.tenant_id)
                    first = chunk
                spool.write(chunk.csv)
            if first is None:
                raise InvalidArgument("csv", "the stream carried no chunk")
            spool.seek(0)
            result = await self.uc.directory.import_directory(
                actor,
                first.tenant_id,
                first.request_id,
                spool,
                _options(first),
            )
        return _import_response(result)

    async def PreviewAudience(
        self, request: pb.PreviewAudienceRequest, context: grpc.aio.ServicerContext
    ) -> pb.PreviewAudienceResponse:
        preview = await self.uc.audiences.preview(
            current_principal(),
            request.tenant_id,
            request.targeting.countries,
            request.targeting.departments,
            request.segment,
            request.segment_id,
            request.channel_ids,
        )
        return preview_to_pb(preview)

    async def GetEmployee(
        self, request: pb.GetEmployeeRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetEmployeeResponse:
        employee, groups, accounts = await self.uc.directory.employee_details(
            current_principal(), request.tenant_id, request.employee_id
        )
        return pb.GetEmployeeResponse(employee=employee_to_pb(employee, groups, accounts))

    async def ListEmployees(
        self, request: pb.ListEmployeesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListEmployeesResponse:
        employees, token = await self.uc.directory.list_employees(
            current_principal(),
            request.tenant_id,
            request.opted_in_only,
            request.page_size,
            request.page_token,
        )
        return pb.ListEmployeesResponse(
            employees=[employee_to_pb(e) for e in employees], next_page_token=token
        )

    async def ValidateSegment(
        self, request: pb.ValidateSegmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.ValidateSegmentResponse:
        attributes = self.uc.audiences.validate(current_principal(), request.rule)
        return pb.ValidateSegmentResponse(attributes=attributes)

    async def SaveSegment(
        self, request: pb.SaveSegmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.Segment:
        saved = await self.uc.audiences.save_segment(
            current_principal(),
            request.tenant_id,
            request.request_id,
            request.segment_id,
            request.name,
            request.rule,
        )
        return segment_to_pb(saved)

    async def GetSegment(
        self, request: pb.GetSegmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.Segment:
        return segment_to_pb(
            await self.uc.audiences.get_segment(
                current_principal(), request.tenant_id, request.segment_id, request.version
            )
        )

    async def ListSegments(
        self, request: pb.ListSegmentsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListSegmentsResponse:
        segments = await self.uc.audiences.list_segments(current_principal(), request.tenant_id)
        return pb.ListSegmentsResponse(segments=[segment_to_pb(s) for s in segments])

    async def CreateChannel(
        self, request: pb.CreateChannelRequest, context: grpc.aio.ServicerContext
    ) -> pb.Channel:
        channel = await self.uc.audiences.create_channel(
            current_principal(),
            request.tenant_id,
            request.request_id,
            request.name,
            request.description,
            request.regions,
            request.mandatory,
            request.manager_ids,
        )
        return channel_to_pb(channel)

    async def ListChannels(
        self, request: pb.ListChannelsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListChannelsResponse:
        channels = await self.uc.audiences.list_channels(current_principal(), request.tenant_id)
        return pb.ListChannelsResponse(channels=[channel_to_pb(c) for c in channels])

    async def SetChannelManagers(
        self, request: pb.SetChannelManagersRequest, context: grpc.aio.ServicerContext
    ) -> pb.Channel:
        return channel_to_pb(
            await self.uc.audiences.set_managers(
                current_principal(),
                request.tenant_id,
                request.channel_id,
                request.manager_ids,
                request.request_id,
            )
        )

    async def Subscribe(
        self, request: pb.SubscriptionRequest, context: grpc.aio.ServicerContext
    ) -> pb.Channel:
        return channel_to_pb(
            await self.uc.audiences.subscribe(
                current_principal(),
                request.tenant_id,
                request.channel_id,
                request.employee_id,
                True,
                request.request_id,
            )
        )

    async def Unsubscribe(
        self, request: pb.SubscriptionRequest, context: grpc.aio.ServicerContext
    ) -> pb.Channel:
        return channel_to_pb(
            await self.uc.audiences.subscribe(
                current_principal(),
                request.tenant_id,
                request.channel_id,
                request.employee_id,
                False,
                request.request_id,
            )
        )

    async def RecordConsent(
        self, request: pb.RecordConsentRequest, context: grpc.aio.ServicerContext
    ) -> pb.Employee:
        choice = ConsentChoice(
            opted_in=request.opted_in,
            decided_at=from_timestamp(request.decided_at),  # None: when it is recorded
            source=request.source or "app",
            consent=request.consent,
            auto_share=request.auto_share,
        )
        employee = await self.uc.consent.record_consent(
            current_principal(), request.tenant_id, request.employee_id, choice, request.request_id
        )
        return employee_to_pb(employee)

    async def SetParticipation(
        self, request: pb.SetParticipationRequest, context: grpc.aio.ServicerContext
    ) -> pb.Employee:
        employee = await self.uc.consent.set_participation(
            current_principal(),
            request.tenant_id,
            request.employee_id,
            request.opted_in,
            request.source,
            request.request_id,
        )
        return employee_to_pb(employee)

    async def EraseEmployee(
        self, request: pb.EraseEmployeeRequest, context: grpc.aio.ServicerContext
    ) -> pb.EraseEmployeeResponse:
        return pb.EraseEmployeeResponse(
            erased=await self.uc.consent.erase(
                current_principal(), request.tenant_id, request.employee_id, request.request_id
            )
        )

    async def IssueScimToken(
        self, request: pb.IssueScimTokenRequest, context: grpc.aio.ServicerContext
    ) -> pb.IssueScimTokenResponse:
        return pb.IssueScimTokenResponse(
            token=await self.uc.consent.issue_scim_token(current_principal(), request.tenant_id)
        )

    async def LinkAccount(
        self, request: pb.LinkAccountRequest, context: grpc.aio.ServicerContext
    ) -> pb.AccountLink:
        linked = await self.uc.accounts.link(
            current_principal(),
            request.tenant_id,
            request.subject,
            request.email,
            request.external_id,
        )
        return account_link_to_pb(linked)

    async def GetAccountLink(
        self, request: pb.GetAccountLinkRequest, context: grpc.aio.ServicerContext
    ) -> pb.AccountLink:
        linked = await self.uc.accounts.get(current_principal(), request.tenant_id, request.subject)
        return account_link_to_pb(linked)


def binding(use_cases: TargetingUseCases) -> ServiceBinding:
    return ServiceBinding(
        servicer=TargetingServicer(use_cases),
        add=pb_grpc.add_TargetingServiceServicer_to_server,
        name=pb.DESCRIPTOR.services_by_name["TargetingService"].full_name,
    )
