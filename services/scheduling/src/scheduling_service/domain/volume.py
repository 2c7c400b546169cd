"""The share volume per day of a set of posts (the editorial calendar's
numbers). Pure: no I/O.

Scheduling does not own campaigns or calendars (content does): a calendar
reaches this service as a list of posts and a period. The database counts
(one GROUP BY); this module checks the question and names the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from chorus_core.clock import as_utc
from chorus_core.errors import InvalidArgument

MAX_POSTS = 500
MAX_POST_ID_LENGTH = 36  # the shares' post_id column
MAX_REGION_LENGTH = 64  # the shares' region column
# A year of calendar (a leap year's included); a wider query is almost
# always a typo, and would scan a table of timers for nothing.
MAX_PERIOD = timedelta(days=366)


@dataclass(frozen=True)
class VolumeQuery:
    post_ids: tuple[str, ...]
    since: datetime
    until: datetime
    region: str = ""  # empty: every region


@dataclass(frozen=True)
class DayVolume:
    """The scheduled and due shares of one post, in one region, on one UTC day."""

    post_id: str
    region: str
    day: str  # YYYY-MM-DD, the UTC date of due_at
    scheduled: int
    due: int


def volume_query(
    post_ids: Sequence[str], since: datetime | None, until: datetime | None, region: str = ""
) -> VolumeQuery:
    """The question checked: 1..500 non-empty posts (each once, in the order
    given), a bounded period [since, until), an optional region."""
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
    if since is None:
        raise InvalidArgument("since", "is required")
    if until is None:
        raise InvalidArgument("until", "is required")
    since, until = as_utc(since), as_utc(until)
    if until <= since:
        raise InvalidArgument("until", "must be after since")
    if until - since > MAX_PERIOD:
        raise InvalidArgument("until", f"at most {MAX_PERIOD.days} days after since")
    region = region.strip()
    if len(region) > MAX_REGION_LENGTH:
        raise InvalidArgument("region", f"is longer than {MAX_REGION_LENGTH} characters")
    return VolumeQuery(tuple(dict.fromkeys(post_ids)), since, until, region)
