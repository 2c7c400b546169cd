"""Share lifecycle rules (pure domain)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from chorus_core.errors import FailedPrecondition, InvalidArgument
from scheduling_service.domain.shares import (
    NO_DAILY_CAP,
    Planning,
    Share,
    ShareMode,
    ShareStatus,
    due_time,
    network_name,
    requested_time,
    share_id_for,
)
from scheduling_service.domain.slots import ANY_TIME, Window
from scheduling_service.domain.translations import Translation

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def member(auto_share: bool = False, version: int = 1, language: str = "es") -> Share:
    return Share.for_member(
        tenant_id="t1",
        post_id="p1",
        post_version=version,
        employee_id="e1",
        network="bluesky",
        language=language,
        country="ES",
        timezone="Europe/Madrid",
        auto_share=auto_share,
        now=NOW,
    )


def test_share_id_is_stable_and_depends_on_every_part() -> None:
    base = share_id_for("t1", "p1", "e1", "bluesky")
    assert base == share_id_for("t1", "p1", "e1", "bluesky")
    others = {
        share_id_for("t2", "p1", "e1", "bluesky"),
        share_id_for("t1", "p2", "e1", "bluesky"),
        share_id_for("t1", "p1", "e2", "bluesky"),
        share_id_for("t1", "p1", "e1", "linkedin"),
    }
    assert base not in others and len(others) == 4


def test_member_without_auto_share_gets_a_suggestion() -> None:
    share = member()
    assert share.status is ShareStatus.SUGGESTED
    assert share.due_at is None


def test_member_with_auto_share_waits_for_the_planner() -> None:
    share = member(auto_share=True)
    assert share.status is ShareStatus.SUGGESTED and share.follows_planner
    slot = NOW + timedelta(hours=2)
    planned = share.planned_at(slot, NOW)
    assert (planned.status, planned.due_at, planned.planned) == (ShareStatus.SCHEDULED, slot, True)
    assert planned.follows_planner
    unplanned = planned.planned_at(None, NOW)  # no good slot any more
    assert (unplanned.status, unplanned.due_at) == (ShareStatus.SUGGESTED, None)


def test_a_time_the_employee_picked_is_not_the_planners() -> None:
    picked = member(auto_share=True).planned_at(NOW, NOW).schedule(NOW + timedelta(hours=1), NOW)
    assert not picked.planned and not picked.follows_planner
    assert not member().follows_planner  # no auto-share: never planned


def test_the_person_the_planner_sees() -> None:
    share = replace(member(), planning=Planning(sharing_hours="", daily_cap=0, region="eu-west"))
    person = share.person()
    assert person.hours == ANY_TIME  # the directory's empty hours: any time
    assert person.daily_cap == NO_DAILY_CAP  # the directory's 0: no limit
    assert share.group == "eu-west/bluesky"
    capped = replace(share, planning=Planning(sharing_hours="09:00-12:00", daily_cap=2))
    assert capped.person().daily_cap == 2
    assert str(capped.person().hours.end) == "12:00:00"
    with pytest.raises(InvalidArgument) as error:
        replace(share, planning=Planning(sharing_hours="9-5")).person()
    assert error.value.field == "sharing_hours"


def test_requested_time_now_at_and_next_good_slot() -> None:
    assert requested_time(ShareMode.NOW, None, NOW) == NOW
    later = NOW + timedelta(hours=3)
    assert requested_time(ShareMode.AT, later, NOW) == later
    assert requested_time(ShareMode.NEXT_GOOD_SLOT, None, NOW) is None


def test_requested_time_at_in_the_past_means_as_soon_as_possible() -> None:
    assert requested_time(ShareMode.AT, NOW - timedelta(minutes=5), NOW) == NOW


def test_requested_time_at_requires_at() -> None:
    with pytest.raises(InvalidArgument) as error:
        requested_time(ShareMode.AT, None, NOW)
    assert error.value.field == "at"


def test_requested_time_requires_a_mode() -> None:
    with pytest.raises(InvalidArgument) as error:
        requested_time(None, None, NOW)
    assert error.value.field == "mode"


def test_requested_time_rejects_more_than_a_year_ahead() -> None:
    with pytest.raises(InvalidArgument) as error:
        requested_time(ShareMode.AT, NOW + timedelta(days=400), NOW)
    assert error.value.field == "at"


def test_due_time_inside_the_posts_window() -> None:
    window = Window(NOW + timedelta(days=1), NOW + timedelta(days=2))
    # "Now" before valid_from waits for it; inside the window it is now.
    assert due_time(ShareMode.NOW, NOW, window) == window.start
    assert due_time(ShareMode.NOW, NOW, Window()) == NOW
    inside = NOW + timedelta(days=1, hours=1)
    assert due_time(ShareMode.AT, inside, window) == inside
    for outside in (NOW, NOW + timedelta(days=2), NOW + timedelta(days=3)):
        with pytest.raises(InvalidArgument) as error:
            due_time(ShareMode.AT, outside, window)
        assert error.value.field == "at"
    with pytest.raises(FailedPrecondition, match="expired"):
        due_time(ShareMode.NOW, NOW + timedelta(days=2), window)


def test_network_defaults_to_bluesky_and_rejects_unknown() -> None:
    assert network_name("network", "") == "bluesky"
    assert network_name("network", "LinkedIn") == "linkedin"
    with pytest.raises(InvalidArgument) as error:
        network_name("network", "myspace")
    assert error.value.field == "network"


def test_schedule_then_reschedule_moves_the_time() -> None:
    first = member().schedule(NOW + timedelta(hours=1), NOW)
    assert first.status is ShareStatus.SCHEDULED and first.due_at == NOW + timedelta(hours=1)
    second = first.schedule(NOW + timedelta(hours=2), NOW)
    assert second.due_at == NOW + timedelta(hours=2)


def test_schedule_a_due_share_returns_it_unchanged() -> None:
    due = replace(member(auto_share=True), status=ShareStatus.DUE)
    assert due.schedule(NOW + timedelta(hours=1), NOW) is due


def test_schedule_a_cancelled_share_names_the_state() -> None:
    cancelled = member().cancel(NOW)
    with pytest.raises(FailedPrecondition, match="cancelled"):
        cancelled.schedule(NOW, NOW)


def test_cancel_is_idempotent_and_refused_once_due() -> None:
    cancelled = member().cancel(NOW)
    assert cancelled.status is ShareStatus.CANCELLED
    assert cancelled.cancel(NOW) is cancelled
    due = replace(member(auto_share=True), status=ShareStatus.DUE)
    with pytest.raises(FailedPrecondition, match="due"):
        due.cancel(NOW)


def test_new_post_version_updates_an_open_share() -> None:
    share = member(version=1)
    newer = member(version=2, language="ca", auto_share=True)
    after = share.for_new_version(newer, NOW + timedelta(minutes=1))
    assert after.post_version == 2 and after.language == "ca"
    # The member now auto-shares: the planner's to schedule.
    assert after.status is ShareStatus.SUGGESTED and after.follows_planner


def test_new_post_version_keeps_the_time_and_takes_the_new_window() -> None:
    planned = member(auto_share=True).planned_at(NOW + timedelta(hours=1), NOW)
    window = Planning(valid_from=NOW, expires_at=NOW + timedelta(days=1), daily_cap=1)
    newer = replace(member(version=2, auto_share=True), planning=window)
    after = planned.for_new_version(newer, NOW)
    assert (after.due_at, after.planned, after.planning) == (planned.due_at, True, window)


def test_new_post_version_leaves_due_and_cancelled_shares_alone() -> None:
    due = replace(member(auto_share=True), status=ShareStatus.DUE)
    assert due.for_new_version(member(version=2), NOW) is due
    cancelled = member().cancel(NOW)
    assert cancelled.for_new_version(member(version=2), NOW) is cancelled


def test_same_or_older_version_changes_nothing() -> None:
    share = member(version=2)
    assert share.for_new_version(member(version=2, language="ca"), NOW) is share
    assert share.for_new_version(member(version=1), NOW) is share


def test_translation_prefers_the_network_text() -> None:
    t = Translation(
        "t1",
        "p1",
        1,
        "es",
        body="Cuerpo",
        link="https://x.test",
        network_texts={"bluesky": "Corto"},
    )
    assert t.text_for("bluesky") == "Corto"
    assert t.text_for("linkedin") == "Cuerpo"
    blank = replace(t, network_texts={"bluesky": "  "})
    assert blank.text_for("bluesky") == "Cuerpo"
