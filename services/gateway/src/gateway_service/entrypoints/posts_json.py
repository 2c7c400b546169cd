"""Posts as JSON: the request and response models of the posts routes and
their mapping to and from content's protobuf messages.

Request models refuse unknown fields (`extra="forbid"`): a `tenant_id`,
`author_id` or anything else not listed is a 422 naming it. Enums are
lowercase names ("in_review", "job_offer").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.prototime import from_timestamp, to_timestamp
from pydantic import BaseModel, ConfigDict, Field

Text = Field(default="", max_length=100_000)
Names: Any = Field(default_factory=list, max_length=100)
# network -> the comms team's alternative texts for it, in order (an
# employee's choice is an index). Bounded here; their number per network,
# the networks and the words are content's to check (it names
# network_variants.<network>[i]).
NetworkVariants = dict[
    str, Annotated[list[Annotated[str, Field(max_length=100_000)]], Field(max_length=100)]
]
Variants: Any = Field(default_factory=dict, max_length=20)


def variants_to_pb(variants: NetworkVariants) -> dict[str, pb.TextVariants]:
    return {network: pb.TextVariants(texts=texts) for network, texts in variants.items()}


def variants_of(variants: Mapping[str, pb.TextVariants]) -> NetworkVariants:
    return {network: list(v.texts) for network, v in variants.items()}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PostStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    ARCHIVED = "archived"
    EXPIRED = "expired"


class PostKind(StrEnum):
    BRAND_NEWS = "brand_news"
    JOB_OFFER = "job_offer"
    CURATED = "curated"
    UGC = "ugc"


# Protobuf takes an enum's value by its name.
def status_to_pb(status: PostStatus | None) -> str:
    return f"POST_STATUS_{'UNSPECIFIED' if status is None else status.name}"


def kind_to_pb(kind: PostKind | None) -> str:
    return f"POST_KIND_{'UNSPECIFIED' if kind is None else kind.name}"


def _status(value: int) -> PostStatus | None:
    name = pb.PostStatus.Name(value).removeprefix("POST_STATUS_")
    return PostStatus[name] if name in PostStatus.__members__ else None


def _kind(value: int) -> PostKind | None:
    name = pb.PostKind.Name(value).removeprefix("POST_KIND_")
    return PostKind[name] if name in PostKind.__members__ else None


class Targeting(Strict):
    countries: list[str] = Names
    departments: list[str] = Names
    segment_id: str = Field(default="", max_length=64)
    channel_ids: list[str] = Names


class PostIn(Strict):
    """A post's content (create, or the full new content of an edit)."""

    title: str = Field(min_length=1, max_length=1000)
    body: str = Text
    link: str = Field(default="", max_length=4000)
    source_language: str = Field(default="", max_length=35)
    network_texts: dict[str, str] = Field(default_factory=dict, max_length=20)
    # Against the parrot effect: each employee sharing on a network posts one
    # of its variants (spread evenly, or the one they chose).
    network_variants: NetworkVariants = Variants
    targeting: Targeting = Field(default_factory=Targeting)
    kind: PostKind | None = None
    media_ids: list[str] = Names
    hashtags: list[str] = Names
    mentions: list[str] = Names
    campaign: str = Field(default="", max_length=200)
    channels: list[str] = Names
    valid_from: datetime | None = None
    expires_at: datetime | None = None

    def fields(self) -> dict[str, Any]:
        """The protobuf fields CreatePostRequest and PostContent share."""
        fields: dict[str, Any] = {
            "title": self.title,
            "body": self.body,
            "link": self.link,
            "source_language": self.source_language,
            "network_texts": self.network_texts,
            "network_variants": variants_to_pb(self.network_variants),
            "targeting": pb.Targeting(**self.targeting.model_dump()),
            "kind": kind_to_pb(self.kind),
            "media_ids": self.media_ids,
            "hashtags": self.hashtags,
            "mentions": self.mentions,
            "campaign": self.campaign,
            "channels": self.channels,
        }
        if self.valid_from is not None:
            fields["valid_from"] = to_timestamp(self.valid_from)
        if self.expires_at is not None:
            fields["expires_at"] = to_timestamp(self.expires_at)
        return fields


class Post(BaseModel):
    post_id: str
    version: int
    status: PostStatus | None
    kind: PostKind | None
    title: str
    body: str
    link: str
    source_language: str
    network_texts: dict[str, str]
    network_variants: NetworkVariants
    targeting: Targeting
    author_id: str
    approver_id: str
    media_ids: list[str]
    hashtags: list[str]
    mentions: list[str]
    campaign: str
    channels: list[str]
    valid_from: datetime | None
    expires_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    approved_version: int
    awaiting_step: str

    @classmethod
    def of(cls, post: pb.Post) -> Post:
        t = post.targeting
        return cls(
            post_id=post.post_id,
            version=post.version,
            status=_status(post.status),
            kind=_kind(post.kind),
            title=post.title,
            body=post.body,
            link=post.link,
            source_language=post.source_language,
            network_texts=dict(post.network_texts),
            network_variants=variants_of(post.network_variants),
            targeting=Targeting(
                countries=list(t.countries),
                departments=list(t.departments),
                segment_id=t.segment_id,
                channel_ids=list(t.channel_ids),
            ),
            author_id=post.author_id,
            approver_id=post.approver_id,
            media_ids=list(post.media_ids),
            hashtags=list(post.hashtags),
            mentions=list(post.mentions),
            campaign=post.campaign,
            channels=list(post.channels),
            valid_from=from_timestamp(post.valid_from if post.HasField("valid_from") else None),
            expires_at=from_timestamp(post.expires_at if post.HasField("expires_at") else None),
            created_at=from_timestamp(post.created_at),
            updated_at=from_timestamp(post.updated_at),
            approved_version=post.approved_version,
            awaiting_step=post.awaiting_step,
        )


class Approval(Strict):
    step: str = Field(default="", max_length=100)  # empty: the step awaited
    comment: str = Field(default="", max_length=10_000)


class ChangesRequested(Strict):
    comment: str = Field(min_length=1, max_length=10_000)


class Rejection(Strict):
    reason: str = Field(min_length=1, max_length=10_000)


class CommentIn(Strict):
    text: str = Field(min_length=1, max_length=10_000)


class Comment(BaseModel):
    comment_id: str
    post_id: str
    version: int
    author_id: str
    text: str
    at: datetime | None

    @classmethod
    def of(cls, c: pb.Comment) -> Comment:
        return cls(
            comment_id=c.comment_id,
            post_id=c.post_id,
            version=c.version,
            author_id=c.author_id,
            text=c.text,
            at=from_timestamp(c.at),
        )


class AuditEntry(BaseModel):
    post_id: str
    version: int
    actor_id: str
    from_status: str
    to_status: str
    reason: str
    step: str
    at: datetime | None

    @classmethod
    def of(cls, e: pb.AuditEntry) -> AuditEntry:
        return cls(
            post_id=e.post_id,
            version=e.version,
            actor_id=e.actor_id,
            from_status=e.from_status,
            to_status=e.to_status,
            reason=e.reason,
            step=e.step,
            at=from_timestamp(e.at),
        )


T = TypeVar("T")


class Items(BaseModel, Generic[T]):
    items: list[T]
