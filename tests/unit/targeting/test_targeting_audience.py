"""The audience rule's inputs, batching and batch ids."""

from __future__ import annotations

import pytest
from chorus_core.errors import InvalidArgument
from targeting_service.domain.audience import (
    MAX_BATCH,
    AudienceCounts,
    AudienceRule,
    Member,
    batch_count,
    batch_id,
    batches,
)


def test_rule_normalises_and_deduplicates_targeting() -> None:
    rule = AudienceRule.of("eu-west", ["es", " FR", "ES"], ["Sales", "Sales "])
    assert rule == AudienceRule("eu-west", ("ES", "FR"), ("Sales",))


@pytest.mark.parametrize(
    ("countries", "departments", "field"),
    [
        (["Spain"], [], "targeting.countries"),
        (["ZZ"], [], "targeting.countries"),
        ([], [" "], "targeting.departments"),
    ],
)
def test_rule_refuses_bad_targeting(
    countries: list[str], departments: list[str], field: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        AudienceRule.of("eu-west", countries, departments)
    assert caught.value.field == field


@pytest.mark.parametrize(("total", "expected"), [(0, 0), (1, 1), (1000, 1), (1001, 2), (2500, 3)])
def test_batch_count(total: int, expected: int) -> None:
    assert batch_count(total) == expected


def test_batches_never_exceed_the_maximum_and_keep_everyone() -> None:
    members = [Member(f"e{i:05d}", "en", "UTC", "GB", False) for i in range(2 * MAX_BATCH + 7)]
    chunks = list(batches(members))
    assert [len(c) for c in chunks] == [MAX_BATCH, MAX_BATCH, 7]
    assert [m for c in chunks for m in c] == members


def test_batch_id_is_stable_and_distinct() -> None:
    assert batch_id("t", "p", 1, 0) == batch_id("t", "p", 1, 0)
    assert (
        len(
            {
                batch_id("t", "p", 1, 0),
                batch_id("t", "p", 1, 1),
                batch_id("t", "p", 2, 0),
                batch_id("u", "p", 1, 0),
            }
        )
        == 4
    )


def test_counts_fold_country_language_groups() -> None:
    counts = AudienceCounts.from_groups(
        [("ES", "es", 5), ("ES", "ca", 2), ("US", "en", 4), ("GB", "en", 1)]
    )
    assert counts == AudienceCounts(12, {"es": 5, "ca": 2, "en": 5}, {"ES": 7, "US": 4, "GB": 1})
