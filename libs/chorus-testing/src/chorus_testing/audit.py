"""The audit entries a service's use cases wrote to its outbox, one action at
a time: `AuditProbe.one(...)` asserts the action since the last look left
exactly one entry, naming the actor, the target and the request, and that
its summary holds none of the personal values the test put in (the actor
is an opaque ref by design; the target an opaque id)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus_db import Database
from chorus_messaging.topics import AUDIT

from chorus_testing.events import outbox_rows


class AuditProbe:
    """Reads the outbox's audit rows written since its last read."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.seen: set[str] = set()

    async def new(self) -> list[audit_events.AuditRecorded]:
        """The entries written since the last call, in order, each checked
        against its outbox row (keyed and headed by the entry's tenant)."""
        fresh = [r for r in await outbox_rows(self.db, topic=AUDIT) if r.ce_id not in self.seen]
        entries = []
        for row in fresh:
            self.seen.add(row.ce_id)
            entry = audit_events.AuditRecorded.FromString(row.payload)
            assert (row.key, row.tenant_id) == (entry.tenant_id, entry.tenant_id)
            assert row.ce_subject == entry.audit_id
            entries.append(entry)
        return entries

    async def none(self) -> None:
        """Nothing was recorded since the last look (a retry, a refusal)."""
        assert await self.new() == []

    async def one(
        self,
        action: str,
        *,
        actor: str,
        target: tuple[str, str],
        tenant: str = "",
        request_id: str | None = None,
        service: str = "",
        absent: Iterable[str] = (),
    ) -> dict[str, Any]:
        """The single entry since the last look; its summary, parsed.
        `absent`: personal values (names, e-mails, handles, tokens, free
        text) that must not appear in its summary."""
        entries = await self.new()
        assert [e.action for e in entries] == [action], entries
        [entry] = entries
        assert entry.actor == actor
        assert (entry.target_type, entry.target_id) == target
        if tenant:
            assert entry.tenant_id == tenant
        if request_id is not None:
            assert entry.request_id == request_id
        if service:
            assert entry.service == service
        for value in absent:
            assert value not in entry.summary, f"{value!r} is in the summary of {entry.action}"
        summary: dict[str, Any] = json.loads(entry.summary)
        return summary
