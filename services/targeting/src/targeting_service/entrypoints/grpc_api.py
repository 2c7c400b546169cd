"""TargetingService over gRPC: decode -> use case -> encode. Nothing else."""

from __future__ import annotations

import grpc
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as pb_grpc
from chorus_grpc import ServiceBinding

from targeting_service.adapters.messages import employee_to_pb
from targeting_service.app.directory import DirectoryUseCases


class TargetingServicer(pb_grpc.TargetingServiceServicer):
    def __init__(self, use_cases: DirectoryUseCases) -> None:
        self.uc = use_cases

    async def ImportDirectory(
        self, request: pb.ImportDirectoryRequest, context: grpc.aio.ServicerContext
    ) -> pb.ImportDirectoryResponse:
        result = await self.uc.import_directory(request.tenant_id, request.request_id, request.csv)
        return pb.ImportDirectoryResponse(
            created=result.created,
            updated=result.updated,
            errors=[pb.RowError(line=e.line, reason=e.reason) for e in result.errors],
        )

    async def PreviewAudience(
        self, request: pb.PreviewAudienceRequest, context: grpc.aio.ServicerContext
    ) -> pb.PreviewAudienceResponse:
        counts = await self.uc.preview_audience(
            request.tenant_id, request.targeting.countries, request.targeting.departments
        )
        return pb.PreviewAudienceResponse(
            count=counts.total, by_country=counts.by_country, by_language=counts.by_language
        )

    async def GetEmployee(
        self, request: pb.GetEmployeeRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetEmployeeResponse:
        employee = await self.uc.get_employee(request.tenant_id, request.employee_id)
        return pb.GetEmployeeResponse(employee=employee_to_pb(employee))

    async def ListEmployees(
        self, request: pb.ListEmployeesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListEmployeesResponse:
        employees, token = await self.uc.list_employees(
            request.tenant_id, request.opted_in_only, request.page_size, request.page_token
        )
        return pb.ListEmployeesResponse(employees=[employee_to_pb(e) for e in employees], next_page_token=token)


def binding(use_cases: DirectoryUseCases) -> ServiceBinding:
    return ServiceBinding(
        servicer=TargetingServicer(use_cases),
        add=pb_grpc.add_TargetingServiceServicer_to_server,
        name=pb.DESCRIPTOR.services_by_name["TargetingService"].full_name,
    )
