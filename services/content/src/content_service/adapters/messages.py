"""Domain <-> protobuf mapping (the wire format of both gRPC and events)."""

from __future__ import annotations

from datetime import datetime

from chorus.content.v1 import content_service_pb2 as pb
from google.protobuf.timestamp_pb2 import Timestamp

from content_service.domain.charter import Charter, Severity, Violation
from content_service.domain.posts import Post, PostStatus, Targeting

STATUS_TO_PB = {
    PostStatus.DRAFT: pb.POST_STATUS_DRAFT,
    PostStatus.IN_REVIEW: pb.POST_STATUS_IN_REVIEW,
    PostStatus.APPROVED: pb.POST_STATUS_APPROVED,
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}


def timestamp(value: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def post_to_pb(post: Post) -> pb.Post:
    return pb.Post(
        post_id=post.post_id,
        tenant_id=post.tenant_id,
        version=post.version,
        title=post.title,
        body=post.body,
        link=post.link,
        source_language=post.source_language,
        network_texts=post.network_texts,
        targeting=pb.Targeting(countries=post.targeting.countries, departments=post.targeting.departments),
        status=STATUS_TO_PB[post.status],
        author_id=post.author_id,
        approver_id=post.approver_id,
        created_at=timestamp(post.created_at),
        updated_at=timestamp(post.updated_at),
    )


def targeting_from_pb(targeting: pb.Targeting) -> Targeting:
    return Targeting(
        countries=tuple(c.strip().upper() for c in targeting.countries),
        departments=tuple(d.strip() for d in targeting.departments),
    )


def violation_to_pb(v: Violation) -> pb.Violation:
    return pb.Violation(
        rule_id=v.rule_id,
        severity=pb.SEVERITY_BLOCK if v.severity is Severity.BLOCK else pb.SEVERITY_WARN,
        message=v.message,
        field=v.field,
        start=v.start,
        end=v.end,
        suggestion=v.suggestion,
    )


def charter_to_pb(charter: Charter) -> pb.Charter:
    return pb.Charter(
        blocked_phrases=charter.blocked_phrases, max_length=charter.max_length, version=charter.version
    )
