"""Personalisation against the parrot effect: which words a share posts.
Pure: no I/O.

The comms team may give several text variants per network; each employee
posts one of them: the one they chose (ScheduleShare.variant), else their
spread one, a stable hash of (post, employee, network) modulo the number of
variants, so colleagues sharing one post say it in different words, about
as many of them in each, and a redelivered event or a restarted timer gives
everyone the same one again. An employee may also write their own text
(ScheduleShare.text); content checks it against the charter in the share's
language before it is kept (app/use_cases.py), and a refusal names the rule.

What goes out: the edited text, else the variant, else the translated
network text (or the body).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from chorus_core.errors import FailedPrecondition, InvalidArgument

from scheduling_service.domain.shares import Share
from scheduling_service.domain.translations import Translation

# No network takes more (Facebook's 63,206 is the longest); a longer text is
# refused before anyone is asked to count it the network's way.
MAX_TEXT_CHARACTERS = 65_536


def spread_variant(post_id: str, employee_id: str, network: str, count: int) -> int:
    """The variant an employee who chose none posts: stable across
    processes and releases (SHA-256, not Python's salted hash()), and even
    over many employees."""
    if count <= 0:
        raise ValueError("no variants to spread")
    digest = hashlib.sha256("\x1f".join((post_id, employee_id, network)).encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def variant_of(share: Share, translation: Translation) -> int | None:
    """The variant the share posts (None: the network has none). A choice
    the text no longer has (a newer version with fewer) falls back to the
    spread one rather than to no variant at all."""
    count = len(translation.variants_for(share.network))
    if not count:
        return None
    if share.variant is not None and share.variant < count:
        return share.variant
    return spread_variant(share.post_id, share.employee_id, share.network, count)


@dataclass(frozen=True)
class SharedText:
    """What a due share posts, and what it was made from (ShareDue says both)."""

    text: str
    variant: int | None  # the comms team's variant it is, or was edited from
    edited: bool  # the employee's own wording


def shared_text(share: Share, translation: Translation) -> SharedText:
    variant = variant_of(share, translation)
    if share.edited_text:
        return SharedText(share.edited_text, variant, True)
    if variant is not None:
        return SharedText(translation.variants_for(share.network)[variant], variant, False)
    return SharedText(translation.text_for(share.network), None, False)


def chosen_variant(index: int, translation: Translation | None, share: Share) -> int:
    """An employee's choice, checked against the variants their text has."""
    if index < 0:
        raise InvalidArgument("variant", "must not be negative")
    if translation is None:
        raise FailedPrecondition(
            f"variant: the share's text in {share.language!r} has not arrived yet; "
            "choose a variant once it has"
        )
    count = len(translation.variants_for(share.network))
    if not count:
        raise InvalidArgument("variant", f"the post has no text variants for {share.network}")
    if index >= count:
        raise InvalidArgument(
            "variant", f"must be between 0 and {count - 1}: {share.network} has {count} variants"
        )
    return index


def edited_text(text: str) -> str:
    """The employee's own wording; blank means back to the comms team's text."""
    if len(text) > MAX_TEXT_CHARACTERS:
        raise InvalidArgument("text", f"must be at most {MAX_TEXT_CHARACTERS} characters")
    return text if text.strip() else ""


@dataclass(frozen=True)
class CharterFinding:
    """One violation content's charter check found in an edited text."""

    rule_id: str
    blocking: bool
    message: str
    suggestion: str = ""


def refusal(findings: Sequence[CharterFinding], network: str) -> InvalidArgument | None:
    """Why an edited text may not go out, naming the rule; None: it may. A
    text over the network's limit (content counts it the network's way:
    graphemes, weighted characters, URLs as 23) is refused whatever severity
    the charter gives that rule, since the network would refuse it anyway."""
    for finding in findings:
        if finding.rule_id.startswith("max-length."):
            return InvalidArgument(
                "text", f"too long for {network}: {finding.message} (rule {finding.rule_id})"
            )
    refusing = [f for f in findings if f.blocking]
    if not refusing:
        return None
    first = refusing[0]
    advice = f"; {first.suggestion}" if first.suggestion else ""
    more = f" (and {len(refusing) - 1} more)" if len(refusing) > 1 else ""
    return InvalidArgument(
        "text", f"breaks the charter rule {first.rule_id}: {first.message}{advice}{more}"
    )
