"""Posts and their approval rules. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum

from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.validation import country_code, language_code, require

NETWORKS = ("bluesky", "linkedin", "x", "facebook", "instagram", "mastodon")


class PostStatus(str, Enum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"


@dataclass(frozen=True)
class Targeting:
    countries: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()


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
    history: tuple[str, ...] = field(default=())

    def submit(self, actor_id: str, now: datetime) -> Post:
        if self.status is not PostStatus.DRAFT:
            raise FailedPrecondition(f"post is {self.status.value}; only a draft can be submitted")
        require("actor_id", actor_id)
        return replace(self, status=PostStatus.IN_REVIEW, updated_at=now)

    def approve(self, approver_id: str, now: datetime) -> Post:
        require("approver_id", approver_id)
        if self.status is not PostStatus.IN_REVIEW:
            raise FailedPrecondition(f"post is {self.status.value}; only a post in review can be approved")
        if approver_id == self.author_id:
            # Four eyes: whoever wrote it cannot be the one who lets it out.
            raise FailedPrecondition("the author cannot approve their own post (four-eyes rule)")
        return replace(self, status=PostStatus.APPROVED, approver_id=approver_id, updated_at=now)


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
            raise InvalidArgument(f"network_texts.{network}", f"unknown network; known: {', '.join(NETWORKS)}")
    for country in targeting.countries:
        country_code("targeting.countries", country)
