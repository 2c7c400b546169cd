"""The chorus.* attributes of every event span, defined once for both sides.

An event has one producer span, `<topic> create`, opened by the relay under
the context stored with the outbox row (relay.py), and a `<topic> process`
span in each consumer (faststream's telemetry middleware, or EventConsumer
for a batch's records), a child of the create span. Each of them gets the
same attributes, read
from what travels on the wire (CloudEvents headers and the protobuf body), so
a trace shows which event of which tenant, post and share a hop carried:

  chorus.event_type  the ce_type (full protobuf name)
  chorus.event_id    the ce_id (UUIDv7 assigned at the outbox write)
  chorus.tenant_id   the ce_tenantid header
  chorus.post_id     the body's `post_id`, where it has one (id_attributes)
  chorus.share_id    the body's `share_id`, where it has one

Opaque ids only: never a body field that could hold personal data.

A span whose parent was not sampled (a share outside the traced fraction:
chorus_telemetry.propagation.sampled_for) records nothing, so its
attributes are not computed (recorded_under).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from faststream.kafka.opentelemetry.provider import (
    BatchKafkaTelemetrySettingsProvider,
    KafkaTelemetrySettingsProvider,
)
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from opentelemetry import trace
from opentelemetry.context import Context

if TYPE_CHECKING:
    from aiokafka import ConsumerRecord
    from faststream.kafka.response import KafkaPublishCommand
    from faststream.message import StreamMessage

EVENT_TYPE = "chorus.event_type"
EVENT_ID = "chorus.event_id"
TENANT_ID = "chorus.tenant_id"
POST_ID = "chorus.post_id"
SHARE_ID = "chorus.share_id"

_FROM_HEADERS = (("ce_type", EVENT_TYPE), ("ce_id", EVENT_ID), ("ce_tenantid", TENANT_ID))
# Body fields copied to attributes: ids by name, never free text.
_ID_FIELDS = (("post_id", POST_ID), ("share_id", SHARE_ID))


def recorded_under(context: Context | None = None) -> bool:
    """False when `context` (the current one if None) holds a valid parent
    that was not sampled: the SDK's parent-based sampler records no span
    under it, so there is nothing to describe. A root span (no parent) is
    the sampler's choice, so True."""
    parent = trace.get_current_span(context).get_span_context()
    return not parent.is_valid or parent.trace_flags.sampled


def id_attributes(event: Message) -> dict[str, str]:
    """The post and share ids an event names: a top-level `post_id` /
    `share_id`, else the one in a message it embeds (PostApproved carries
    its `post`). By field name, through reflection: each event type declares
    its own fields, and no other field is read."""
    attributes: dict[str, str] = {}
    for field_name, attribute in _ID_FIELDS:
        value = _string_field(event, field_name) or next(
            (found for inner in _embedded(event) if (found := _string_field(inner, field_name))),
            "",
        )
        if value:
            attributes[attribute] = value
    return attributes


def _string_field(message: Message, name: str) -> str:
    field = message.DESCRIPTOR.fields_by_name.get(name)
    if field is None or field.type != FieldDescriptor.TYPE_STRING or field.is_repeated:
        return ""
    return str(getattr(message, name))


def _embedded(message: Message) -> list[Message]:
    """The singular message fields that are set, one level down."""
    return [
        getattr(message, field.name)
        for field in message.DESCRIPTOR.fields
        if field.type == FieldDescriptor.TYPE_MESSAGE
        and not field.is_repeated
        and message.HasField(field.name)
    ]


def _decoded(ce_type: str, body: object) -> Message | None:
    """The body as its event type, when this process knows the type (its
    generated module is imported: the producer built it, the consumer
    handles it) and the bytes decode; else None."""
    if not ce_type or not isinstance(body, bytes | bytearray):
        return None
    try:
        descriptor = descriptor_pool.Default().FindMessageTypeByName(ce_type)
    except KeyError:
        return None
    try:
        return message_factory.GetMessageClass(descriptor).FromString(bytes(body))
    except Exception:
        # Best effort: a poison body must reach the consumer, which sends it
        # to the DLQ; failing here would fail the message inside the middleware.
        return None


def event_attributes(
    headers: Mapping[str, Any], body: object, event: Message | None = None
) -> dict[str, str]:
    """The chorus.* attributes of one event, from its headers and value
    (`event`: the value already decoded, when the caller has it)."""
    attributes = {
        attribute: value
        for header, attribute in _FROM_HEADERS
        if isinstance(value := headers.get(header), str) and value
    }
    if event is None:
        event = _decoded(attributes.get(EVENT_TYPE, ""), body)
    if event is not None:
        attributes.update(id_attributes(event))
    return attributes


class EventSpanAttributes(KafkaTelemetrySettingsProvider):
    """faststream's Kafka span attributes plus ours, on both sides."""

    def get_publish_attrs_from_cmd(self, cmd: KafkaPublishCommand) -> dict[str, Any]:
        attributes = super().get_publish_attrs_from_cmd(cmd)
        attributes.update(event_attributes(cmd.headers, cmd.body))
        return attributes

    def get_consume_attrs_from_message(self, msg: StreamMessage[ConsumerRecord]) -> dict[str, Any]:
        attributes = super().get_consume_attrs_from_message(msg)
        attributes.update(event_attributes(msg.headers, msg.body))
        return attributes


def telemetry_provider(
    msg: ConsumerRecord | Sequence[ConsumerRecord] | None,
) -> EventSpanAttributes | BatchKafkaTelemetrySettingsProvider:
    """The settings provider factory of the broker's telemetry middleware.
    A batch keeps faststream's own span (a root linking to its records'
    contexts); each of its records gets a process span with these attributes
    from the consumer (EventConsumer.on_batch), in its producer's trace."""
    if isinstance(msg, Sequence):
        return BatchKafkaTelemetrySettingsProvider()
    return EventSpanAttributes()
