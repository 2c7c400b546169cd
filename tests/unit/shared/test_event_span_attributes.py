"""The chorus.* attributes of event spans (chorus_messaging.spans): read from
the CloudEvents headers and, by field name, from the protobuf body."""

from __future__ import annotations

from chorus.content.v1 import content_events_pb2 as content_events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus_messaging.spans import event_attributes, id_attributes

HEADERS = {
    "ce_id": "0192f0c8-0000-7000-8000-000000000001",
    "ce_type": "chorus.publishing.v1.SharePublished",
    "ce_tenantid": "t1",
    "ce_source": "chorus/publishing@eu-west",
}


def test_share_event_gets_type_id_tenant_post_and_share() -> None:
    event = publishing_events.SharePublished(
        tenant_id="t1", share_id="s-1", post_id="p-1", employee_id="e-1", network="bluesky"
    )
    assert event_attributes(HEADERS, event.SerializeToString()) == {
        "chorus.event_type": "chorus.publishing.v1.SharePublished",
        "chorus.event_id": HEADERS["ce_id"],
        "chorus.tenant_id": "t1",
        "chorus.post_id": "p-1",
        "chorus.share_id": "s-1",
    }


def test_post_id_of_an_embedded_post_is_found() -> None:
    approved = content_events.PostApproved(
        tenant_id="t1",
        post=content_pb.Post(post_id="p-9", tenant_id="t1", title="Hello", body="A body"),
    )
    assert id_attributes(approved) == {"chorus.post_id": "p-9"}


def test_only_ids_are_read_from_the_body() -> None:
    """Other fields (the employee id, texts) never become attributes."""
    event = publishing_events.SharePublished(
        tenant_id="t1",
        share_id="s-1",
        post_id="p-1",
        employee_id="e-1",
        post_uri="at://did:plc:x/p/1",
    )
    attributes = event_attributes(HEADERS, event.SerializeToString())
    assert set(attributes) == {
        "chorus.event_type",
        "chorus.event_id",
        "chorus.tenant_id",
        "chorus.post_id",
        "chorus.share_id",
    }


def test_event_without_ids_gets_header_attributes_only() -> None:
    headers = dict(HEADERS, ce_type="chorus.targeting.v1.EmployeeOptedOut")
    body = targeting_events.EmployeeOptedOut(tenant_id="t1", employee_id="e-1")
    assert event_attributes(headers, body.SerializeToString()) == {
        "chorus.event_type": "chorus.targeting.v1.EmployeeOptedOut",
        "chorus.event_id": HEADERS["ce_id"],
        "chorus.tenant_id": "t1",
    }


def test_unknown_type_poison_body_and_missing_headers_never_fail() -> None:
    unknown = dict(HEADERS, ce_type="chorus.nowhere.v1.Nothing")
    assert "chorus.post_id" not in event_attributes(unknown, b"\x0a\x03abc")
    poison = event_attributes(HEADERS, b"\xff\xff\xff not protobuf")
    assert poison["chorus.event_type"] == HEADERS["ce_type"]
    assert "chorus.share_id" not in poison
    assert event_attributes({}, b"") == {}
    assert event_attributes({"ce_type": 7}, None) == {}
