"""chorus.audit.entry.v1: AuditRecorded, written by a real producer's use
case through chorus_messaging.audit.record (content's SetCharter over its
gRPC API, as a tenant admin), kept by the gateway's audit log consumer and
read back by the tenant's admin."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus.content.v1 import content_service_pb2 as pb
from chorus_testing.identity import admin
from gateway_service.app.audit import AuditFilter

if TYPE_CHECKING:
    from tests.contract.conftest import Platform


@pytest.mark.contract("chorus.audit.v1.AuditRecorded", "gateway")
async def test_a_charter_change_lands_in_the_gateways_audit_log(platform: Platform) -> None:
    tenant = platform.tenant
    content, gateway = await platform.content(), await platform.gateway()
    for version, phrases in ((1, ["confidential"]), (2, ["confidential", "insider"])):
        answer = await content.stub.SetCharter(
            pb.SetCharterRequest(
                request_id=f"charter-{version}",
                tenant_id=tenant,
                charter=pb.Charter(blocked_phrases=phrases),
            )
        )
        assert answer.charter.version == version
    entries = await platform.events(content, audit_events.AuditRecorded)
    assert [e.event.action for e in entries] == ["charter.set", "charter.set"]
    assert {e.key for e in entries} == {tenant}  # keyed by tenant
    await platform.deliver(entries, gateway)

    kept, _ = await gateway.audit_log.page(admin(tenant), AuditFilter(), None, 10)
    assert [e.request_id for e in kept] == ["charter-2", "charter-1"]
    latest = kept[0]
    assert (latest.tenant_id, latest.service, latest.target_id) == (tenant, "content", tenant)
    assert latest.actor.startswith("user:")
    assert json.loads(latest.summary) == {"version": [1, 2], "blocked_phrases": [1, 2]}
    assert json.loads(kept[1].summary)["version"] == [None, 1]  # the first charter
    # The phrases themselves stay out of the log.
    assert all("insider" not in e.summary and "confidential" not in e.summary for e in kept)
