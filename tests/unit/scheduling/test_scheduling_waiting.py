"""Why an open share waits, and the per-language groups (pure)."""

from __future__ import annotations

from scheduling_service.domain.waiting import (
    TextState,
    WaitingReason,
    group_waiting,
    waiting_reason,
)


def test_waiting_reasons_in_the_order_a_text_meets_them() -> None:
    assert waiting_reason(TextState()) is WaitingReason.TRANSLATION
    assert waiting_reason(TextState(held_for_human=True)) is WaitingReason.HUMAN_TRANSLATION
    assert waiting_reason(TextState(text_digest="a")) is WaitingReason.CHARTER_CHECK
    # A human translation delivered for a held language: its own check next.
    assert waiting_reason(TextState("a", held_for_human=True)) is WaitingReason.CHARTER_CHECK
    # A verdict on an older text does not count for the new one.
    assert waiting_reason(TextState("b", cleared=True, verdict_digest="a")) is (
        WaitingReason.CHARTER_CHECK
    )
    assert waiting_reason(TextState("a", cleared=False, verdict_digest="a")) is (
        WaitingReason.CHARTER_HELD
    )
    assert waiting_reason(TextState("a", cleared=True, verdict_digest="a")) is None


def test_groups_count_every_share_and_list_the_first_ids() -> None:
    shares = [("s1", 1, "de"), ("s2", 1, "de"), ("s3", 1, "de"), ("s4", 1, "es"), ("s5", 2, "es")]
    states = {
        (1, "de"): TextState(held_for_human=True),
        (1, "es"): TextState("a", cleared=True, verdict_digest="a"),
    }
    groups = group_waiting(shares, states, max_ids=2)
    assert [(g.language, g.reason, g.count, g.share_ids) for g in groups] == [
        ("de", WaitingReason.HUMAN_TRANSLATION, 3, ["s1", "s2"]),
        ("es", WaitingReason.TRANSLATION, 1, ["s5"]),  # version 2 has no text yet
    ]
