"""The editorial calendar RPCs of ContentService: decode -> use case -> encode."""

from __future__ import annotations

import grpc
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus_identity.context import current_principal

from content_service.adapters.calendar_messages import calendar_to_pb
from content_service.app.calendar import CalendarQuery, CalendarUseCases

Ctx = grpc.aio.ServicerContext


def _query(request: pb.CalendarRequest) -> CalendarQuery:
    return CalendarQuery(
        tenant_id=request.tenant_id,
        since_day=request.since_day,
        until_day=request.until_day,
        region=request.region,
        channel_id=request.channel_id,
    )


class CalendarServicer(pb_grpc.ContentServiceServicer):
    calendar: CalendarUseCases

    async def GetCalendar(
        self, request: pb.CalendarRequest, context: Ctx
    ) -> pb.GetCalendarResponse:
        return calendar_to_pb(await self.calendar.calendar(current_principal(), _query(request)))

    async def ExportCalendar(
        self, request: pb.CalendarRequest, context: Ctx
    ) -> pb.ExportCalendarResponse:
        export = await self.calendar.export(current_principal(), _query(request))
        return pb.ExportCalendarResponse(
            ical=export.ical,
            file_name=export.file_name,
            not_available=export.calendar.not_available,
            note="; ".join(export.calendar.notes),
        )
