"""Points rules. Pure: no I/O.

Every award is one fact (a published share, a click on a share's link) and is
keyed by that fact's own id (`source_id`), not by the event that carried it:
the ledger's UNIQUE(tenant, reason, source_id) is what stops the same fact from
earning twice, even when it is re-emitted under another ce_id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chorus_core.validation import require


class Reason(StrEnum):
    SHARE_PUBLISHED = "share_published"
    LINK_CLICKED = "link_clicked"


# The programme's rules: a share is the effort, a click is the reach it earned.
POINTS_FOR: dict[Reason, int] = {
    Reason.SHARE_PUBLISHED: 10,
    Reason.LINK_CLICKED: 2,
}


@dataclass(frozen=True)
class Award:
    tenant_id: str
    employee_id: str
    reason: Reason
    source_id: str
    points: int

    @property
    def fact(self) -> tuple[str, str]:
        """What earned it: one award per fact, ever."""
        return (self.reason.value, self.source_id)


@dataclass(frozen=True)
class LedgerEntry:
    reason: str
    points: int
    source_id: str
    created_at: datetime


@dataclass(frozen=True)
class Profile:
    employee_id: str
    points: int
    entries: tuple[LedgerEntry, ...]


def _award(
    tenant_id: str, employee_id: str, reason: Reason, source_field: str, source_id: str
) -> Award:
    require("tenant_id", tenant_id)
    require("employee_id", employee_id)
    require(source_field, source_id)
    return Award(tenant_id, employee_id, reason, source_id, POINTS_FOR[reason])


def for_share_published(tenant_id: str, employee_id: str, share_id: str) -> Award:
    """+10 to the employee who published the share."""
    return _award(tenant_id, employee_id, Reason.SHARE_PUBLISHED, "share_id", share_id)


def for_link_clicked(tenant_id: str, sharer_id: str, click_id: str) -> Award:
    """+2 to the sharer whose tracked link was clicked (the clicker is anonymous)."""
    return _award(tenant_id, sharer_id, Reason.LINK_CLICKED, "click_id", click_id)
