"""Every administrative action of targeting, made over its real gRPC server,
leaves exactly one entry of the tenant's audit log in the outbox: directory
imports (counts), SCIM tokens (never the token), channels and their managers,
segments, consent and participation decisions and channel subscriptions
(the flags decided; the employee's opaque id is the target), erasure, and
account links. The actor is the caller the server verified; no name, e-mail,
department, rule or token in any summary (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus_db import Database
from chorus_messaging.audit import digest
from chorus_testing.audit import AuditProbe
from chorus_testing.directory import generate_directory_csv
from chorus_testing.identity import as_service, everything

from tests.component.targeting.over_the_wire import Targeting, targeting_over_the_wire

OPS = everything("acme")  # the over-the-wire stub's caller
OPS_REF = OPS.ref


@pytest.fixture
async def t(targeting_db: Database) -> AsyncIterator[Targeting]:
    async with targeting_over_the_wire(targeting_db) as targeting:
        yield targeting


@pytest.fixture
async def audit(t: Targeting) -> AuditProbe:
    probe = AuditProbe(t.db)
    [issued] = await probe.new()  # the SCIM token the fixture issued
    assert (issued.action, issued.actor) == ("scim_token.issue", "service:targeting")
    return probe


async def _people(t: Targeting, n: int = 4) -> list[pb.Employee]:
    csv = generate_directory_csv(n, seed=11).encode()
    await t.stub.ImportDirectory(pb.ImportDirectoryRequest(request_id="imp-0", csv=csv))
    listed = await t.stub.ListEmployees(pb.ListEmployeesRequest(page_size=n))
    return list(listed.employees)


async def test_imports_and_scim_tokens(t: Targeting, audit: AuditProbe) -> None:
    text = generate_directory_csv(5, seed=3)
    dry = pb.ImportDirectoryRequest(request_id="imp-dry", csv=text.encode(), dry_run=True)
    await t.stub.ImportDirectory(dry)
    await audit.none()  # a dry run writes nothing, not even its entry
    await t.stub.ImportDirectory(pb.ImportDirectoryRequest(request_id="imp-1", csv=text.encode()))
    await t.stub.ImportDirectory(pb.ImportDirectoryRequest(request_id="imp-1", csv=text.encode()))
    people = (await t.stub.ListEmployees(pb.ListEmployeesRequest(page_size=5))).employees
    private = [p.email for p in people] + [p.display_name for p in people]
    summary = await audit.one(
        "directory.import",
        actor=OPS_REF,
        target=("directory", "acme"),
        tenant="acme",
        request_id="imp-1",
        absent=private,
    )
    assert summary == {
        "created": [None, 5],
        "updated": [None, 0],
        "deactivated": [None, 0],
        "rejected": [None, 0],
        "deactivate_missing": [None, False],
    }
    await audit.none()  # the retried import

    token = (await t.stub.IssueScimToken(pb.IssueScimTokenRequest())).token
    summary = await audit.one(
        "scim_token.rotate", actor=OPS_REF, target=("scim_token", "acme"), absent=(token,)
    )
    assert summary == {"revoked_previous": [None, True]}


async def test_channels_and_segments(t: Targeting, audit: AuditProbe) -> None:
    people = await _people(t)
    await audit.new()
    managers = sorted(p.employee_id for p in people[:2])
    channel = await t.stub.CreateChannel(
        pb.CreateChannelRequest(
            request_id="ch-1",
            name="Jane Doe's team",
            description="Everything about Jane's plant",
            regions=["eu-west"],
            manager_ids=[managers[0]],
        )
    )
    await t.stub.CreateChannel(pb.CreateChannelRequest(request_id="ch-1", name="Jane Doe's team"))
    summary = await audit.one(
        "channel.create",
        actor=OPS_REF,
        target=("channel", channel.channel_id),
        request_id="ch-1",
        absent=("Jane",),
    )
    assert summary == {
        "name": [None, digest("Jane Doe's team")],
        "description": [None, True],
        "regions": [None, ["eu-west"]],
        "mandatory": [None, False],
        "managers": [None, [managers[0]]],
    }
    await audit.none()  # the retried create

    await t.stub.SetChannelManagers(
        pb.SetChannelManagersRequest(
            request_id="mgr-1", channel_id=channel.channel_id, manager_ids=managers
        )
    )
    summary = await audit.one(
        "channel.set_managers", actor=OPS_REF, target=("channel", channel.channel_id)
    )
    assert summary == {"managers": [[managers[0]], managers]}

    rule = 'department = "Finance" and country in ("ES")'
    saved = await t.stub.SaveSegment(
        pb.SaveSegmentRequest(request_id="seg-1", name="Finance in Spain", rule=rule)
    )
    summary = await audit.one(
        "segment.save",
        actor=OPS_REF,
        target=("segment", saved.segment_id),
        request_id="seg-1",
        absent=("Finance", "ES"),
    )
    assert summary["version"] == [None, 1] and summary["rule"] == [None, digest(rule)]
    await t.stub.SaveSegment(
        pb.SaveSegmentRequest(segment_id=saved.segment_id, name="Finance in Spain", rule=rule)
    )
    await audit.none()  # nothing changed: no new version, no entry
    await t.stub.SaveSegment(
        pb.SaveSegmentRequest(segment_id=saved.segment_id, name="Finance", rule='country = "FR"')
    )
    summary = await audit.one("segment.save", actor=OPS_REF, target=("segment", saved.segment_id))
    assert summary["version"] == [1, 2]


async def test_the_decisions_of_a_person(t: Targeting, audit: AuditProbe) -> None:
    person, other = await _people(t, 2)
    await audit.new()
    own = t.as_employee(person.employee_id)
    ref = f"user:sub-{person.employee_id}"
    target = ("employee", person.employee_id)
    private = (person.email, person.display_name, person.department, person.country)

    choice = pb.RecordConsentRequest(request_id="c-1", opted_in=True, consent=True, auto_share=True)
    await own.RecordConsent(choice)
    await own.RecordConsent(choice)  # a retry
    summary = await audit.one(
        "consent.record", actor=ref, target=target, request_id="c-1", absent=private
    )
    assert summary == {
        "opted_in": [None, True],
        "consent": [None, True],
        "auto_share": [None, True],
        "applied": [None, True],
        "source": [None, "app"],
    }
    await audit.none()

    await own.SetParticipation(pb.SetParticipationRequest(request_id="p-1", opted_in=False))
    summary = await audit.one(
        "participation.set", actor=ref, target=target, request_id="p-1", absent=private
    )
    assert summary == {
        "opted_in": [None, False],
        "consent": [None, True],  # kept
        "auto_share": [None, False],  # opting out ends auto-share
        "applied": [None, True],
        "source": [None, "app"],
    }

    channel = await t.stub.CreateChannel(pb.CreateChannelRequest(request_id="ch", name="News"))
    await audit.new()
    subscription = pb.SubscriptionRequest(request_id="s-1", channel_id=channel.channel_id)
    await own.Subscribe(subscription)
    await own.Subscribe(subscription)  # already subscribed: nothing changed
    summary = await audit.one("channel.subscribe", actor=ref, target=target, absent=private)
    assert summary == {"channel_id": [None, channel.channel_id]}
    await audit.none()
    await own.Unsubscribe(pb.SubscriptionRequest(request_id="s-2", channel_id=channel.channel_id))
    summary = await audit.one("channel.unsubscribe", actor=ref, target=target)
    assert summary == {"channel_id": [channel.channel_id, None]}

    linked = await t.stub_for(as_service("gateway")).LinkAccount(
        pb.LinkAccountRequest(tenant_id="acme", subject="idp-7", email=other.email)
    )
    summary = await audit.one(
        "account_link.create",
        actor="service:gateway",
        target=("subject", "idp-7"),
        absent=(other.email, other.display_name),
    )
    assert summary == {"employee_id": [None, linked.employee_id], "matched": [None, "email"]}

    request = pb.EraseEmployeeRequest(request_id="erase-1", employee_id=person.employee_id)
    assert (await t.stub.EraseEmployee(request)).erased
    assert not (await t.stub.EraseEmployee(request)).erased  # erased before: no entry
    summary = await audit.one(
        "employee.erase", actor=OPS_REF, target=target, request_id="erase-1", absent=private
    )
    assert summary == {"erased": [False, True]}
    await audit.none()
