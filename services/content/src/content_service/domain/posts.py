"""Posts, their versions and the approval workflow. Pure: no I/O.

draft -> in review -> approved | changes requested | rejected -> archived / expired.
Every edit makes a new version; approval pins the version it approved;
editing an approved post sends it back for review (the pinned version stays
what employees share until a newer one is approved).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import TypedDict

from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.validation import chorus_id, country_code, language_code, require

NETWORKS = ("bluesky", "linkedin", "x", "facebook", "instagram", "mastodon")
DEFAULT_CHAIN = ("review",)
# Text variants per network (against the parrot effect): enough to spread a
# campaign's wording; more is a list nobody reviews one by one.
MAX_VARIANTS = 10

# network -> the comms team's alternative texts for it, in order.
Variants = dict[str, tuple[str, ...]]


def variant_field(network: str, index: int) -> str:
    """The field name of one variant, in errors and charter violations."""
    return f"network_variants.{network}[{index}]"


class PostStatus(str, Enum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    ARCHIVED = "archived"
    EXPIRED = "expired"


class PostKind(str, Enum):
    BRAND_NEWS = "brand_news"
    JOB_OFFER = "job_offer"  # employer brand
    CURATED = "curated"  # industry news from a subscribed feed
    UGC = "ugc"  # proposed by an employee


EDITABLE = {
    PostStatus.DRAFT,
    PostStatus.IN_REVIEW,
    PostStatus.APPROVED,
    PostStatus.CHANGES_REQUESTED,
}
ARCHIVABLE = {
    PostStatus.DRAFT,
    PostStatus.APPROVED,
    PostStatus.CHANGES_REQUESTED,
    PostStatus.REJECTED,
    PostStatus.EXPIRED,
}


@dataclass(frozen=True)
class Targeting:
    """Who receives the post. countries and departments restrict; segment_id
    and channel_ids name targeting's saved segment and channels by id (what
    targeting resolves; a name or label there would reach nobody)."""

    countries: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    segment_id: str = ""  # empty = no segment
    channel_ids: tuple[str, ...] = ()  # empty = no channel restriction


@dataclass(frozen=True)
class PostContent:
    """What an edit changes (and what a version records)."""

    title: str
    body: str
    link: str = ""
    source_language: str = "en"
    network_texts: dict[str, str] = field(default_factory=dict)
    targeting: Targeting = Targeting()
    kind: PostKind = PostKind.BRAND_NEWS
    media_ids: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    campaign: str = ""
    channels: tuple[str, ...] = ()
    valid_from: datetime | None = None
    expires_at: datetime | None = None
    # Each employee sharing on the network posts one of them (scheduling
    # spreads them, or the employee picks); none: network_texts / body.
    network_variants: Variants = field(default_factory=dict)


@dataclass(frozen=True)
class Post:
    post_id: str
    tenant_id: str
    version: int
    title: str
    body: str
    link: str
    source_language: str
    network_texts: dict[str, str]
    targeting: Targeting
    status: PostStatus
    author_id: str
    approver_id: str
    created_at: datetime
    updated_at: datetime
    kind: PostKind = PostKind.BRAND_NEWS
    media_ids: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    campaign: str = ""
    channels: tuple[str, ...] = ()
    valid_from: datetime | None = None
    expires_at: datetime | None = None
    approved_version: int = 0  # the pinned version; 0 = never approved
    review_step: int = 0  # index in the approval chain of the step awaited
    review_approvers: tuple[str, ...] = ()  # who approved the earlier steps of this round
    campaign_id: str = ""  # the campaign it belongs to; not content: no version of its own
    network_variants: Variants = field(default_factory=dict)

    @property
    def content(self) -> PostContent:
        return PostContent(
            title=self.title,
            body=self.body,
            link=self.link,
            source_language=self.source_language,
            network_texts=dict(self.network_texts),
            targeting=self.targeting,
            kind=self.kind,
            media_ids=self.media_ids,
            hashtags=self.hashtags,
            mentions=self.mentions,
            campaign=self.campaign,
            channels=self.channels,
            valid_from=self.valid_from,
            expires_at=self.expires_at,
            network_variants=dict(self.network_variants),
        )

    def _in(self, allowed: set[PostStatus], action: str) -> None:
        if self.status not in allowed:
            names = " or ".join(sorted(s.value for s in allowed))
            raise FailedPrecondition(
                f"post is {self.status.value}; {action} needs a post that is {names}"
            )

    def edit(self, content: PostContent, now: datetime) -> Post:
        self._in(EDITABLE, "editing")
        # An edit of a post under review (or live) restarts its review: the
        # approvals given were for the text as it was.
        status = (
            PostStatus.IN_REVIEW
            if self.status in (PostStatus.IN_REVIEW, PostStatus.APPROVED)
            else self.status
        )
        return replace(
            self,
            **_fields(content),
            version=self.version + 1,
            status=status,
            review_step=0,
            review_approvers=(),
            updated_at=now,
        )

    def submit(self, actor_id: str, now: datetime) -> Post:
        require("actor_id", actor_id)
        self._in({PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED}, "submitting")
        return replace(
            self, status=PostStatus.IN_REVIEW, review_step=0, review_approvers=(), updated_at=now
        )

    def approve(
        self, approver_id: str, now: datetime, step: str = "", chain: tuple[str, ...] = ()
    ) -> Post:
        """One step of the chain; the last step approves and pins the version."""
        require("approver_id", approver_id)
        self._in({PostStatus.IN_REVIEW}, "approval")
        if approver_id == self.author_id:
            # Four eyes: whoever wrote it cannot be the one who lets it out.
            raise FailedPrecondition("the author cannot approve their own post (four-eyes rule)")
        chain = chain or DEFAULT_CHAIN
        awaited = chain[min(self.review_step, len(chain) - 1)]
        if step and step != awaited:
            raise FailedPrecondition(f"post is in_review awaiting step {awaited!r}, not {step!r}")
        if approver_id in self.review_approvers:
            raise FailedPrecondition(
                f"post is in_review at step {awaited!r}; each step needs a different approver"
            )
        approvers = (*self.review_approvers, approver_id)
        if self.review_step + 1 < len(chain):
            return replace(
                self, review_step=self.review_step + 1, review_approvers=approvers, updated_at=now
            )
        return replace(
            self,
            status=PostStatus.APPROVED,
            approver_id=approver_id,
            approved_version=self.version,
            review_step=len(chain),
            review_approvers=approvers,
            updated_at=now,
        )

    def request_changes(self, reviewer_id: str, comment: str, now: datetime) -> Post:
        require("reviewer_id", reviewer_id)
        require("comment", comment)
        self._in({PostStatus.IN_REVIEW}, "requesting changes")
        return replace(
            self,
            status=PostStatus.CHANGES_REQUESTED,
            review_step=0,
            review_approvers=(),
            updated_at=now,
        )

    def reject(self, reviewer_id: str, reason: str, now: datetime) -> Post:
        require("reviewer_id", reviewer_id)
        require("reason", reason)
        self._in({PostStatus.IN_REVIEW}, "rejection")
        return replace(self, status=PostStatus.REJECTED, updated_at=now)

    def archive(self, actor_id: str, now: datetime) -> Post:
        require("actor_id", actor_id)
        self._in(ARCHIVABLE, "archiving")
        return replace(self, status=PostStatus.ARCHIVED, updated_at=now)

    def expire(self, now: datetime) -> Post:
        self._in({PostStatus.APPROVED, PostStatus.IN_REVIEW}, "expiry")
        return replace(self, status=PostStatus.EXPIRED, updated_at=now)

    def is_expired_at(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


class _ContentFields(TypedDict):
    """What a post copies from its content (typed, so replace(**...) is checked)."""

    title: str
    body: str
    link: str
    source_language: str
    network_texts: dict[str, str]
    targeting: Targeting
    kind: PostKind
    media_ids: tuple[str, ...]
    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]
    campaign: str
    channels: tuple[str, ...]
    valid_from: datetime | None
    expires_at: datetime | None
    network_variants: Variants


def _fields(content: PostContent) -> _ContentFields:
    return {
        "title": content.title.strip(),
        "body": content.body,
        "link": content.link,
        "source_language": content.source_language,
        "network_texts": dict(content.network_texts),
        "targeting": content.targeting,
        "kind": content.kind,
        "media_ids": content.media_ids,
        "hashtags": content.hashtags,
        "mentions": content.mentions,
        "campaign": content.campaign,
        "channels": content.channels,
        "valid_from": content.valid_from,
        "expires_at": content.expires_at,
        "network_variants": {n: tuple(v) for n, v in content.network_variants.items() if v},
    }


def new_post(
    post_id: str,
    tenant_id: str,
    author_id: str,
    content: PostContent,
    now: datetime,
    status: PostStatus = PostStatus.DRAFT,
) -> Post:
    return Post(
        post_id=post_id,
        tenant_id=tenant_id,
        version=1,
        status=status,
        author_id=author_id,
        approver_id="",
        created_at=now,
        updated_at=now,
        **_fields(content),
    )


def validate_content(content: PostContent, author_id: str) -> None:
    validate_new_post(
        title=content.title,
        body=content.body,
        link=content.link,
        source_language=content.source_language,
        network_texts=content.network_texts,
        targeting=content.targeting,
        author_id=author_id,
    )
    for i, tag in enumerate(content.hashtags):
        if not tag.lstrip("#").replace("_", "").isalnum():
            raise InvalidArgument(f"hashtags[{i}]", f"{tag!r} is not a hashtag")
    if content.valid_from and content.expires_at and content.expires_at <= content.valid_from:
        raise InvalidArgument("expires_at", "must be after valid_from")
    validate_variants(content.network_variants)


def validate_variants(variants: Variants) -> None:
    """Their shape; what they say is the charter's (app/charters.py checks
    each one against it and the network's length when the post is saved)."""
    for network, texts in variants.items():
        if network not in NETWORKS:
            raise InvalidArgument(
                f"network_variants.{network}", f"unknown network; known: {', '.join(NETWORKS)}"
            )
        if len(texts) > MAX_VARIANTS:
            raise InvalidArgument(
                f"network_variants.{network}", f"at most {MAX_VARIANTS} variants per network"
            )
        for i, text in enumerate(texts):
            if not text.strip():
                raise InvalidArgument(variant_field(network, i), "must not be empty")


def validate_new_post(
    *,
    title: str,
    body: str,
    link: str,
    source_language: str,
    network_texts: dict[str, str],
    targeting: Targeting,
    author_id: str,
) -> None:
    require("title", title)
    require("body", body)
    require("author_id", author_id)
    language_code("source_language", source_language)
    if link and not link.startswith(("https://", "http://")):
        raise InvalidArgument("link", f"{link!r} is not an http(s) URL")
    for network in network_texts:
        if network not in NETWORKS:
            raise InvalidArgument(
                f"network_texts.{network}", f"unknown network; known: {', '.join(NETWORKS)}"
            )
    for country in targeting.countries:
        country_code("targeting.countries", country)
    if targeting.segment_id:
        chorus_id("targeting.segment_id", targeting.segment_id)
    for i, channel_id in enumerate(targeting.channel_ids):
        chorus_id(f"targeting.channel_ids[{i}]", channel_id)
