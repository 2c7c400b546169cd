"""Domain <-> protobuf mapping (the wire format of both gRPC and events)."""

from __future__ import annotations

from collections.abc import Mapping

from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.prototime import from_timestamp, optional_timestamp, to_timestamp

from content_service.domain.campaigns import Delivery
from content_service.domain.charter import Charter, Severity, Violation
from content_service.domain.matcher import Term
from content_service.domain.patterns import PatternRule
from content_service.domain.posts import (
    DEFAULT_CHAIN,
    Post,
    PostContent,
    PostKind,
    PostStatus,
    Targeting,
    Variants,
)

STATUS_TO_PB = {
    PostStatus.DRAFT: pb.POST_STATUS_DRAFT,
    PostStatus.IN_REVIEW: pb.POST_STATUS_IN_REVIEW,
    PostStatus.APPROVED: pb.POST_STATUS_APPROVED,
    PostStatus.CHANGES_REQUESTED: pb.POST_STATUS_CHANGES_REQUESTED,
    PostStatus.REJECTED: pb.POST_STATUS_REJECTED,
    PostStatus.ARCHIVED: pb.POST_STATUS_ARCHIVED,
    PostStatus.EXPIRED: pb.POST_STATUS_EXPIRED,
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}
KIND_TO_PB = {
    PostKind.BRAND_NEWS: pb.POST_KIND_BRAND_NEWS,
    PostKind.JOB_OFFER: pb.POST_KIND_JOB_OFFER,
    PostKind.CURATED: pb.POST_KIND_CURATED,
    PostKind.UGC: pb.POST_KIND_UGC,
}
KIND_FROM_PB = {v: k for k, v in KIND_TO_PB.items()}
SEVERITY_FROM_PB = {
    pb.SEVERITY_UNSPECIFIED: "block",
    pb.SEVERITY_BLOCK: "block",
    pb.SEVERITY_WARN: "warn",
}
SEVERITY_TO_PB = {"block": pb.SEVERITY_BLOCK, "warn": pb.SEVERITY_WARN}


def post_to_pb(post: Post, chain: tuple[str, ...] = ()) -> pb.Post:
    steps = chain or DEFAULT_CHAIN
    awaiting = (
        steps[post.review_step]
        if post.status is PostStatus.IN_REVIEW and post.review_step < len(steps)
        else ""
    )
    return pb.Post(
        post_id=post.post_id,
        tenant_id=post.tenant_id,
        version=post.version,
        title=post.title,
        body=post.body,
        link=post.link,
        source_language=post.source_language,
        network_texts=post.network_texts,
        targeting=targeting_to_pb(post.targeting),
        status=STATUS_TO_PB[post.status],
        author_id=post.author_id,
        approver_id=post.approver_id,
        created_at=to_timestamp(post.created_at),
        updated_at=to_timestamp(post.updated_at),
        kind=KIND_TO_PB[post.kind],
        media_ids=post.media_ids,
        hashtags=post.hashtags,
        mentions=post.mentions,
        campaign=post.campaign,
        channels=post.channels,
        valid_from=optional_timestamp(post.valid_from),
        expires_at=optional_timestamp(post.expires_at),
        approved_version=post.approved_version,
        awaiting_step=awaiting,
        campaign_id=post.campaign_id,
        network_variants=variants_to_pb(post.network_variants),
    )


def variants_to_pb(variants: Variants) -> dict[str, pb.TextVariants]:
    return {n: pb.TextVariants(texts=list(texts)) for n, texts in variants.items()}


def variants_from_pb(m: Mapping[str, pb.TextVariants]) -> Variants:
    return {n: tuple(v.texts) for n, v in m.items()}


def delivered_post_to_pb(
    post: Post, delivery: Delivery | None, chain: tuple[str, ...] = ()
) -> pb.Post:
    """The post as delivered: a campaign's post with the targeting its
    campaign gives it now (segment, channels, regions, held); the post's
    own countries and departments still narrow it."""
    message = post_to_pb(post, chain)
    if delivery is not None:
        targeting = message.targeting
        targeting.segment_id = delivery.segment_id
        del targeting.channel_ids[:]
        targeting.channel_ids.extend(delivery.channel_ids)
        targeting.regions.extend(delivery.regions)
        targeting.held = delivery.held
    return message


def targeting_to_pb(targeting: Targeting) -> pb.Targeting:
    return pb.Targeting(
        countries=targeting.countries,
        departments=targeting.departments,
        segment_id=targeting.segment_id,
        channel_ids=targeting.channel_ids,
    )


def targeting_from_pb(targeting: pb.Targeting) -> Targeting:
    return Targeting(
        countries=tuple(c.strip().upper() for c in targeting.countries),
        departments=tuple(d.strip() for d in targeting.departments),
        segment_id=targeting.segment_id.strip(),
        # Naming a channel twice is naming it once.
        channel_ids=tuple(dict.fromkeys(c.strip() for c in targeting.channel_ids)),
    )


def content_from_pb(m: pb.CreatePostRequest | pb.PostContent) -> PostContent:
    """CreatePostRequest and PostContent share their field names."""
    return PostContent(
        title=m.title,
        body=m.body,
        link=m.link,
        source_language=m.source_language,
        network_texts=dict(m.network_texts),
        targeting=targeting_from_pb(m.targeting),
        kind=KIND_FROM_PB.get(m.kind, PostKind.BRAND_NEWS),
        media_ids=tuple(m.media_ids),
        hashtags=tuple(h.strip() for h in m.hashtags),
        mentions=tuple(x.strip() for x in m.mentions),
        campaign=m.campaign.strip(),
        channels=tuple(c.strip() for c in m.channels),
        valid_from=from_timestamp(m.valid_from),
        expires_at=from_timestamp(m.expires_at),
        network_variants=variants_from_pb(m.network_variants),
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
        blocked_phrases=charter.blocked_phrases,
        max_length=charter.max_length,
        version=charter.version,
        blocked_terms=[
            pb.BlockedTerm(
                term=t.term,
                language=t.language,
                severity=SEVERITY_TO_PB[t.severity],
                suggestion=t.suggestion,
            )
            for t in charter.blocked_terms
        ],
        patterns=[
            pb.ConfidentialPattern(
                rule_id=p.rule_id,
                pattern=p.pattern,
                severity=SEVERITY_TO_PB[p.severity],
                description=p.description,
                suggestion=p.suggestion,
            )
            for p in charter.patterns
        ],
        disclosures=charter.disclosures,
        required_hashtags=charter.required_hashtags,
        forbidden_hashtags=charter.forbidden_hashtags,
        max_hashtags=charter.max_hashtags,
        https_only=charter.https_only,
        allowed_domains=charter.allowed_domains,
        severities=charter.severities,
    )


def charter_from_pb(m: pb.Charter) -> Charter:
    return Charter(
        blocked_phrases=tuple(m.blocked_phrases),
        max_length=dict(m.max_length),
        blocked_terms=tuple(
            Term(t.term, t.language.strip(), SEVERITY_FROM_PB[t.severity], t.suggestion)
            for t in m.blocked_terms
        ),
        patterns=tuple(
            PatternRule(
                p.rule_id.strip(),
                p.pattern,
                SEVERITY_FROM_PB[p.severity],
                p.description,
                p.suggestion,
            )
            for p in m.patterns
        ),
        disclosures=dict(m.disclosures),
        required_hashtags=tuple(m.required_hashtags),
        forbidden_hashtags=tuple(m.forbidden_hashtags),
        max_hashtags=m.max_hashtags,
        https_only=m.https_only,
        allowed_domains=tuple(m.allowed_domains),
        severities=dict(m.severities),
    )
