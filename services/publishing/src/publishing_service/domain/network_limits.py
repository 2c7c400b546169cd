"""Each network's documented limits: the seeds of the shared budgets, before
any answer has told us more (domain/rate_signals.py). Pure data.

A limit is a number of units per window, counting either calls (every
request, one unit) or posts (a published post, `post_cost` units: Bluesky
counts repo-write points, a record create is 3). Session creation and token
refresh are calls like any other: they spend from the same budgets, so a
restart that signs everyone in again cannot blow the limit either.

Where a network does not publish a figure (LinkedIn), the seed is the last
one it documented, and its 429 (which has no headers) waits for its reset
at midnight UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0


class Counts(StrEnum):
    CALLS = "calls"
    POSTS = "posts"


@dataclass(frozen=True)
class Window:
    units: float
    seconds: float
    counts: Counts = Counts.CALLS

    def __post_init__(self) -> None:
        if self.units <= 0 or self.seconds <= 0:
            raise ValueError("a window needs positive units and seconds")


@dataclass(frozen=True)
class NetworkLimits:
    network: str
    account: tuple[Window, ...]  # per connected account (or page)
    app: tuple[Window, ...]  # per application, shared by every account
    post_cost: float = 1.0  # units of each POSTS window one post spends
    source: str = ""  # where the figures come from


LIMITS: dict[str, NetworkLimits] = {
    limits.network: limits
    for limits in (
        NetworkLimits(
            "bluesky",
            # Repo writes: 5,000 points an hour and 35,000 a day per account.
            account=(Window(5000, HOUR, Counts.POSTS), Window(35000, DAY, Counts.POSTS)),
            # The PDS's per-client cap on API requests.
            app=(Window(3000, 5 * MINUTE),),
            post_cost=3.0,
            source="AT Protocol PDS rate limits (createRecord = 3 points)",
        ),
        NetworkLimits(
            "mastodon",
            account=(Window(300, 5 * MINUTE),),
            app=(),
            source="Mastodon API rate limits: 300 requests per 5 minutes per account",
        ),
        NetworkLimits(
            "linkedin",
            # Unpublished today; the last documented daily figures.
            account=(Window(150, DAY, Counts.POSTS),),
            app=(Window(100_000, DAY, Counts.POSTS),),
            source="LinkedIn share limits as last documented; resets at midnight UTC",
        ),
        NetworkLimits(
            "x",
            account=(Window(100, 15 * MINUTE, Counts.POSTS),),
            app=(Window(10_000, DAY, Counts.POSTS),),
            source="X API v2 POST /2/tweets: 100 per 15 minutes per user, 10,000 per day per app",
        ),
        NetworkLimits(
            "facebook",
            # Platform rate limit: 200 calls per hour per user of the app;
            # the usage headers tell the real position.
            account=(Window(200, HOUR),),
            app=(),
            source="Graph API platform rate limits; X-App-Usage / X-Business-Use-Case-Usage",
        ),
        NetworkLimits(
            "instagram",
            # 50 published posts per 24 hours per account (content_publishing_limit);
            # a post is two calls (container, then media_publish).
            account=(Window(50, DAY, Counts.POSTS), Window(200, HOUR)),
            app=(),
            source="Instagram content publishing: 50 posts per 24 hours per account",
        ),
    )
}


def parse_app_limits(text: str) -> dict[str, tuple[Window, ...]]:
    """A deployment's own per-application windows, replacing the seeds:
    "bluesky=30000/300,x=50000/86400" (units per seconds; several windows for
    one network joined by "+": "x=300/900+50000/86400"). The per-app figure
    is the one that depends on the deployment (a PDS of one's own, X's
    paid tier); per-account limits are the networks' and stay as they are.
    Raises ValueError naming what is wrong."""
    parsed: dict[str, tuple[Window, ...]] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        network, sep, windows = item.partition("=")
        network = network.strip()
        if not sep or network not in LIMITS:
            raise ValueError(
                f"{item!r}: expected <network>=<units>/<seconds>, network one of "
                f"{', '.join(sorted(LIMITS))}"
            )
        if network in parsed:
            raise ValueError(f"{network}: given twice")
        try:
            parsed[network] = tuple(
                Window(float(units), float(seconds))
                for units, seconds in (w.split("/") for w in windows.split("+"))
            )
        except ValueError:
            raise ValueError(
                f"{item!r}: expected <units>/<seconds> with positive numbers"
            ) from None
    return parsed


def with_app_limits(
    limits: dict[str, NetworkLimits], app: dict[str, tuple[Window, ...]]
) -> dict[str, NetworkLimits]:
    return {
        network: replace(seeded, app=app[network], source=f"{seeded.source}; app limit configured")
        if network in app
        else seeded
        for network, seeded in limits.items()
    }


def window_told(
    windows: tuple[Window, ...], *, limit: float | None, resets_in: float | None
) -> int:
    """Which of a scope's windows an answer's "remaining" is about (its
    index): the one of the size the answer gives (x-rate-limit-limit,
    RateLimit-Limit), else the shortest one long enough to reset when the
    answer says it does, else the shortest. Networks name no window in their
    headers; the figures they do give say which one it is (X's 15-minute
    user window and its 24-hour app window differ in both)."""
    if not windows:
        raise ValueError("a scope without windows has nothing to be told about")
    by_length = sorted(range(len(windows)), key=lambda i: windows[i].seconds)
    if limit is not None:
        sized = [i for i in by_length if windows[i].units == limit]
        if sized:
            return sized[0]
    if resets_in is not None:
        long_enough = [i for i in by_length if windows[i].seconds >= resets_in]
        if long_enough:
            return long_enough[0]
    return by_length[0]
