"""The acting principal on events: the outbox stores current_actor_ref()
(the caller, the event being handled's actor, else the service itself),
the envelope sends it as ce_actor and parses it back (optional; a value
that is not a Principal.ref is dropped, never trusted)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from chorus.content.v1 import content_events_pb2 as events
from chorus_db import Database, migrate
from chorus_identity.context import acting_as
from chorus_identity.principal import Role, service, user
from chorus_messaging import MESSAGING_SCHEMA, Envelope, Outbox, OutboxMessage
from sqlalchemy import select
from sqlmodel import col


def envelope(actor: str = "") -> Envelope:
    when = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    return Envelope("id-1", "chorus.x.v1.X", "chorus/x@eu-west", when, "p1", "t1", actor)


def test_the_actor_round_trips_as_ce_actor() -> None:
    sent = envelope("user:3f0c9d2e-7b1a-4c55-9e2f-0d6f1a2b3c4d")
    headers = sent.to_headers()
    assert headers["ce_actor"] == "user:3f0c9d2e-7b1a-4c55-9e2f-0d6f1a2b3c4d"
    assert Envelope.from_headers(headers) == sent


def test_no_actor_no_header() -> None:
    headers = envelope().to_headers()
    assert "ce_actor" not in headers
    assert Envelope.from_headers(headers).actor == ""


@pytest.mark.parametrize(
    "value",
    ["alice@example.com", "user:", "robot:r2", "service:" + "x" * 300, "Alice Smith"],
)
def test_a_header_that_is_no_principal_ref_is_dropped(value: str) -> None:
    headers = {**envelope().to_headers(), "ce_actor": value}
    assert Envelope.from_headers(headers).actor == ""


async def test_the_outbox_stores_who_caused_each_event(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/outbox.db")
    await migrate(db, MESSAGING_SCHEMA)
    outbox = Outbox("chorus/scheduling@eu-west")
    event = events.PostApproved(tenant_id="t1")
    try:
        async with db.transaction() as session:
            with acting_as(user("emp-sub", "t1", Role.EMPLOYEE), "tok"):
                outbox.add(session, topic="t", key="k1", event=event, tenant_id="t1")
            with acting_as(service("scheduling"), actor="user:emp-sub"):
                outbox.add(session, topic="t", key="k2", event=event, tenant_id="t1")
            with acting_as(service("scheduling")):  # an event that named nobody
                outbox.add(session, topic="t", key="k3", event=event, tenant_id="t1")
            outbox.add(session, topic="t", key="k4", event=event, tenant_id="t1")  # a timer
        async with db.session() as session:
            rows = (
                await session.execute(select(OutboxMessage).order_by(col(OutboxMessage.seq)))
            ).scalars()
            actors = {row.key: row.actor for row in rows}
    finally:
        await db.dispose()
    assert actors == {
        "k1": "user:emp-sub",
        "k2": "user:emp-sub",
        "k3": "service:scheduling",
        "k4": "service:scheduling",
    }
