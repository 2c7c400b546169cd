"""Targeting's objects as JSON: directory entries, channels, segments,
import reports and audience previews, mapped from targeting's protobuf
messages (request models live with their routes)."""

from __future__ import annotations

from datetime import datetime

from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus_core.prototime import from_timestamp
from pydantic import BaseModel


class SocialAccount(BaseModel):
    network: str
    handle: str
    followers: int


class Employee(BaseModel):
    employee_id: str
    external_id: str
    email: str
    display_name: str
    country: str
    language: str
    timezone: str
    department: str
    active: bool
    opted_in: bool
    consent: bool
    auto_share: bool
    home_region: str
    title: str
    manager: str
    employment_status: str
    hire_date: str
    opt_in_source: str
    sharing_networks: list[str]
    max_shares_per_day: int
    sharing_hours: str
    subdivision: str
    groups: list[str]
    social_accounts: list[SocialAccount]
    opted_in_at: datetime | None

    @classmethod
    def of(cls, e: pb.Employee) -> Employee:
        return cls(
            employee_id=e.employee_id,
            external_id=e.external_id,
            email=e.email,
            display_name=e.display_name,
            country=e.country,
            language=e.language,
            timezone=e.timezone,
            department=e.department,
            active=e.active,
            opted_in=e.opted_in,
            consent=e.consent,
            auto_share=e.auto_share,
            home_region=e.home_region,
            title=e.title,
            manager=e.manager,
            employment_status=e.employment_status,
            hire_date=e.hire_date,
            opt_in_source=e.opt_in_source,
            sharing_networks=list(e.sharing_networks),
            max_shares_per_day=e.max_shares_per_day,
            sharing_hours=e.sharing_hours,
            subdivision=e.subdivision,
            groups=list(e.groups),
            social_accounts=[
                SocialAccount(network=a.network, handle=a.handle, followers=a.followers)
                for a in e.social_accounts
            ],
            opted_in_at=from_timestamp(e.opted_in_at if e.HasField("opted_in_at") else None),
        )


class Channel(BaseModel):
    channel_id: str
    name: str
    description: str
    regions: list[str]
    mandatory: bool
    manager_ids: list[str]
    subscribers: int

    @classmethod
    def of(cls, c: pb.Channel) -> Channel:
        return cls(
            channel_id=c.channel_id,
            name=c.name,
            description=c.description,
            regions=list(c.regions),
            mandatory=c.mandatory,
            manager_ids=list(c.manager_ids),
            subscribers=c.subscribers,
        )


class Segment(BaseModel):
    segment_id: str
    version: int
    name: str
    rule: str
    created_at: datetime | None

    @classmethod
    def of(cls, s: pb.Segment) -> Segment:
        return cls(
            segment_id=s.segment_id,
            version=s.version,
            name=s.name,
            rule=s.rule,
            created_at=from_timestamp(s.created_at),
        )


class RowError(BaseModel):
    line: int
    reason: str


class DirectoryChange(BaseModel):
    external_id: str
    kind: str
    fields: list[str]


class ImportReport(BaseModel):
    created: int
    updated: int
    deactivated: int
    errors: list[RowError]
    changes: list[DirectoryChange]  # dry run only

    @classmethod
    def of(cls, r: pb.ImportDirectoryResponse) -> ImportReport:
        return cls(
            created=r.created,
            updated=r.updated,
            deactivated=r.deactivated,
            errors=[RowError(line=e.line, reason=e.reason) for e in r.errors],
            changes=[
                DirectoryChange(external_id=c.external_id, kind=c.kind, fields=list(c.fields))
                for c in r.changes
            ],
        )


class AudiencePreview(BaseModel):
    count: int
    by_country: dict[str, int]
    by_language: dict[str, int]
    by_timezone: dict[str, int]
    by_network: dict[str, int]

    @classmethod
    def of(cls, p: pb.PreviewAudienceResponse) -> AudiencePreview:
        return cls(
            count=p.count,
            by_country=dict(p.by_country),
            by_language=dict(p.by_language),
            by_timezone=dict(p.by_timezone),
            by_network=dict(p.by_network),
        )
