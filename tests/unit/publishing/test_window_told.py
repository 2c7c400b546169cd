"""window_told: which of a scope's windows an answer's "remaining" is about."""

from __future__ import annotations

import pytest
from publishing_service.domain.network_limits import LIMITS, Window, window_told

FIFTEEN_MINUTES, DAY = 900.0, 86400.0
X_USER = (Window(10000, DAY), Window(100, FIFTEEN_MINUTES))  # listed long first on purpose


def test_the_window_of_the_size_the_answer_gives() -> None:
    assert window_told(X_USER, limit=10000, resets_in=None) == 0
    assert window_told(X_USER, limit=100, resets_in=None) == 1


def test_without_a_size_the_shortest_window_that_resets_that_late() -> None:
    assert window_told(X_USER, limit=None, resets_in=600) == 1
    assert window_told(X_USER, limit=None, resets_in=5 * 3600) == 0


def test_a_size_we_do_not_know_falls_back_to_the_reset_then_the_shortest() -> None:
    assert window_told(X_USER, limit=75, resets_in=5 * 3600) == 0
    assert window_told(X_USER, limit=75, resets_in=None) == 1
    assert window_told(X_USER, limit=None, resets_in=None) == 1
    # Later than any window resets: the longest that there is would be wrong
    # as surely as the shortest; the shortest is the safe (smallest) cap.
    assert window_told(X_USER, limit=None, resets_in=3 * DAY) == 1


def test_every_seeded_scope_has_a_window_to_be_told_about() -> None:
    for limits in LIMITS.values():
        for windows in (limits.account, limits.app):
            if windows:
                assert 0 <= window_told(windows, limit=None, resets_in=None) < len(windows)
    with pytest.raises(ValueError):
        window_told((), limit=None, resets_in=None)
