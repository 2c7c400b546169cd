"""What a network's answer says about our budget there, normalised. Pure: no
I/O; the caller passes the time.

Every network reports its limits its own way, and a connector knows which
one it speaks; the budget (adapters/redis_budget.py) only sees a
RateSignal: how much is left of which scope and when it comes back, or
"nothing before T".

  * `Retry-After` (RFC 9110 §10.2.3): seconds, or an HTTP date;
  * `x-rate-limit-limit/-remaining/-reset` (X): reset in epoch seconds;
  * `X-RateLimit-Limit/-Remaining/-Reset` (Mastodon): reset as an ISO 8601
    instant;
  * `RateLimit-Limit/-Remaining/-Reset` (the IETF draft's separate fields):
    reset in seconds from now, or (Bluesky's PDS) an epoch instant, told
    apart by size (EPOCH_FLOOR); also the draft's combined
    `RateLimit: limit=…, remaining=…, reset=…`;
  * Meta's `X-App-Usage` and `X-Business-Use-Case-Usage`: JSON percentages
    of the app's (or the page's) hourly budget; we stop at USAGE_BACK_OFF
    percent, as Mixpost does, until the window has rolled on (Meta gives
    `estimated_time_to_regain_access` in minutes when it is known);
  * a 429 with none of these (LinkedIn): its limits reset at midnight UTC.

Header names are matched case-insensitively (HTTP field names are).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum

# Meta: back off when any usage figure reaches this share of the budget.
USAGE_BACK_OFF = 90.0
# Meta counts usage over a rolling hour: without an estimate, wait this long.
META_WINDOW = timedelta(hours=1)
# A reset above this many seconds is an instant (2001-09-09), not a delay.
EPOCH_FLOOR = 1_000_000_000


class Scope(StrEnum):
    ACCOUNT = "account"  # the employee's own account (or page) on the network
    APP = "app"  # Chorus's application (client id) on the network


@dataclass(frozen=True)
class RateSignal:
    """One answer's news about one scope's budget. None: not said."""

    scope: Scope
    remaining: float | None = None  # requests left in the current window
    limit: float | None = None  # the window's size
    reset_at: datetime | None = None  # when the window starts again
    retry_at: datetime | None = None  # "not before": Retry-After, a 429, usage past the bar

    @property
    def blocks_until(self) -> datetime | None:
        """When the scope may be used again, if it may not now."""
        if self.retry_at is not None:
            return self.retry_at
        if self.remaining is not None and self.remaining <= 0:
            return self.reset_at
        return None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value.strip()
    return None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def retry_after(headers: Mapping[str, str], now: datetime) -> datetime | None:
    """RFC 9110: delay-seconds or an HTTP-date; None when absent or unreadable."""
    value = _header(headers, "Retry-After")
    if not value:
        return None
    seconds = _number(value)
    if seconds is not None:
        return now + timedelta(seconds=max(0.0, seconds))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(moment.astimezone(UTC), now)


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def x_rate_limit(headers: Mapping[str, str], scope: Scope) -> RateSignal | None:
    """X: x-rate-limit-reset is epoch seconds."""
    remaining = _number(_header(headers, "x-rate-limit-remaining"))
    if remaining is None:
        return None
    reset = _number(_header(headers, "x-rate-limit-reset"))
    return RateSignal(
        scope,
        remaining=remaining,
        limit=_number(_header(headers, "x-rate-limit-limit")),
        reset_at=datetime.fromtimestamp(reset, UTC) if reset is not None else None,
    )


def mastodon_rate_limit(headers: Mapping[str, str], scope: Scope) -> RateSignal | None:
    """Mastodon: X-RateLimit-Reset is an ISO 8601 instant."""
    remaining = _number(_header(headers, "X-RateLimit-Remaining"))
    if remaining is None:
        return None
    return RateSignal(
        scope,
        remaining=remaining,
        limit=_number(_header(headers, "X-RateLimit-Limit")),
        reset_at=_instant(_header(headers, "X-RateLimit-Reset")),
    )


def ietf_rate_limit(headers: Mapping[str, str], scope: Scope, now: datetime) -> RateSignal | None:
    """The IETF draft: RateLimit-Remaining / -Limit / -Reset (seconds from
    now), or the combined `RateLimit: limit=10, remaining=0, reset=30`."""
    fields: dict[str, float | None] = {
        name: _number(_header(headers, f"RateLimit-{name}"))
        for name in ("Limit", "Remaining", "Reset")
    }
    combined = _header(headers, "RateLimit")
    if combined and fields["Remaining"] is None:
        for part in combined.replace(";", ",").split(","):
            key, _, value = part.strip().partition("=")
            if key.lower() in ("limit", "remaining", "reset"):
                fields[key.title()] = _number(value.strip())
    if fields["Remaining"] is None:
        return None
    reset = fields["Reset"]
    reset_at = None
    if reset is not None:
        reset_at = (
            datetime.fromtimestamp(reset, UTC)
            if reset >= EPOCH_FLOOR
            else now + timedelta(seconds=reset)
        )
    return RateSignal(
        scope, remaining=fields["Remaining"], limit=fields["Limit"], reset_at=reset_at
    )


def _usage_figures(entry: object) -> tuple[float, float | None]:
    """(highest usage percent, minutes to regain access) of one usage object."""
    if not isinstance(entry, Mapping):
        return 0.0, None
    highest = max(
        (
            float(value)
            for key, value in entry.items()
            if key in ("call_count", "total_cputime", "total_time")
            and isinstance(value, int | float)
        ),
        default=0.0,
    )
    regain = entry.get("estimated_time_to_regain_access")
    return highest, float(regain) if isinstance(regain, int | float) else None


def meta_usage(headers: Mapping[str, str], now: datetime) -> list[RateSignal]:
    """X-App-Usage (the app) and X-Business-Use-Case-Usage (per business
    object: a page, an Instagram account: the account scope). A figure at or
    past USAGE_BACK_OFF percent blocks the scope until access is regained.
    Below it nothing is said: a percentage of Meta's budget is no count of
    calls left in ours."""
    found: list[RateSignal | None] = []
    app = _header(headers, "X-App-Usage")
    if app:
        try:
            highest, regain = _usage_figures(json.loads(app))
        except ValueError:
            highest, regain = 0.0, None
        found.append(_usage_signal(Scope.APP, highest, regain, now))
    business = _header(headers, "X-Business-Use-Case-Usage")
    if business:
        try:
            parsed = json.loads(business)
        except ValueError:
            parsed = {}
        figures = [
            _usage_figures(item)
            for items in (parsed.values() if isinstance(parsed, Mapping) else ())
            for item in (items if isinstance(items, list) else ())
        ]
        if figures:
            highest = max(f[0] for f in figures)
            regains = [f[1] for f in figures if f[1] is not None]
            found.append(
                _usage_signal(Scope.ACCOUNT, highest, max(regains) if regains else None, now)
            )
    return [signal for signal in found if signal is not None]


def _usage_signal(
    scope: Scope, percent: float, regain: float | None, now: datetime
) -> RateSignal | None:
    if percent < USAGE_BACK_OFF:
        return None
    wait = timedelta(minutes=regain) if regain else META_WINDOW
    return RateSignal(scope, retry_at=now + max(wait, timedelta(minutes=1)))


def next_midnight_utc(now: datetime) -> datetime:
    """LinkedIn's unpublished daily limits reset at midnight UTC."""
    today = now.astimezone(UTC).date()
    return datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
