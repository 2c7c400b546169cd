"""What content announces on its posts topic, as the use cases say it: plain
records, one per event type. The adapter behind the PostEvents port writes
each as its protobuf message (chorus.content.v1) into the outbox, keyed by
the post id, in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from content_service.domain.campaigns import Campaign, Delivery
from content_service.domain.charter import Violation
from content_service.domain.posts import Post


@dataclass(frozen=True)
class _OfPost:
    post: Post  # as it is after the change

    @property
    def tenant_id(self) -> str:
        return self.post.tenant_id

    @property
    def post_id(self) -> str:
        return self.post.post_id


@dataclass(frozen=True)
class PostCreated(_OfPost):
    pass


@dataclass(frozen=True)
class PostUpdated(_OfPost):
    pass


@dataclass(frozen=True)
class PostSubmitted(_OfPost):
    pass


@dataclass(frozen=True)
class PostApproved(_OfPost):
    chain: tuple[str, ...]  # the tenant's approval chain for the post's kind
    # A campaign's post: the targeting its campaign gives it now (None: the
    # post's own).
    delivery: Delivery | None = None


@dataclass(frozen=True)
class CampaignAudienceChanged:
    """The campaign's phase changed its audience: its approved posts (their
    pinned versions), to be resolved again with `delivery`."""

    campaign: Campaign
    posts: tuple[Post, ...]
    at: datetime

    @property
    def tenant_id(self) -> str:
        return self.campaign.tenant_id

    @property
    def post_id(self) -> str:
        # The outbox key: every change of one campaign on one partition.
        return self.campaign.campaign_id


@dataclass(frozen=True)
class PostStepApproved(_OfPost):
    step: str
    next_step: str


@dataclass(frozen=True)
class PostChangesRequested(_OfPost):
    comment: str


@dataclass(frozen=True)
class PostRejected(_OfPost):
    reason: str


@dataclass(frozen=True)
class PostArchived(_OfPost):
    pass


@dataclass(frozen=True)
class PostExpired(_OfPost):
    at: datetime


@dataclass(frozen=True)
class UgcProposed(_OfPost):
    language: str  # detected, "und" when unsure
    at: datetime


@dataclass(frozen=True)
class UgcModerated(_OfPost):
    approved: bool
    reason: str
    at: datetime


@dataclass(frozen=True)
class TranslationCleared:
    tenant_id: str
    post_id: str
    version: int
    language: str
    text_digest: str
    at: datetime


@dataclass(frozen=True)
class TranslationHeld:
    tenant_id: str
    post_id: str
    version: int
    language: str
    violations: tuple[Violation, ...]  # the blocking ones
    text_digest: str
    at: datetime


PostEvent = (
    PostCreated
    | PostUpdated
    | PostSubmitted
    | PostApproved
    | PostStepApproved
    | PostChangesRequested
    | PostRejected
    | PostArchived
    | PostExpired
    | UgcProposed
    | UgcModerated
    | TranslationCleared
    | TranslationHeld
    | CampaignAudienceChanged
)
