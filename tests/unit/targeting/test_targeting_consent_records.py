"""A consent decision's record: what it sets, whether it applies (not when a
later decision holds), and which requests are retries of it; the SCIM data
an erasure rewrites."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from chorus_core.errors import AlreadyExists
from targeting_service.domain.consent_records import (
    ConsentRecord,
    Operation,
    check_retry,
    decide,
    is_retry,
)
from targeting_service.domain.participation import ConsentChoice, ConsentState
from targeting_service.domain.scim_projection import (
    ENTERPRISE,
    new_version,
    without_manager,
    without_member,
)

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
SHARING = ConsentState(opted_in=True, consent=True, auto_share=True)
RECORD = Operation.RECORD_CONSENT


def test_a_decision_records_the_state_it_sets() -> None:
    out = decide(
        "r1", "e1", Operation.SET_PARTICIPATION, ConsentChoice(False, None), SHARING, None, NOW
    )
    # Participation only: the consent kept, the auto-share opting out ends; stamped now.
    assert (out.opted_in, out.consent, out.auto_share) == (False, True, False)
    assert (out.decided_at, out.applied, out.source) == (NOW, True, "app")
    earlier = NOW - timedelta(days=1)
    given = ConsentChoice(True, earlier, "admin", consent=True, auto_share=False)
    record = decide("r2", "e1", RECORD, given, SHARING, None, NOW)
    assert (record.decided_at, record.auto_share, record.source) == (earlier, False, "admin")


@pytest.mark.parametrize(
    ("decided", "applied"),
    [
        (NOW - timedelta(seconds=1), False),  # made before the one that holds
        (NOW, True),  # the same instant: the last to arrive wins
        (NOW + timedelta(seconds=1), True),
    ],
)
def test_a_decision_older_than_the_last_applied_one_changes_nothing(
    decided: datetime, applied: bool
) -> None:
    choice = ConsentChoice(True, decided, consent=True)
    assert decide("r", "e1", RECORD, choice, SHARING, NOW, NOW).applied is applied
    assert decide("r", "e1", RECORD, choice, SHARING, None, NOW).applied is True


def _recorded(choice: ConsentChoice, operation: Operation = RECORD) -> ConsentRecord:
    return decide("r1", "e1", operation, choice, SHARING, None, NOW)


def test_the_same_request_again_is_a_retry_and_any_other_is_refused() -> None:
    first = ConsentChoice(True, NOW - timedelta(hours=1), "app", consent=True, auto_share=True)
    record = _recorded(first)
    assert is_retry(record, "e1", RECORD, first)
    # decided_at unset means "now": a retry that omits it is the same request.
    assert is_retry(record, "e1", RECORD, ConsentChoice(True, None, "app", True, True))
    others = [
        ConsentChoice(False, first.decided_at, "app", True, False),
        ConsentChoice(True, first.decided_at, "app", False, False),
        ConsentChoice(True, first.decided_at, "app", True, False),
        ConsentChoice(True, first.decided_at, "cli", True, True),
        ConsentChoice(True, NOW, "app", True, True),
    ]
    for other in others:
        assert not is_retry(record, "e1", RECORD, other), other
        with pytest.raises(AlreadyExists, match="r1"):
            check_retry(record, "e1", RECORD, other)
    assert not is_retry(record, "e2", RECORD, first)
    assert not is_retry(record, "e1", Operation.SET_PARTICIPATION, ConsentChoice(True, None))
    # A participation-only retry compares what it sent, not the consent it kept.
    kept = _recorded(ConsentChoice(True, None), Operation.SET_PARTICIPATION)
    assert is_retry(kept, "e1", Operation.SET_PARTICIPATION, ConsentChoice(True, None))


def test_an_erased_member_and_manager_leave_the_scim_data() -> None:
    group = {
        "id": "g1",
        "displayName": "Sales",
        "members": [{"value": "e1", "display": "Ana"}, {"value": "e2", "display": "Bob"}],
    }
    assert without_member(group, "e1")["members"] == [{"value": "e2", "display": "Bob"}]
    assert "members" not in without_member(without_member(group, "e1"), "e2")
    assert without_member(group, "e9") == group
    user = {"id": "e2", ENTERPRISE: {"department": "Sales", "manager": {"value": "e1"}}}
    assert without_manager(user) == {"id": "e2", ENTERPRISE: {"department": "Sales"}}
    assert without_manager({"id": "e3", ENTERPRISE: {"manager": {"value": "e1"}}}) == {"id": "e3"}
    assert new_version() != new_version() and new_version().startswith('W/"')
