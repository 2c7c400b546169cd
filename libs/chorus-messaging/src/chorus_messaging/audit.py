"""The audit trail of administrative and editorial actions, written once here
for every service.

`record` puts one `AuditRecorded` event into the outbox inside the caller's
transaction, so the change and its audit entry commit together or not at all;
the gateway consumes the topic into its append-only audit log.

What an entry holds: who (the acting principal's opaque ref), what (an
`<object>.<verb>` action, the target's type and opaque id), a compact JSON
summary of before -> after, the request id and trace id, and when.

**No personal data.** Entries are kept for years and shown to tenant admins
and exported as CSV, so `before`/`after` carry *field names* and
non-personal values only: flags, counts, role names, channel ids, step
names, a version number. Never a name, an e-mail, a handle or free text a
person wrote; pass `True`/a count/a digest instead (`digest(text)`).
Values must be JSON scalars or flat lists of them; long strings are stored
as a digest, so a charter's text never lands in the log.

An app layer on ports types against `AuditTrail` and is given
`OutboxAuditTrail(outbox)`, which records on the use case's Transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Final, Protocol

from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus_core.clock import utcnow
from chorus_core.ids import new_id
from chorus_core.prototime import to_timestamp
from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_identity.context import current_actor_ref
from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncSession

from chorus_messaging.outbox import Outbox
from chorus_messaging.topics import AUDIT

Scalar = str | int | float | bool | None
Value = Scalar | Sequence[Scalar]
State = Mapping[str, Value]

ACTION: Final = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
# A longer string is kept as its digest: the log says *that* it changed.
MAX_VALUE_CHARS: Final = 80
MAX_SUMMARY_CHARS: Final = 4000


def digest(text: str) -> str:
    """A short, stable stand-in for a value the log must not hold verbatim."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _scalar(value: object) -> Scalar:
    if isinstance(value, str):
        return digest(value) if len(value) > MAX_VALUE_CHARS else value
    if value is None or isinstance(value, int | float | bool):
        return value
    raise TypeError(f"audit values are JSON scalars or flat lists of them, not {type(value)}")


def _compact(value: Value) -> Value:
    if isinstance(value, list | tuple):
        return [_scalar(v) for v in value]
    return _scalar(value)


def summarise(before: State | None, after: State | None) -> str:
    """{"field": [before, after]} for every field that differs, keys sorted;
    a field missing on one side is null there. Creation is `before=None`,
    removal `after=None`."""
    old, new = dict(before or {}), dict(after or {})
    changed: dict[str, list[Value]] = {}
    for name in sorted(set(old) | set(new)):
        a, b = _compact(old.get(name)), _compact(new.get(name))
        if a != b or (name in old) != (name in new):
            changed[name] = [a, b]
    text = json.dumps(changed, separators=(",", ":"), sort_keys=True, ensure_ascii=True)
    if len(text) > MAX_SUMMARY_CHARS:
        # Too many fields for one line of the log: name them, drop the values.
        text = json.dumps({"fields": sorted(changed)}, separators=(",", ":"))[:MAX_SUMMARY_CHARS]
    return text


def current_trace_id() -> str:
    """The current span's W3C trace id (32 hex), or "" outside any trace."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else ""


def _service(outbox: Outbox) -> str:
    return outbox.source.removeprefix("chorus/").partition("@")[0]


def record(
    session: AsyncSession,
    outbox: Outbox,
    *,
    tenant_id: str,
    action: str,
    target_type: str,
    target_id: str,
    before: State | None,
    after: State | None,
    request_id: str,
) -> str:
    """Add the audit entry of a change to the caller's transaction; returns
    its audit id. `before`/`after`: field names to non-personal values
    (module docstring)."""
    if not tenant_id:
        raise ValueError("an audit entry needs its tenant")
    if not ACTION.match(action):
        raise ValueError(f"audit action {action!r} is not '<object>.<verb>'")
    service = _service(outbox)
    audit_id = new_id()
    event = audit_events.AuditRecorded(
        audit_id=audit_id,
        tenant_id=tenant_id,
        # Who caused it: the caller of the call in progress, the event's actor
        # inside a consumer; work nobody asked for (a timer) is the service's.
        actor=current_actor_ref(f"service:{service}"),
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summarise(before, after),
        request_id=request_id,
        trace_id=current_trace_id(),
        occurred_at=to_timestamp(utcnow()),
        service=service,
    )
    # Keyed by tenant: one tenant's entries stay in order on one partition.
    outbox.add(
        session, topic=AUDIT, key=tenant_id, event=event, tenant_id=tenant_id, subject=audit_id
    )
    return audit_id


class AuditTrail(Protocol):
    """The audit port of a use case: one entry in its transaction."""

    def record(
        self,
        transaction: Transaction,
        *,
        tenant_id: str,
        action: str,
        target_type: str,
        target_id: str,
        before: State | None,
        after: State | None,
        request_id: str,
    ) -> str: ...


class OutboxAuditTrail:
    """AuditTrail on the service's outbox (record() on the session behind
    the Transaction)."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    @classmethod
    def of_service(cls, service: str) -> OutboxAuditTrail:
        """The trail of a use case built without its service's outbox (a
        test's composition): the entries are still rows of the change's own
        transaction, only the relay is not woken at once. main.py passes
        `OutboxAuditTrail(runtime.outbox)`."""
        return cls(Outbox(f"chorus/{service}"))

    def record(
        self,
        transaction: Transaction,
        *,
        tenant_id: str,
        action: str,
        target_type: str,
        target_id: str,
        before: State | None,
        after: State | None,
        request_id: str,
    ) -> str:
        return record(
            session_of(transaction),
            self.outbox,
            tenant_id=tenant_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            before=before,
            after=after,
            request_id=request_id,
        )
