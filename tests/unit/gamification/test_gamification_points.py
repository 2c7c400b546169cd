"""Points rules (pure domain)."""

from __future__ import annotations

import pytest
from chorus_core.errors import InvalidArgument
from gamification_service.domain import points
from gamification_service.domain.points import Reason


def test_a_published_share_earns_ten_points_for_its_sharer() -> None:
    award = points.for_share_published("t1", "emp-1", "share-1")
    assert (award.tenant_id, award.employee_id, award.points) == ("t1", "emp-1", 10)
    assert (award.reason, award.source_id) == (Reason.SHARE_PUBLISHED, "share-1")
    assert award.reason.value == "share_published"


def test_a_click_earns_two_points_for_the_sharer_keyed_by_the_click() -> None:
    award = points.for_link_clicked("t1", "emp-1", "click-9")
    assert (award.employee_id, award.points, award.reason.value, award.source_id) == (
        "emp-1",
        2,
        "link_clicked",
        "click-9",
    )


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("", "emp", "s"), "tenant_id"),
        (("t", " ", "s"), "employee_id"),
        (("t", "emp", ""), "share_id"),
    ],
)
def test_share_award_names_the_missing_field(args: tuple[str, str, str], field: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        points.for_share_published(*args)
    assert raised.value.field == field


def test_click_award_without_a_click_id_is_rejected() -> None:
    with pytest.raises(InvalidArgument) as raised:
        points.for_link_clicked("t", "emp", "")
    assert raised.value.field == "click_id"


def test_every_reason_has_a_positive_rule() -> None:
    assert set(points.POINTS_FOR) == set(Reason)
    assert all(value > 0 for value in points.POINTS_FOR.values())
