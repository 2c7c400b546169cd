"""CloudEvents (binary mode) over Kafka headers.

The value is the protobuf bytes of one event message; everything about the
event (id, type, source, time, subject, tenant) travels in ASCII headers, so a
consumer can route, deduplicate and trace without decoding the body.

`ce_actor` (a CloudEvents extension) names who caused the event by an opaque
reference ("user:<provider subject>" or "service:<name>", never a name or an
e-mail), for consumers and audit logs; it is optional (events written before
it existed, other producers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from chorus_core.clock import as_utc
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

CONTENT_TYPE = "application/x-protobuf"
REQUIRED = ("ce_id", "ce_type", "ce_source", "ce_time", "ce_tenantid")
TENANT_FIELD = "tenant_id"  # of every event message that names its tenant
ACTOR = "ce_actor"
ACTOR_KINDS = ("user:", "service:")
ACTOR_MAX_LENGTH = 300  # the outbox column's width


class EnvelopeError(ValueError):
    """Headers missing or malformed: the message is poison (DLQ, not retry)."""


class TenantMismatch(EnvelopeError):
    """The body names another tenant than the ce_tenantid header: a producer
    bug, and guessing which one is right would cross tenants (DLQ, not retry)."""


@dataclass(frozen=True)
class Envelope:
    ce_id: str
    ce_type: str  # full protobuf name, e.g. chorus.content.v1.PostApproved
    ce_source: str  # chorus/<service>@<region>
    ce_time: datetime
    ce_subject: str  # aggregate id
    tenant_id: str
    actor: str = ""  # Principal.ref of who caused it; empty when unknown

    def to_headers(self) -> dict[str, str]:
        headers = {
            "ce_specversion": "1.0",
            "ce_id": self.ce_id,
            "ce_type": self.ce_type,
            "ce_source": self.ce_source,
            "ce_time": as_utc(self.ce_time).isoformat(),
            "ce_subject": self.ce_subject,
            "ce_tenantid": self.tenant_id,
            "content-type": CONTENT_TYPE,
        }
        if self.actor:
            headers[ACTOR] = self.actor
        return headers

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Envelope:
        missing = [h for h in REQUIRED if not headers.get(h)]
        if missing:
            raise EnvelopeError(f"missing CloudEvents headers: {', '.join(missing)}")
        try:
            when = datetime.fromisoformat(headers["ce_time"])
        except ValueError:
            raise EnvelopeError(f"ce_time is not ISO 8601: {headers['ce_time']!r}") from None
        return cls(
            ce_id=headers["ce_id"],
            ce_type=headers["ce_type"],
            ce_source=headers["ce_source"],
            ce_time=when,
            ce_subject=headers.get("ce_subject", ""),
            tenant_id=headers["ce_tenantid"],
            actor=actor_of(headers),
        )


def actor_of(headers: Mapping[str, str]) -> str:
    """The ce_actor header if it has the shape of a Principal.ref, else empty:
    it informs (audit, causation) and never authorizes, so a malformed one
    is dropped rather than dead-lettering an otherwise good event."""
    actor = headers.get(ACTOR, "")
    if len(actor) > ACTOR_MAX_LENGTH or not actor.startswith(ACTOR_KINDS):
        return ""
    return actor if actor.partition(":")[2] else ""


def check_tenant(envelope: Envelope, event: Message) -> None:
    """The header is authoritative: routing, the inbox and the span used it.
    An event's own `tenant_id`, where it has one, must equal it or be empty;
    an empty one is filled from the header, so a handler reads one tenant
    whether it looks at the envelope or at the body."""
    # By field name (reflection): the generic Message type has no tenant_id.
    field = event.DESCRIPTOR.fields_by_name.get(TENANT_FIELD)
    if field is None or field.type != FieldDescriptor.TYPE_STRING:
        return
    body_tenant = getattr(event, TENANT_FIELD)
    if not body_tenant:
        setattr(event, TENANT_FIELD, envelope.tenant_id)
    elif body_tenant != envelope.tenant_id:
        # No tenant ids in the message: it goes to the DLQ headers and logs.
        raise TenantMismatch(
            f"{envelope.ce_type}: the body's tenant_id differs from the ce_tenantid header"
        )


def decode_headers(raw: Iterable[tuple[str, bytes]] | None) -> dict[str, str]:
    """Kafka header values are bytes; ours are ASCII. Undecodable ones are
    kept out (they cannot be ours) rather than failing the whole message."""
    result: dict[str, str] = {}
    for key, value in raw or ():
        try:
            result[key] = value.decode("ascii") if value is not None else ""
        except UnicodeDecodeError:
            continue
    return result
