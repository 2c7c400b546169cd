"""Why an open share cannot go out yet. Pure: no I/O.

A share fires when its time has come and the text in its language is here
and cleared by content's charter check (adapters.repository.claim_due). Until
then it waits, and the comms team should see on what: a language the engine
cannot produce and the tenant holds for a human translation must not look
like a translation that is merely slow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class WaitingReason(StrEnum):
    TRANSLATION = "translation"  # no text for the language yet
    HUMAN_TRANSLATION = "human_translation"  # the engine cannot; held for a human
    CHARTER_CHECK = "charter_check"  # text here, no cleared verdict on it yet
    CHARTER_HELD = "charter_held"  # content's per-locale check held the text


@dataclass(frozen=True)
class TextState:
    """What scheduling knows about one (post version, language)."""

    text_digest: str | None = None  # None: no text stored
    held_for_human: bool = False
    cleared: bool | None = None  # content's newest verdict; None: none yet
    verdict_digest: str = ""  # the text that verdict was given on


def waiting_reason(state: TextState) -> WaitingReason | None:
    """None: nothing in the text stops the share (it waits only for its time
    or the employee's choice)."""
    if state.text_digest is None:
        # A text delivered later (a human translation) ends the hold.
        return (
            WaitingReason.HUMAN_TRANSLATION if state.held_for_human else WaitingReason.TRANSLATION
        )
    if state.cleared is None or state.verdict_digest != state.text_digest:
        return WaitingReason.CHARTER_CHECK  # a corrected text waits for its own verdict
    if not state.cleared:
        return WaitingReason.CHARTER_HELD
    return None


@dataclass
class WaitingGroup:
    """The waiting shares of one post in one language, for one reason."""

    language: str
    reason: WaitingReason
    count: int = 0
    share_ids: list[str] = field(default_factory=list)  # the first max_ids, in id order


def group_waiting(
    shares: list[tuple[str, int, str]], states: dict[tuple[int, str], TextState], max_ids: int
) -> list[WaitingGroup]:
    """shares: (share_id, post_version, language) of the open shares, in id
    order; states by (version, language). Groups sorted by language, reason."""
    groups: dict[tuple[str, WaitingReason], WaitingGroup] = {}
    for share_id, version, language in shares:
        reason = waiting_reason(states.get((version, language), TextState()))
        if reason is None:
            continue
        group = groups.setdefault((language, reason), WaitingGroup(language, reason))
        group.count += 1
        if len(group.share_ids) < max_ids:
            group.share_ids.append(share_id)
    return [groups[k] for k in sorted(groups)]
