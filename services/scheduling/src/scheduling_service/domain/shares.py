"""Shares and their lifecycle. Pure: no I/O.

    suggested --schedule--> scheduled --timer--> due
        |      <--no good slot--  |
        +------cancel-------------+--> cancelled

A share is one (post, employee, network). It is created as a suggestion when
the audience is resolved, or scheduled in the employee's next good slot
(domain/slots.py) for those who opted into auto-share; a planned share whose
slot is no longer good after a new post version, and no other is found,
goes back to being a suggestion. It becomes due exactly once, after which
publishing owns it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.ids import stable_id

from scheduling_service.domain.slots import Person, Window, directory_hours

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
    NEXT_GOOD_SLOT = "next_good_slot"


# The directory's max_shares_per_day of 0: no limit (the planner wants a number).
NO_DAILY_CAP = 1_000_000


def share_id_for(tenant_id: str, post_id: str, employee_id: str, network: str) -> str:
    """Deterministic, so a redelivered audience batch finds the share it made."""
    return stable_id("share", tenant_id, post_id, employee_id, network)


def network_name(field: str, value: str) -> str:
    network = (value or DEFAULT_NETWORK).strip().lower()
    if network not in NETWORKS:
        raise InvalidArgument(field, f"unknown network {value!r}; known: {', '.join(NETWORKS)}")
    return network


def spread_group(region: str, network: str) -> str:
    """Colleagues the planner spaces apart on one post: one region, one network."""
    return f"{region}/{network}"


def requested_time(mode: ShareMode | None, at: datetime | None, now: datetime) -> datetime | None:
    """When the employee asked for the share: `now`, `at`, or None for the
    next good slot (the planner's). Checked before anything is read."""
    if mode is None:
        raise InvalidArgument(
            "mode", "must be SHARE_MODE_NOW, SHARE_MODE_AT or SHARE_MODE_NEXT_GOOD_SLOT"
        )
    if mode is ShareMode.NEXT_GOOD_SLOT:
        return None
    if mode is ShareMode.NOW:
        return now
    if at is None:
        raise InvalidArgument("at", "is required when mode is SHARE_MODE_AT")
    if at - now > MAX_SCHEDULE_AHEAD:
        raise InvalidArgument("at", f"must be within {MAX_SCHEDULE_AHEAD.days} days from now")
    # A time already past (clock skew, a slow client) means "as soon as possible":
    # the timer fires it on its next tick.
    return max(at, now)


def due_time(mode: ShareMode, requested: datetime, window: Window) -> datetime:
    """When a share asked for `now` or `at` becomes due, inside the post's
    window: "now" before valid_from waits for it (valid_from in the future
    holds the shares until then); a time outside the window is refused."""
    if window.end is not None and requested >= window.end:
        if mode is ShareMode.AT:
            raise InvalidArgument("at", "must be before the post's expires_at")
        raise FailedPrecondition("the post has expired; it can no longer be shared")
    if window.start is not None and requested < window.start:
        if mode is ShareMode.AT:
            raise InvalidArgument("at", "must not be before the post's valid_from")
        return window.start
    return requested


@dataclass(frozen=True)
class Planning:
    """What the slot planner needs about a share, from the audience event:
    the post's window and the member's sharing preferences."""

    valid_from: datetime | None = None
    expires_at: datetime | None = None
    sharing_hours: str = ""  # the directory's "HH:MM-HH:MM" (local); empty = any time
    daily_cap: int = 0  # the directory's max_shares_per_day; 0 = no limit
    region: str = ""  # the employee's home region
    # ISO 3166-2 after the dash ("BY"): regional holidays; empty = the country's only.
    subdivision: str = ""

    @property
    def window(self) -> Window:
        return Window(self.valid_from, self.expires_at)


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
    planning: Planning = Planning()
    # due_at is the planner's (auto-share, next good slot), not a time the
    # employee picked: a new post version re-checks it, a picked time stays.
    planned: bool = False
    # Publishing's word on a due share a budget holds back: it goes out by
    # itself at deferred_until (ShareDeferred); cleared once published.
    deferred_until: datetime | None = None
    deferred_reason: str = ""
    # Publishing's word on a due share waiting for the employee to reconnect
    # the account (ShareHeld); cleared once published, failed or deferred.
    held_since: datetime | None = None
    held_reason: str = ""
    # Personalisation (domain/personal.py): the comms team's variant the
    # employee chose (None: their spread one; once due, the one it posted),
    # and their own wording, checked against the charter ("" = not edited).
    variant: int | None = None
    edited_text: str = ""

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
        planning: Planning = Planning(),
    ) -> Share:
        """A new share for one audience member, as a suggestion: the planner
        gives auto-share members (who opted in to it) their slot (planned_at)."""
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
            status=ShareStatus.SUGGESTED,
            auto_share=auto_share,
            due_at=None,
            created_at=now,
            updated_at=now,
            planning=planning,
        )

    @property
    def group(self) -> str:
        return spread_group(self.planning.region, self.network)

    def person(self) -> Person:
        """The employee as the planner sees them. Raises InvalidArgument
        (naming the field) for a timezone or sharing hours it cannot use."""
        return Person(
            employee_id=self.employee_id,
            timezone=self.timezone,
            country=self.country,
            subdivision=self.planning.subdivision,
            hours=directory_hours(self.planning.sharing_hours),
            daily_cap=self.planning.daily_cap or NO_DAILY_CAP,
        )

    @property
    def follows_planner(self) -> bool:
        """An open auto-share whose time is the planner's to give: still a
        suggestion, or scheduled at a planned slot (not one the employee picked)."""
        return (
            self.is_open
            and self.auto_share
            and (self.status is ShareStatus.SUGGESTED or self.planned)
        )

    def planned_at(self, slot: datetime | None, now: datetime) -> Share:
        """The planner's slot: scheduled then; None (no good slot within the
        horizon or the window): a suggestion, the employee may still pick a time."""
        if slot is None:
            return replace(
                self, status=ShareStatus.SUGGESTED, due_at=None, planned=False, updated_at=now
            )
        return replace(
            self, status=ShareStatus.SCHEDULED, due_at=slot, planned=True, updated_at=now
        )

    @property
    def is_open(self) -> bool:
        """Not yet handed to publishing nor cancelled."""
        return self.status in (ShareStatus.SUGGESTED, ShareStatus.SCHEDULED)

    def for_new_version(self, member: Share, now: datetime) -> Share:
        """The post was approved again (a new version) and this member is still
        in the audience: an open share follows the newest text, window and
        preferences; one already due or cancelled stays as it is (it was
        shared, or refused, once). Its time stays: if it follows_planner, the
        planner keeps a still-good slot or gives a new one (planned_at).
        An edited text is dropped: it was written from, and checked with, the
        older text (the employee may edit again); a chosen variant stays."""
        if not self.is_open or member.post_version <= self.post_version:
            return self
        return replace(
            self,
            post_version=member.post_version,
            language=member.language,
            country=member.country,
            timezone=member.timezone,
            auto_share=member.auto_share,
            planning=member.planning,
            edited_text="",
            updated_at=now,
        )

    def personalised(self, variant: int | None, text: str | None, now: datetime) -> Share:
        """The employee's variant and own text (None: as they are). Once due
        or cancelled the text can no longer change (publishing has it, or
        nothing goes out); asking for what it already is stays a no-op."""
        variant = self.variant if variant is None else variant
        text = self.edited_text if text is None else text
        if (variant, text) == (self.variant, self.edited_text):
            return self
        if self.status is ShareStatus.DUE:
            raise FailedPrecondition(
                "share is due; publishing has its text, it can no longer change"
            )
        if self.status is ShareStatus.CANCELLED:
            raise FailedPrecondition("share is cancelled; its text can no longer change")
        return replace(self, variant=variant, edited_text=text, updated_at=now)

    def schedule(self, due_at: datetime, now: datetime, *, planned: bool = False) -> Share:
        """Suggested or scheduled -> scheduled at `due_at` (a reschedule moves
        the time; `planned`: the planner's next good slot, not a time the
        employee picked). A due share is returned unchanged: the call was a
        retry or came too late, and either way it is already on its way."""
        if self.status is ShareStatus.CANCELLED:
            raise FailedPrecondition("share is cancelled; a cancelled share cannot be scheduled")
        if self.status is ShareStatus.DUE:
            return self
        return replace(
            self, status=ShareStatus.SCHEDULED, due_at=due_at, planned=planned, updated_at=now
        )

    def cancel(self, now: datetime) -> Share:
        if self.status is ShareStatus.CANCELLED:
            return self
        if self.status is ShareStatus.DUE:
            raise FailedPrecondition(
                "share is due; publishing owns it now, it can no longer be cancelled"
            )
        return replace(self, status=ShareStatus.CANCELLED, updated_at=now)
