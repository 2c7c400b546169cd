"""Personalisation against the parrot effect (pure domain): the even,
stable spread of variants over employees, the text a share posts, an
employee's choice and own text, and how a charter refusal is worded."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from chorus_core.errors import FailedPrecondition, InvalidArgument
from scheduling_service.domain.personal import (
    MAX_TEXT_CHARACTERS,
    CharterFinding,
    chosen_variant,
    edited_text,
    refusal,
    shared_text,
    spread_variant,
    variant_of,
)
from scheduling_service.domain.shares import Share, ShareStatus
from scheduling_service.domain.translations import Translation

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
VARIANTS = ("Uno", "Dos", "Tres")


def share(employee: str = "e1", network: str = "x", **changes: object) -> Share:
    made = Share.for_member(
        tenant_id="t1",
        post_id="p1",
        post_version=1,
        employee_id=employee,
        network=network,
        language="es",
        country="ES",
        timezone="Europe/Madrid",
        auto_share=False,
        now=NOW,
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def text(variants: tuple[str, ...] = VARIANTS) -> Translation:
    return Translation(
        tenant_id="t1",
        post_id="p1",
        version=1,
        language="es",
        body="Cuerpo",
        link="https://example.com",
        network_texts={"x": "Corto"},
        network_variants={"x": variants} if variants else {},
    )


@pytest.mark.parametrize("count", [2, 3, 5, 7])
def test_the_spread_is_even_over_many_employees(count: int) -> None:
    employees = 6000
    spread = Counter(spread_variant("p1", f"employee-{i}", "x", count) for i in range(employees))
    assert sorted(spread) == list(range(count))
    expected = employees / count
    # A fair hash: every variant within 10% of its share (the binomial spread
    # at these sizes is about 2%; a biased or constant pick is far outside).
    assert all(abs(n - expected) < 0.1 * expected for n in spread.values()), spread


def test_the_spread_is_stable_and_depends_on_post_employee_and_network() -> None:
    # A fixed value: SHA-256 of the three ids, never Python's salted hash(),
    # so every process and release gives an employee the same variant.
    assert spread_variant("p1", "e1", "x", 1_000_003) == 141_996
    picks = {
        spread_variant(post, employee, network, 1_000_003)
        for post, employee, network in [
            ("p1", "e1", "x"),
            ("p2", "e1", "x"),
            ("p1", "e2", "x"),
            ("p1", "e1", "bluesky"),
        ]
    }
    assert len(picks) == 4  # each part of the key moves it
    # Colleagues on one post get different variants: not everyone the first.
    assert len({spread_variant("p1", f"e{i}", "x", 3) for i in range(20)}) == 3
    with pytest.raises(ValueError):
        spread_variant("p1", "e1", "x", 0)


def test_what_a_share_posts() -> None:
    spread = spread_variant("p1", "e1", "x", 3)
    given = shared_text(share(), text())
    assert (given.text, given.variant, given.edited) == (VARIANTS[spread], spread, False)
    chosen = shared_text(share(variant=2), text())
    assert (chosen.text, chosen.variant, chosen.edited) == ("Tres", 2, False)
    edited = shared_text(share(variant=2, edited_text="¡Mi texto!"), text())
    assert (edited.text, edited.variant, edited.edited) == ("¡Mi texto!", 2, True)
    # No variants for the network: the network text, else the body, as before.
    plain = shared_text(share(), text(()))
    assert (plain.text, plain.variant, plain.edited) == ("Corto", None, False)
    assert shared_text(share(network="linkedin"), text()).text == "Cuerpo"
    mine = shared_text(share(edited_text="Mío"), text(()))
    assert (mine.text, mine.variant, mine.edited) == ("Mío", None, True)


def test_a_choice_the_text_no_longer_has_falls_back_to_the_spread() -> None:
    assert variant_of(share(variant=5), text()) == spread_variant("p1", "e1", "x", 3)
    assert variant_of(share(variant=1), text(())) is None


def test_an_employees_choice_is_checked_against_the_variants() -> None:
    assert chosen_variant(2, text(), share()) == 2
    with pytest.raises(InvalidArgument, match="between 0 and 2") as out_of_range:
        chosen_variant(3, text(), share())
    assert out_of_range.value.field == "variant"
    with pytest.raises(InvalidArgument, match="negative"):
        chosen_variant(-1, text(), share())
    with pytest.raises(InvalidArgument, match="no text variants for x"):
        chosen_variant(0, text(()), share())
    with pytest.raises(FailedPrecondition, match="not arrived yet"):
        chosen_variant(0, None, share())


def test_an_edited_text_blank_means_none_and_has_a_ceiling() -> None:
    assert edited_text("  \n") == ""
    assert edited_text(" Mi texto ") == " Mi texto "
    with pytest.raises(InvalidArgument) as too_long:
        edited_text("a" * (MAX_TEXT_CHARACTERS + 1))
    assert too_long.value.field == "text"


def test_a_refusal_names_the_rule() -> None:
    assert refusal([CharterFinding("hashtags.required", False, "missing #x")], "x") is None
    blocked = refusal(
        [
            CharterFinding("hashtags.required", False, "missing #x"),
            CharterFinding("blocked-term.es", True, "blocked term 'gratis'", "remove or rephrase"),
        ],
        "x",
    )
    assert blocked is not None and blocked.field == "text"
    assert blocked.reason == (
        "breaks the charter rule blocked-term.es: blocked term 'gratis'; remove or rephrase"
    )
    # Too long is refused even when the charter only warns about it.
    long = refusal([CharterFinding("max-length.x", False, "290 weighted characters")], "x")
    assert long is not None and long.field == "text" and "max-length.x" in long.reason


def test_personalising_a_share() -> None:
    open_share = share()
    assert open_share.personalised(None, None, NOW) is open_share
    chosen = open_share.personalised(1, "Mío", NOW)
    assert (chosen.variant, chosen.edited_text) == (1, "Mío")
    assert chosen.personalised(None, None, NOW) is chosen  # unset: as it is
    assert chosen.personalised(None, "", NOW).edited_text == ""  # back to the team's text
    due = replace(chosen, status=ShareStatus.DUE)
    assert due.personalised(1, "Mío", NOW) is due  # a retry asks for what it is
    with pytest.raises(FailedPrecondition, match="share is due"):
        due.personalised(None, "Otro", NOW)
    with pytest.raises(FailedPrecondition, match="cancelled"):
        replace(chosen, status=ShareStatus.CANCELLED).personalised(0, None, NOW)


def test_a_new_version_drops_the_edited_text_and_keeps_the_choice() -> None:
    mine = share(variant=1, edited_text="Mío")
    newer = mine.for_new_version(replace(share(), post_version=2), NOW)
    assert (newer.post_version, newer.variant, newer.edited_text) == (2, 1, "")
