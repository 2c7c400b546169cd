"""Posts and their rows: the mapping both ways (head, versions, audit entries,
comments), shared by the repository and the search."""

from __future__ import annotations

from dataclasses import replace

from chorus_core.clock import as_utc

from content_service.adapters.codec import content_from_doc
from content_service.adapters.tables import ApprovalAuditRow, CommentRow, PostRow, PostVersionRow
from content_service.app.records import AuditEntry, Comment
from content_service.domain.posts import Post, PostKind, PostStatus, Targeting, new_post
from content_service.domain.search import search_text


def post_from_row(row: PostRow) -> Post:
    return Post(
        post_id=row.post_id,
        tenant_id=row.tenant_id,
        version=row.version,
        title=row.title,
        body=row.body,
        link=row.link,
        source_language=row.source_language,
        network_texts=dict(row.network_texts),
        targeting=Targeting(
            tuple(row.countries),
            tuple(row.departments),
            row.segment_id or "",
            tuple(row.channel_ids or ()),
        ),
        status=PostStatus(row.status),
        author_id=row.author_id,
        approver_id=row.approver_id,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        kind=PostKind(row.kind or "brand_news"),
        media_ids=tuple(row.media_ids or ()),
        hashtags=tuple(row.hashtags or ()),
        mentions=tuple(row.mentions or ()),
        campaign=row.campaign or "",
        channels=tuple(row.channels or ()),
        valid_from=as_utc(row.valid_from) if row.valid_from else None,
        expires_at=as_utc(row.expires_at) if row.expires_at else None,
        approved_version=row.approved_version or 0,
        review_step=row.review_step or 0,
        review_approvers=tuple(row.review_approvers or ()),
        campaign_id=row.campaign_id or "",
        network_variants={n: tuple(v) for n, v in (row.network_variants or {}).items()},
    )


def fill_row(row: PostRow, post: Post) -> None:
    row.version = post.version
    row.title = post.title
    row.body = post.body
    row.link = post.link
    row.source_language = post.source_language
    row.network_texts = dict(post.network_texts)
    row.countries = list(post.targeting.countries)
    row.departments = list(post.targeting.departments)
    row.segment_id = post.targeting.segment_id
    row.channel_ids = list(post.targeting.channel_ids)
    row.status = post.status.value
    row.author_id = post.author_id
    row.approver_id = post.approver_id
    row.updated_at = post.updated_at
    row.kind = post.kind.value
    row.media_ids = list(post.media_ids)
    row.hashtags = list(post.hashtags)
    row.mentions = list(post.mentions)
    row.campaign = post.campaign
    row.channels = list(post.channels)
    row.valid_from = post.valid_from
    row.expires_at = post.expires_at
    row.approved_version = post.approved_version
    row.review_step = post.review_step
    row.review_approvers = list(post.review_approvers)
    row.campaign_id = post.campaign_id or None
    row.network_variants = {n: list(v) for n, v in post.network_variants.items()}
    row.search_text = search_text(post)


def audit_entry_from_row(row: ApprovalAuditRow) -> AuditEntry:
    return AuditEntry(
        tenant_id=row.tenant_id,
        post_id=row.post_id,
        version=row.version,
        actor_id=row.actor_id,
        from_status=row.from_status,
        to_status=row.to_status,
        at=as_utc(row.at),
        reason=row.reason or "",
        step=row.step or "",
    )


def comment_from_row(row: CommentRow) -> Comment:
    return Comment(
        comment_id=row.comment_id,
        tenant_id=row.tenant_id,
        post_id=row.post_id,
        version=row.version,
        author_id=row.author_id,
        text=row.text,
        at=as_utc(row.at),
    )


def at_version(head: Post, row: PostVersionRow) -> Post:
    """The post as it was at that version (status and review state are the head's)."""
    past = new_post(
        head.post_id,
        head.tenant_id,
        head.author_id,
        content_from_doc(row.content),
        head.created_at,
        head.status,
    )
    return replace(
        past,
        version=row.version,
        updated_at=as_utc(row.created_at),
        approver_id=head.approver_id,
        approved_version=head.approved_version,
        campaign_id=head.campaign_id,
    )
