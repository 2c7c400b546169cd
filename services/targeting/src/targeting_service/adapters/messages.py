"""Domain <-> protobuf mapping (the wire format of both gRPC and events)."""

from __future__ import annotations

from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus.targeting.v1 import targeting_service_pb2 as pb

from targeting_service.domain.audience import AudienceCounts, Member
from targeting_service.domain.employees import Employee


def employee_to_pb(e: Employee) -> pb.Employee:
    return pb.Employee(
        employee_id=e.employee_id,
        tenant_id=e.tenant_id,
        external_id=e.external_id,
        email=e.email,
        display_name=e.display_name,
        country=e.country,
        language=e.language,
        timezone=e.timezone,
        department=e.department,
        active=e.active,
        opted_in=e.opted_in,
        auto_share=e.auto_share,
        home_region=e.home_region,
    )


def member_to_pb(m: Member) -> events.AudienceMember:
    return events.AudienceMember(
        employee_id=m.employee_id,
        language=m.language,
        timezone=m.timezone,
        country=m.country,
        auto_share=m.auto_share,
    )


def batch_event(
    tenant_id: str, post_id: str, version: int, index: int, count: int, members: list[Member]
) -> events.AudienceBatchResolved:
    return events.AudienceBatchResolved(
        tenant_id=tenant_id,
        post_id=post_id,
        post_version=version,
        batch_index=index,
        batch_count=count,
        members=[member_to_pb(m) for m in members],
    )


def summary_event(
    tenant_id: str, post_id: str, version: int, source_language: str, counts: AudienceCounts
) -> events.AudienceSummary:
    return events.AudienceSummary(
        tenant_id=tenant_id,
        post_id=post_id,
        post_version=version,
        source_language=source_language,
        total=counts.total,
        by_language=counts.by_language,
        by_country=counts.by_country,
    )
