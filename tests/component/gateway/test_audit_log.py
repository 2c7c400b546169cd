"""The audit trail end to end inside one process: chorus_messaging.audit.record
writes the entry in the caller's transaction (who, what, before -> after,
request id, trace id), the gateway's consumer keeps it, and tenant admins
read it back over HTTP (filters, cursor pages, CSV) — nobody else, and no
other tenant."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus_core.clock import utcnow
from chorus_db import Database, migrate
from chorus_identity import acting_as
from chorus_identity.principal import Role, user
from chorus_messaging import MESSAGING_SCHEMA, Outbox
from chorus_messaging.audit import digest, record
from chorus_messaging.consumer import AlreadyProcessed
from chorus_messaging.topics import AUDIT
from chorus_testing.events import event_context, outbox_events, outbox_rows
from gateway_service import composition
from gateway_service.entrypoints import kafka_handlers
from opentelemetry.sdk.trace import TracerProvider

from tests.component.gateway.webhooks_support import TENANT, admin, db_of, member, relay_audit

if TYPE_CHECKING:
    from tests.component.gateway.conftest import Gateway

ALICE = user("alice-sub", TENANT, Role.TENANT_ADMIN)
BOB = user("bob-sub", TENANT, Role.COMMS_MANAGER)


@pytest.fixture
async def service_db(tmp_path: Path) -> Any:
    db = Database(f"sqlite:///{tmp_path}/service.sqlite")
    await migrate(db, MESSAGING_SCHEMA)
    yield db
    await db.dispose()


async def test_record_writes_the_entry_in_the_callers_transaction(service_db: Database) -> None:
    outbox = Outbox("chorus/content@eu-west")
    tracer = TracerProvider().get_tracer("test")
    with acting_as(ALICE), tracer.start_as_current_span("SetCharter") as span:
        async with service_db.transaction() as session:
            audit_id = record(
                session,
                outbox,
                tenant_id=TENANT,
                action="charter.set",
                target_type="charter",
                target_id=TENANT,
                before={"version": 3, "blocked_phrases": 2, "text": "x" * 200},
                after={"version": 4, "blocked_phrases": 2, "text": "y" * 200},
                request_id="req-1",
            )
    [row] = await outbox_rows(service_db, topic=AUDIT)
    assert (row.key, row.tenant_id, row.ce_subject) == (TENANT, TENANT, audit_id)
    [event] = await outbox_events(service_db, audit_events.AuditRecorded)
    assert (event.audit_id, event.tenant_id, event.actor) == (audit_id, TENANT, "user:alice-sub")
    assert (event.action, event.target_type, event.target_id) == ("charter.set", "charter", TENANT)
    assert (event.request_id, event.service) == ("req-1", "content")
    assert event.trace_id == format(span.get_span_context().trace_id, "032x")
    assert abs(event.occurred_at.ToDatetime().timestamp() - utcnow().timestamp()) < 60
    # Only what changed; long text only as a digest.
    assert json.loads(event.summary) == {
        "version": [3, 4],
        "text": [digest("x" * 200), digest("y" * 200)],
    }


async def test_no_entry_when_the_change_rolls_back(service_db: Database) -> None:
    outbox = Outbox("chorus/targeting@eu-west")
    with pytest.raises(RuntimeError):
        async with service_db.transaction() as session:
            record(
                session,
                outbox,
                tenant_id=TENANT,
                action="role.grant",
                target_type="subject",
                target_id="bob-sub",
                before=None,
                after={"roles": ["reviewer"]},
                request_id="",
            )
            raise RuntimeError("the change failed")
    assert await outbox_rows(service_db, topic=AUDIT) == []


async def test_work_nobody_asked_for_is_the_services_own(service_db: Database) -> None:
    async with service_db.transaction() as session:
        record(
            session,
            Outbox("chorus/targeting@eu-west"),
            tenant_id=TENANT,
            action="directory.import",
            target_type="directory",
            target_id=TENANT,
            before=None,
            after={"rows": 10, "created": 3},
            request_id="",
        )
    [event] = await outbox_events(service_db, audit_events.AuditRecorded)
    assert (event.actor, event.trace_id) == ("service:targeting", "")
    assert json.loads(event.summary) == {"created": [None, 3], "rows": [None, 10]}


@pytest.mark.parametrize(
    ("action", "value", "error"),
    [
        ("Charter Set", 1, ValueError),  # not <object>.<verb>
        ("charter.set", {"nested": "dict"}, TypeError),  # values are scalars or flat lists
    ],
)
async def test_bad_entries_are_refused(
    service_db: Database, action: str, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        async with service_db.transaction() as session:
            record(
                session,
                Outbox("chorus/content@eu-west"),
                tenant_id=TENANT,
                action=action,
                target_type="charter",
                target_id=TENANT,
                before=None,
                after={"field": value},
                request_id="",
            )


async def _record_entries(gw: Gateway) -> list[datetime]:
    """Four entries by two people into the gateway's outbox; their times."""
    db = db_of(gw)
    outbox = Outbox("chorus/content@eu-west")
    times = []
    for who, action, target in (
        (ALICE, "charter.set", ("charter", TENANT)),
        (BOB, "channel.update", ("channel", "ch-1")),
        (ALICE, "approval_chain.set", ("approval_chain", "job_offer")),
        (ALICE, "charter.set", ("charter", TENANT)),
    ):
        times.append(utcnow())
        with acting_as(who):
            async with db.transaction() as session:
                record(
                    session,
                    outbox,
                    tenant_id=TENANT,
                    action=action,
                    target_type=target[0],
                    target_id=target[1],
                    before={"version": 1},
                    after={"version": 2},
                    request_id=f"req-{len(times)}",
                )
    await relay_audit(gw)
    return times


