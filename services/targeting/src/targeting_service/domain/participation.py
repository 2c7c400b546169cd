"""Who takes part, what an employee's own consent choice is, and which event
a change of either means. Pure: no I/O.

A person takes part (is in audiences, may have shares published in their
name) when they are active, opted in and consent to be represented. Every
path that changes one of the three — the HR import, SCIM, the consent RPC —
asks `transition` which event that is, so the other services hear of it the
same way whichever path changed it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from chorus_core.errors import InvalidArgument

SOURCES = frozenset({"app", "admin", "import", "scim", "cli"})
# A choice stamped later than this past the server's clock is refused: a time
# in the future would make the record claim a consent not yet given.
CLOCK_SKEW = timedelta(minutes=1)


@dataclass(frozen=True)
class Standing:
    active: bool
    opted_in: bool
    consent: bool

    @property
    def takes_part(self) -> bool:
        return self.active and self.opted_in and self.consent


class Transition(str, Enum):
    OPTED_IN = "opted_in"  # EmployeeOptedIn: holds on new shares are lifted
    OPTED_OUT = "opted_out"  # EmployeeOptedOut: pending shares are held back


def transition(before: Standing, after: Standing) -> Transition | None:
    if before.takes_part and not after.takes_part:
        return Transition.OPTED_OUT
    if after.takes_part and not before.takes_part:
        return Transition.OPTED_IN
    return None


def standing_before(after: Standing, changed: Collection[str]) -> Standing:
    """The standing before an update that changed these columns: the three
    are booleans, so a changed one had the other value."""
    return Standing(
        active=after.active != ("active" in changed),
        opted_in=after.opted_in != ("opted_in" in changed),
        consent=after.consent != ("consent" in changed),
    )


@dataclass(frozen=True)
class ConsentChoice:
    """What the employee chose, when and where. consent and auto_share None:
    left as they are (a participation-only change); decided_at None: when it
    is recorded."""

    opted_in: bool
    decided_at: datetime | None
    source: str = "app"
    consent: bool | None = None
    auto_share: bool | None = None


def valid_choice(choice: ConsentChoice, now: datetime) -> ConsentChoice:
    if choice.source not in SOURCES:
        raise InvalidArgument(
            "source", f"{choice.source!r} is not one of {', '.join(sorted(SOURCES))}"
        )
    if choice.decided_at is not None and choice.decided_at > now + CLOCK_SKEW:
        raise InvalidArgument("decided_at", "is in the future")
    if choice.auto_share and not (choice.opted_in and choice.consent is not False):
        raise InvalidArgument("auto_share", "needs opted_in and consent")
    return choice


@dataclass(frozen=True)
class ConsentState:
    opted_in: bool
    consent: bool
    auto_share: bool


def apply_choice(current: ConsentState, choice: ConsentChoice) -> ConsentState:
    consent = current.consent if choice.consent is None else choice.consent
    auto_share = current.auto_share if choice.auto_share is None else choice.auto_share
    # Auto-share publishes in the person's name without asking each time:
    # it ends with participation or with the consent to be represented.
    return ConsentState(choice.opted_in, consent, auto_share and choice.opted_in and consent)
