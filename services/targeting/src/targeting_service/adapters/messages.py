"""Domain <-> protobuf mapping (the wire format of both gRPC and events)."""

from __future__ import annotations

from collections.abc import Sequence

from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus_core.prototime import optional_timestamp

from targeting_service.domain.account_links import LinkedAccount
from targeting_service.domain.audience import AudienceCounts, AudiencePreview, Delivery, Member
from targeting_service.domain.channels import Channel, SavedSegment
from targeting_service.domain.employees import Employee, SocialAccount


def account_link_to_pb(linked: LinkedAccount) -> pb.AccountLink:
    e = linked.employee
    return pb.AccountLink(
        tenant_id=e.tenant_id,
        subject=linked.link.subject,
        employee_id=e.employee_id,
        home_region=e.home_region,
        country=e.country,
        department=e.department,
        language=e.language,
        linked_at=optional_timestamp(linked.link.linked_at),
    )


def employee_to_pb(
    e: Employee, groups: Sequence[str] = (), accounts: Sequence[SocialAccount] = ()
) -> pb.Employee:
    return pb.Employee(
        title=e.title,
        manager=e.manager,
        employment_status=e.employment_status,
        hire_date=e.hire_date.isoformat() if e.hire_date else "",
        consent=e.consent,
        opt_in_source=e.opt_in_source,
        sharing_networks=list(e.sharing_networks),
        max_shares_per_day=e.max_shares_per_day,
        sharing_hours=e.sharing_hours,
        subdivision=e.subdivision,
        groups=list(groups),
        social_accounts=[
            pb.SocialAccount(network=a.network, handle=a.handle, followers=a.followers)
            for a in accounts
        ],
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
        opted_in_at=optional_timestamp(e.opted_in_at),
    )


def member_to_pb(m: Member) -> events.AudienceMember:
    return events.AudienceMember(
        employee_id=m.employee_id,
        language=m.language,
        timezone=m.timezone,
        country=m.country,
        auto_share=m.auto_share,
        sharing_hours=m.sharing_hours,
        max_shares_per_day=m.max_shares_per_day,
        home_region=m.home_region,
        subdivision=m.subdivision,
    )


def batch_event(
    tenant_id: str,
    post_id: str,
    version: int,
    index: int,
    count: int,
    members: list[Member],
    delivery: Delivery,
) -> events.AudienceBatchResolved:
    return events.AudienceBatchResolved(
        tenant_id=tenant_id,
        post_id=post_id,
        post_version=version,
        batch_index=index,
        batch_count=count,
        members=[member_to_pb(m) for m in members],
        valid_from=optional_timestamp(delivery.valid_from),
        expires_at=optional_timestamp(delivery.expires_at),
        campaign_id=delivery.campaign_id,
    )


def summary_event(
    tenant_id: str,
    post_id: str,
    version: int,
    source_language: str,
    counts: AudienceCounts,
    segment_id: str = "",
    segment_version: int = 0,
) -> events.AudienceSummary:
    return events.AudienceSummary(
        tenant_id=tenant_id,
        post_id=post_id,
        post_version=version,
        source_language=source_language,
        total=counts.total,
        by_language=counts.by_language,
        by_country=counts.by_country,
        segment_id=segment_id,
        segment_version=segment_version,
    )


def preview_to_pb(p: AudiencePreview) -> pb.PreviewAudienceResponse:
    return pb.PreviewAudienceResponse(
        count=p.total,
        by_country=p.by_country,
        by_language=p.by_language,
        by_timezone=p.by_timezone,
        by_network=p.by_network,
    )


def segment_to_pb(s: SavedSegment) -> pb.Segment:
    return pb.Segment(
        segment_id=s.segment_id,
        version=s.version,
        name=s.name,
        rule=s.rule,
        created_at=optional_timestamp(s.created_at),
    )


def channel_to_pb(c: Channel) -> pb.Channel:
    return pb.Channel(
        channel_id=c.channel_id,
        name=c.name,
        description=c.description,
        regions=list(c.regions),
        mandatory=c.mandatory,
        manager_ids=list(c.managers),
        subscribers=c.subscribers,
    )
