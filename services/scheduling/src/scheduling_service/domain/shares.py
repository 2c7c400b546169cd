"""Shares and their lifecycle. Pure: no I/O.

    suggested --schedule--> scheduled --timer--> due
        |                      |
        +------cancel----------+--> cancelled

A share is one (post, employee, network). It is created as a suggestion when
the audience is resolved (or directly scheduled for employees who opted into
auto-share); it becomes due exactly once, after which publishing owns it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.ids import stable_id

NETWORKS = ("bluesky", "linkedin", "x", "facebook", "instagram", "mastodon")
DEFAULT_NETWORK = "bluesky"
# Far enough for any campaign calendar; further out is almost always a typo
# (a year off) that would otherwise sit silently in the timer table.
MAX_SCHEDULE_AHEAD = timedelta(days=366)


class ShareStatus(StrEnum):
    SUGGESTED = "suggested"
    SCHEDULED = "scheduled"
    DUE = "due"
    CANCELLED = "cancelled"


class ShareMode(StrEnum):
    NOW = "now"
    AT = "at"


def share_id_for(tenant_id: str, post_id: str, employee_id: str, network: str) -> str:
    """Deterministic, so a redelivered audience batch finds the share it made."""
    return stable_id("share", tenant_id, post_id, employee_id, network)


def network_name(field: str, value: str) -> str:
    network = (value or DEFAULT_NETWORK).strip().lower()
    if network not in NETWORKS:
        raise InvalidArgument(field, f"unknown network {value!r}; known: {', '.join(NETWORKS)}")
    return network


def due_time(mode: ShareMode | None, at: datetime | None, now: datetime) -> datetime:
    """When a share asked for with `mode` becomes due."""
    if mode is None:
        raise InvalidArgument("mode", "must be SHARE_MODE_NOW or SHARE_MODE_AT")
    if mode is ShareMode.NOW:
        return now
    if at is None:
        raise InvalidArgument("at", "is required when mode is SHARE_MODE_AT")
    if at - now > MAX_SCHEDULE_AHEAD:
        raise InvalidArgument("at", f"must be within {MAX_SCHEDULE_AHEAD.days} days from now")
    # A time already past (clock skew, a slow client) means "as soon as possible":
    # the timer fires it on its next tick.
    return max(at, now)


@dataclass(frozen=True)
class Share:
    share_id: str
    tenant_id: str
    post_id: str
    post_version: int
    employee_id: str
    network: str
    language: str
    country: str
    timezone: str
    status: ShareStatus
    auto_share: bool
    due_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def for_member(
        cls,
        *,
        tenant_id: str,
        post_id: str,
        post_version: int,
        employee_id: str,
        network: str,
        language: str,
        country: str,
        timezone: str,
        auto_share: bool,
        now: datetime,
    ) -> Share:
        """A new share for one audience member: auto-share members (who opted
        in to it) are scheduled now, everyone else gets a suggestion."""
        return cls(
            share_id=share_id_for(tenant_id, post_id, employee_id, network),
            tenant_id=tenant_id,
            post_id=post_id,
            post_version=post_version,
            employee_id=employee_id,
            network=network,
            language=language,
            country=country,
            timezone=timezone,
            status=ShareStatus.SCHEDULED if auto_share else ShareStatus.SUGGESTED,
            auto_share=auto_share,
            due_at=now if auto_share else None,
            created_at=now,
            updated_at=now,
        )

    @property
    def is_open(self) -> bool:
        """Not yet handed to publishing nor cancelled."""
        return self.status in (ShareStatus.SUGGESTED, ShareStatus.SCHEDULED)

    def for_new_version(self, member: Share, now: datetime) -> Share:
        """The post was approved again (a new version) and this member is still
        in the audience: an open share follows the newest text; one already
        due or cancelled stays as it is (it was shared, or refused, once)."""
        if not self.is_open or member.post_version <= self.post_version:
            return self
        after = replace(
            self,
            post_version=member.post_version,
            language=member.language,
            country=member.country,
            timezone=member.timezone,
            auto_share=member.auto_share,
            updated_at=now,
        )
        if member.auto_share and self.status is ShareStatus.SUGGESTED:
            after = replace(after, status=ShareStatus.SCHEDULED, due_at=now)
        return after

    def schedule(self, due_at: datetime, now: datetime) -> Share:
        """Suggested or scheduled -> scheduled at `due_at` (a reschedule moves
        the time). A due share is returned unchanged: the call was a retry or
        came too late, and either way it is already on its way."""
        if self.status is ShareStatus.CANCELLED:
            raise FailedPrecondition("share is cancelled; a cancelled share cannot be scheduled")
        if self.status is ShareStatus.DUE:
            return self
        return replace(self, status=ShareStatus.SCHEDULED, due_at=due_at, updated_at=now)

    def cancel(self, now: datetime) -> Share:
        if self.status is ShareStatus.CANCELLED:
            return self
        if self.status is ShareStatus.DUE:
            raise FailedPrecondition(
                "share is due; publishing owns it now, it can no longer be cancelled"
            )
        return replace(self, status=ShareStatus.CANCELLED, updated_at=now)
