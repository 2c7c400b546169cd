"""merge_by_topic: one consumer per topic, its policies merged, conflicts
refused at start-up (a wiring bug, not something to guess about)."""

from __future__ import annotations

import pytest
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling
from chorus_messaging import EventContext, Subscription
from chorus_messaging.consumer import RetryPolicy
from chorus_messaging.subscriptions import merge_by_topic


async def on_due(event: scheduling.ShareDue, ctx: EventContext) -> None:
    del event, ctx


async def on_cancelled(event: scheduling.ShareCancelled, ctx: EventContext) -> None:
    del event, ctx


def test_one_topic_two_subscriptions_become_one_with_both_handlers_and_policies() -> None:
    retry = RetryPolicy(attempts=6)
    [merged] = merge_by_topic(
        [
            Subscription("t", {scheduling.ShareDue: on_due}, in_flight=16),
            Subscription("t", {scheduling.ShareCancelled: on_cancelled}, retry=retry),
        ]
    )
    assert merged.handlers == {
        scheduling.ShareDue: on_due,
        scheduling.ShareCancelled: on_cancelled,
    }
    assert merged.retry == retry
    assert merged.in_flight == 16


def test_an_event_type_handled_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="handled twice"):
        merge_by_topic(
            [Subscription("t", {scheduling.ShareDue: on_due})] * 2,
        )


def test_two_in_flight_limits_for_one_topic_are_refused() -> None:
    with pytest.raises(ValueError, match="two different in-flight limits"):
        merge_by_topic(
            [
                Subscription("t", {scheduling.ShareDue: on_due}, in_flight=16),
                Subscription("t", {scheduling.ShareCancelled: on_cancelled}, in_flight=4),
            ]
        )
