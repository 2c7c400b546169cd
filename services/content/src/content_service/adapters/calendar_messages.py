"""The editorial calendar <-> protobuf (chorus.content.v1): one table per
enum; a unit test checks each covers every value of both sides."""

from __future__ import annotations

from chorus.content.v1 import content_service_pb2 as pb

from content_service.app.calendar import Calendar
from content_service.domain.calendar import CalendarEntry, Conflict, ConflictKind, EntryStatus

STATUS_TO_PB = {
    EntryStatus.PLANNED: pb.CALENDAR_ENTRY_STATUS_PLANNED,
    EntryStatus.SCHEDULED: pb.CALENDAR_ENTRY_STATUS_SCHEDULED,
    EntryStatus.PUBLISHED: pb.CALENDAR_ENTRY_STATUS_PUBLISHED,
}
CONFLICT_TO_PB = {
    ConflictKind.CAMPAIGNS_SHARE_A_CHANNEL: pb.CALENDAR_CONFLICT_KIND_CAMPAIGNS_SHARE_A_CHANNEL,
    ConflictKind.PLANNED_ON_A_HOLIDAY: pb.CALENDAR_CONFLICT_KIND_PLANNED_ON_A_HOLIDAY,
}


def entry_to_pb(entry: CalendarEntry) -> pb.CalendarEntry:
    message = pb.CalendarEntry(
        day=entry.day.isoformat(),
        region=entry.region,
        channel_id=entry.channel_id,
        campaign_id=entry.campaign_id,
        post_id=entry.post_id,
        title=entry.title,
        status=STATUS_TO_PB[entry.status],
    )
    if entry.shares is not None:  # unset: not known, which is not zero
        message.shares = entry.shares
    return message


def conflict_to_pb(conflict: Conflict) -> pb.CalendarConflict:
    return pb.CalendarConflict(
        kind=CONFLICT_TO_PB[conflict.kind],
        day=conflict.day.isoformat(),
        region=conflict.region,
        channel_id=conflict.channel_id,
        ids=conflict.ids,
        detail=conflict.detail,
    )


def calendar_to_pb(calendar: Calendar) -> pb.GetCalendarResponse:
    return pb.GetCalendarResponse(
        entries=[entry_to_pb(e) for e in calendar.entries],
        conflicts=[conflict_to_pb(c) for c in calendar.conflicts],
        not_available=calendar.not_available,
        note="; ".join(calendar.notes),
    )
