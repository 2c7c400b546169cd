"""A campaign's actuals: its posts' shares, clicks and active ambassadors in
a period, in total, per country and per post. Pure: no I/O.

Metrics does not own campaigns (content does): a campaign reaches this
service as the list of its posts and a period. The aggregates are computed
by the database (GROUP BY), and arrive here as CampaignRows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from chorus_core.clock import as_utc
from chorus_core.errors import InvalidArgument

MAX_POSTS = 500
MAX_POST_ID_LENGTH = 100  # the stores' post_id column
# The campaign KPIs (content's domain.campaigns.Kpi) this service has no
# measure of yet: networks give no reach for personal posts, and earned media
# value needs a valuation model nobody has agreed on. Listed so the caller
# shows them as not measured; a zero would read as a failed campaign.
NOT_MEASURED = ("reach", "earned_media_value")


@dataclass(frozen=True)
class Period:
    """[since, until): either end may be open (None)."""

    since: datetime | None = None
    until: datetime | None = None


def period(since: datetime | None, until: datetime | None) -> Period:
    if since is not None and until is not None and as_utc(until) <= as_utc(since):
        raise InvalidArgument("until", "must be after since")
    return Period(
        as_utc(since) if since is not None else None, as_utc(until) if until is not None else None
    )


def campaign_posts(post_ids: Sequence[str]) -> tuple[str, ...]:
    """The campaign's posts, each once, in the order given."""
    if not post_ids:
        raise InvalidArgument("post_ids", "must name at least one post")
    if len(post_ids) > MAX_POSTS:
        raise InvalidArgument("post_ids", f"at most {MAX_POSTS} posts, got {len(post_ids)}")
    for index, post_id in enumerate(post_ids):
        if not post_id.strip():
            raise InvalidArgument("post_ids", f"post_ids[{index}] must not be empty")
        if len(post_id) > MAX_POST_ID_LENGTH:
            raise InvalidArgument(
                "post_ids", f"post_ids[{index}] is longer than {MAX_POST_ID_LENGTH} characters"
            )
    return tuple(dict.fromkeys(post_ids))


@dataclass(frozen=True)
class Tally:
    shares: int = 0
    clicks: int = 0
    # Distinct people: never the sum of the parts' ambassadors.
    active_ambassadors: int = 0


@dataclass(frozen=True)
class CampaignRows:
    """What the stores aggregate (shares and clicks per post and country;
    distinct ambassadors per post, per country and overall)."""

    shares: list[tuple[str, str, int]] = field(default_factory=list)  # (post, country, n)
    clicks: list[tuple[str, str, int]] = field(default_factory=list)  # (post, country, n)
    ambassadors_by_post: dict[str, int] = field(default_factory=dict)
    ambassadors_by_country: dict[str, int] = field(default_factory=dict)
    ambassadors: int = 0


@dataclass(frozen=True)
class CampaignStats:
    total: Tally
    by_country: dict[str, Tally]
    by_post: list[tuple[str, Tally]]  # every requested post, in the request's order
    not_measured: tuple[str, ...] = NOT_MEASURED


def summarise_campaign(posts: Sequence[str], rows: CampaignRows) -> CampaignStats:
    shares_post: dict[str, int] = {}
    clicks_post: dict[str, int] = {}
    shares_country: dict[str, int] = {}
    clicks_country: dict[str, int] = {}
    for post_id, country, count in rows.shares:
        shares_post[post_id] = shares_post.get(post_id, 0) + count
        shares_country[country] = shares_country.get(country, 0) + count
    for post_id, country, count in rows.clicks:
        clicks_post[post_id] = clicks_post.get(post_id, 0) + count
        clicks_country[country] = clicks_country.get(country, 0) + count
    countries = sorted(shares_country.keys() | clicks_country.keys())
    return CampaignStats(
        total=Tally(sum(shares_post.values()), sum(clicks_post.values()), rows.ambassadors),
        by_country={
            c: Tally(
                shares_country.get(c, 0),
                clicks_country.get(c, 0),
                rows.ambassadors_by_country.get(c, 0),
            )
            for c in countries
        },
        by_post=[
            (
                p,
                Tally(
                    shares_post.get(p, 0), clicks_post.get(p, 0), rows.ambassadors_by_post.get(p, 0)
                ),
            )
            for p in posts
        ],
    )