async def audit(gw: Gateway, path: str = "/v1/audit", **query: Any) -> dict[str, Any]:
    answer = await gw.client.get(path, params=query, headers=admin(gw))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_admins_read_the_log_newest_first_filtered_and_paged(gw: Gateway) -> None:
    times = await _record_entries(gw)
    everything = (await audit(gw))["items"]
    assert [e["request_id"] for e in everything] == ["req-4", "req-3", "req-2", "req-1"]
    first = everything[-1]
    assert (first["actor"], first["action"], first["service"]) == (
        "user:alice-sub",
        "charter.set",
        "content",
    )
    assert first["summary"] == {"version": [1, 2]}
    by_action = (await audit(gw, action="charter.set"))["items"]
    assert [e["request_id"] for e in by_action] == ["req-4", "req-1"]
    by_actor = (await audit(gw, actor="user:bob-sub"))["items"]
    assert [e["request_id"] for e in by_actor] == ["req-2"]
    by_target = (await audit(gw, target_type="approval_chain", target_id="job_offer"))["items"]
    assert [e["request_id"] for e in by_target] == ["req-3"]
    window = await audit(gw, since=times[1].isoformat(), until=times[3].isoformat())
    assert [e["request_id"] for e in window["items"]] == ["req-3", "req-2"]
    # Cursor pages: two by two, then the end.
    page = await audit(gw, limit=2)
    assert [e["request_id"] for e in page["items"]] == ["req-4", "req-3"]
    answer = await gw.client.get(page["next"], headers=admin(gw))
    assert [e["request_id"] for e in answer.json()["items"]] == ["req-2", "req-1"]
    assert answer.json()["next"] is None
    # A cursor of one filter is refused by another.
    tampered = page["next"].replace("limit=2", "limit=2&action=charter.set")
    assert (await gw.client.get(tampered, headers=admin(gw))).status_code == 400


