"""The record of each consent decision made through RecordConsent or
SetParticipation, keyed by the caller's request_id. Pure: no I/O.

The record is the proof of consent (who chose what, when, from which
source) and what makes a request safe to retry: the same request_id again
finds its record and changes nothing; the same request_id with another
content is refused. A decision older than the last one applied for the
person is recorded too, but changes nothing: a late delivery (an offline
app syncing, a retry sent under a new id with its original time) must not
flip a later choice back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from chorus_core.clock import as_utc
from chorus_core.errors import AlreadyExists

from targeting_service.domain.participation import ConsentChoice, ConsentState, apply_choice


class Operation(str, Enum):
    RECORD_CONSENT = "record_consent"
    SET_PARTICIPATION = "set_participation"


@dataclass(frozen=True)
class ConsentRecord:
    """opted_in, consent and auto_share: the state the decision sets (a
    participation-only change records the consent it kept and whether
    auto-share survived), so the record alone says what was agreed to."""

    request_id: str
    employee_id: str
    operation: Operation
    opted_in: bool
    consent: bool
    auto_share: bool
    source: str
    decided_at: datetime
    applied: bool  # False: a later decision held already; this one changed nothing


def is_retry(
    record: ConsentRecord, employee_id: str, operation: Operation, choice: ConsentChoice
) -> bool:
    """Whether the request is the recorded one again. Only what the caller
    sent is compared: a retry that leaves decided_at unset (meaning "now")
    is the same request as its first attempt."""
    if (record.employee_id, record.operation) != (employee_id, operation):
        return False
    if (record.opted_in, record.source) != (choice.opted_in, choice.source):
        return False
    if choice.consent is not None and choice.consent != record.consent:
        return False
    if choice.auto_share is not None and choice.auto_share != record.auto_share:
        return False
    return choice.decided_at is None or as_utc(choice.decided_at) == as_utc(record.decided_at)


def request_id_taken(request_id: str) -> AlreadyExists:
    return AlreadyExists(f"request_id {request_id!r} was already used for a different decision")


def check_retry(
    record: ConsentRecord, employee_id: str, operation: Operation, choice: ConsentChoice
) -> None:
    if not is_retry(record, employee_id, operation, choice):
        raise request_id_taken(record.request_id)


def decide(
    request_id: str,
    employee_id: str,
    operation: Operation,
    choice: ConsentChoice,
    current: ConsentState,
    last_applied: datetime | None,
    now: datetime,
) -> ConsentRecord:
    """The record of a new request: applied unless a decision made later
    than this one already holds (the same instant counts as later: the
    request that arrives last wins)."""
    decided_at = choice.decided_at or now
    state = apply_choice(current, choice)
    applied = last_applied is None or as_utc(decided_at) >= as_utc(last_applied)
    return ConsentRecord(
        request_id=request_id,
        employee_id=employee_id,
        operation=operation,
        opted_in=state.opted_in,
        consent=state.consent,
        auto_share=state.auto_share,
        source=choice.source,
        decided_at=decided_at,
        applied=applied,
    )
