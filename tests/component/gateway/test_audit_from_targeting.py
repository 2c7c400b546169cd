"""A consent decision end to end: an employee records it over targeting's
real gRPC server, targeting's use case writes its AuditRecorded to its
outbox, the row travels as the relay and the consumer carry it (the
contract harness: registry-checked, CloudEvents headers both ways) to the
gateway's real audit consumer, and GET /v1/audit shows it to the tenant's
admin only: another tenant's admin sees their own decision, never this one."""

from __future__ import annotations

from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus.targeting.v1 import targeting_service_pb2 as tpb
from chorus.targeting.v1 import targeting_service_pb2_grpc as tpb_grpc
from chorus_grpc import insecure_channel
from chorus_identity.principal import Principal, Role, user
from chorus_testing.contracts import Registry, deliver, read_outbox
from chorus_testing.identity import IDENTITY
from gateway_service import composition
from gateway_service.entrypoints import kafka_handlers
from targeting_service.domain.employees import employee_id_for

from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import import_people
from tests.component.gateway.webhooks_support import admin, db_of

TARGETING = "chorus/targeting@eu-west"  # the source of the fixture's targeting outbox


def person(tenant: str, external_id: str) -> Principal:
    """The employee of `tenant` linked to the directory entry `external_id`."""
    return user(
        f"sub-{tenant}-{external_id}",
        tenant,
        Role.EMPLOYEE,
        employee_id=employee_id_for(tenant, external_id),
    )


async def decide(gw: Gateway, who: Principal, request_id: str) -> None:
    channel = insecure_channel(gw.address, 30, credentials=IDENTITY.credentials(who))
    try:
        await tpb_grpc.TargetingServiceStub(channel).RecordConsent(
            tpb.RecordConsentRequest(request_id=request_id, opted_in=True, consent=True)
        )
    finally:
        await channel.close()


async def relay_targeting_audit(gw: Gateway) -> list[audit_events.AuditRecorded]:
    """Targeting's audit rows to the gateway's audit consumer, as Kafka would."""
    produced, _ = await read_outbox(gw.targeting_db, TARGETING, Registry.load())
    entries = [p for p in produced if p.message is audit_events.AuditRecorded]
    assert gw.deps.audit_log is not None
    subscriptions = kafka_handlers.subscriptions(gw.deps.audit_log, composition.webhook_intake())
    for item in entries:
        await deliver(item, subscriptions, service="gateway", db=db_of(gw))
    return [audit_events.AuditRecorded.FromString(p.payload) for p in entries]


async def test_a_consent_decision_reaches_its_tenants_audit_log_only(gw: Gateway) -> None:
    await import_people(gw, "acme", "E1")
    await import_people(gw, "globex", "G1")
    ana, gus = person("acme", "E1"), person("globex", "G1")
    await decide(gw, ana, "consent-ana")
    await decide(gw, gus, "consent-gus")
    relayed = await relay_targeting_audit(gw)
    assert [(e.tenant_id, e.action) for e in relayed] == [
        ("acme", "directory.import"),
        ("globex", "directory.import"),
        ("acme", "consent.record"),
        ("globex", "consent.record"),
    ]

    answer = await gw.client.get(
        "/v1/audit", params={"action": "consent.record"}, headers=admin(gw)
    )
    assert answer.status_code == 200, answer.text
    [entry] = answer.json()["items"]
    assert (entry["actor"], entry["service"], entry["request_id"]) == (
        ana.ref,
        "targeting",
        "consent-ana",
    )
    assert (entry["target_type"], entry["target_id"]) == ("employee", ana.employee_id)
    assert entry["summary"] == {
        "opted_in": [None, True],
        "consent": [None, True],
        "auto_share": [None, False],
        "applied": [None, True],
        "source": [None, "app"],
    }
    # The decision, not the person: no e-mail, no name (people.py's row: e1@..., Person E1).
    assert "e1@example.com" not in answer.text and "Person E1" not in answer.text

    other = admin(gw, tenant="globex", subject="admin-globex")
    theirs = await gw.client.get("/v1/audit", params={"action": "consent.record"}, headers=other)
    assert [e["target_id"] for e in theirs.json()["items"]] == [gus.employee_id]
    looked_up = await gw.client.get(
        "/v1/audit",
        params={"target_type": "employee", "target_id": ana.employee_id},
        headers=other,
    )
    assert looked_up.json() == {"items": [], "next": None}
    exported = await gw.client.get("/v1/audit.csv", headers=other)
    assert ana.employee_id not in exported.text and "consent-ana" not in exported.text