async def test_the_csv_export_has_the_same_filters(gw: Gateway) -> None:
    await _record_entries(gw)
    answer = await gw.client.get(
        "/v1/audit.csv", params={"actor": "user:alice-sub"}, headers=admin(gw)
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["request_id"] for r in rows] == ["req-4", "req-3", "req-1"]
    assert rows[0]["summary"] == '{"version":[1,2]}'
    assert rows[0]["action"] == "charter.set" and rows[0]["trace_id"] == ""


@pytest.mark.parametrize("role", ["comms_manager", "reviewer", "moderator", "employee"])
async def test_only_tenant_admins_read_the_log(gw: Gateway, role: str) -> None:
    await _record_entries(gw)
    for path in ("/v1/audit", "/v1/audit.csv"):
        answer = await gw.client.get(path, headers=member(gw, role))
        assert answer.status_code == 403
        assert "charter" not in answer.text


async def test_another_tenant_sees_none_of_it(gw: Gateway) -> None:
    await _record_entries(gw)
    other = admin(gw, tenant="globex", subject="admin-globex")
    answer = await gw.client.get("/v1/audit", headers=other)
    assert answer.json() == {"items": [], "next": None}
    csv_answer = await gw.client.get("/v1/audit.csv", headers=other)
    assert csv_answer.text.strip().count("\n") == 0  # the header only
    # A cursor of tenant acme's list is refused for globex.
    page = await audit(gw, limit=1)
    assert (await gw.client.get(page["next"], headers=other)).status_code == 400


async def test_a_redelivered_entry_is_kept_once(gw: Gateway) -> None:
    await _record_entries(gw)
    [row, *_] = await outbox_rows(db_of(gw), topic=AUDIT)
    event = audit_events.AuditRecorded.FromString(row.payload)
    assert gw.deps.audit_log is not None
    [sub] = [
        s
        for s in kafka_handlers.subscriptions(gw.deps.audit_log, composition.webhook_intake())
        if s.topic == AUDIT
    ]
    # The consumer already handled this ce_id (relay_audit): the inbox refuses it.
    ctx = event_context(db_of(gw), event, TENANT, row.ce_id, consumer=f"gateway:{AUDIT}")
    with pytest.raises(AlreadyProcessed):
        await sub.handlers[audit_events.AuditRecorded](event, ctx)
    # Even under a new ce_id (a producer replaying its outbox), the entry is kept once.
    await sub.handlers[audit_events.AuditRecorded](
        event, event_context(db_of(gw), event, TENANT, consumer=f"gateway:{AUDIT}")
    )
    assert len((await audit(gw))["items"]) == 4


async def test_time_filters_need_a_time_zone(gw: Gateway) -> None:
    naive = (utcnow() - timedelta(hours=1)).replace(tzinfo=None).isoformat()
    answer = await gw.client.get("/v1/audit", params={"since": naive}, headers=admin(gw))
    assert answer.status_code == 400
    assert answer.json()["errors"] == [{"field": "query.since", "reason": "add Z or an offset"}]


async def test_role_grants_made_in_the_gateway_are_audited(gw: Gateway) -> None:
    grants = {"grants": [{"role": "reviewer", "steps": ["legal"]}, {"role": "moderator"}]}
    put = await gw.client.put("/v1/role-grants/rita-sub", json=grants, headers=admin(gw))
    assert put.status_code == 200, put.text
    gone = await gw.client.delete("/v1/role-grants/rita-sub", headers=admin(gw))
    assert gone.status_code == 204
    await relay_audit(gw)
    entries = (await audit(gw, target_type="subject", target_id="rita-sub"))["items"]
    assert [e["action"] for e in entries] == ["role.revoke", "role.grant"]
    revoke, grant = entries
    assert grant["actor"] == "user:admin-1" and grant["service"] == "gateway"
    assert grant["summary"] == {
        "roles": [None, ["moderator", "reviewer"]],
        "reviewer.steps": [None, ["legal"]],
    }
    assert revoke["summary"]["roles"] == [["moderator", "reviewer"], None]
    assert grant["request_id"] and grant["request_id"] != revoke["request_id"]
