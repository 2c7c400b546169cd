"""The call context: the principal of the work in progress, its token, and
who caused it (current_actor_ref), which the outbox writes as ce_actor."""

from __future__ import annotations

import asyncio

import pytest
from chorus_core.errors import Unauthenticated
from chorus_identity.context import (
    acting_as,
    current_actor_ref,
    current_principal,
    current_token,
    maybe_principal,
)
from chorus_identity.principal import Role, service, user

ALICE = user("alice-sub", "t1", Role.EMPLOYEE)
PUBLISHING = service("publishing")


def test_no_identity_outside_a_call() -> None:
    assert maybe_principal() is None
    assert current_token() == ""
    with pytest.raises(Unauthenticated):
        current_principal()


def test_acting_as_sets_and_restores() -> None:
    with acting_as(ALICE, "tok-a"):
        assert current_principal() == ALICE and current_token() == "tok-a"
        with acting_as(PUBLISHING):
            assert current_principal() == PUBLISHING and current_token() == ""
        assert current_principal() == ALICE and current_token() == "tok-a"
    assert maybe_principal() is None


def test_the_actor_is_the_caller_in_a_call() -> None:
    assert current_actor_ref() == ""
    assert current_actor_ref("service:scheduling") == "service:scheduling"
    with acting_as(ALICE, "tok"):
        assert current_actor_ref("service:scheduling") == "user:alice-sub"


def test_inside_a_consumer_the_actor_is_the_events() -> None:
    with acting_as(PUBLISHING, actor="user:alice-sub"):
        assert current_principal() == PUBLISHING  # handlers run as the service
        assert current_actor_ref("service:publishing") == "user:alice-sub"
    with acting_as(PUBLISHING):  # an event that named nobody
        assert current_actor_ref() == "service:publishing"


def test_a_nested_unit_of_work_does_not_inherit_the_actor() -> None:
    with acting_as(PUBLISHING, actor="user:alice-sub"):
        with acting_as(user("bob-sub", "t1")):
            assert current_actor_ref() == "user:bob-sub"
        with acting_as(service("metrics")):
            assert current_actor_ref() == "service:metrics"
        assert current_actor_ref() == "user:alice-sub"


async def test_concurrent_tasks_keep_their_own_identity() -> None:
    seen: dict[str, str] = {}

    async def work(name: str, actor: str) -> None:
        with acting_as(PUBLISHING, actor=actor):
            await asyncio.sleep(0.01)  # interleave with the other task
            seen[name] = current_actor_ref()

    await asyncio.gather(work("a", "user:a"), work("b", "user:b"))
    assert seen == {"a": "user:a", "b": "user:b"}
