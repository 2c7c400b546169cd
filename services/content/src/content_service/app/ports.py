"""What content's use cases need from the outside world, as interfaces.

Adapters implement them (the service's database, its outbox); composition.py
wires them in. A store is opened on a transaction the caller holds
(chorus_db.ports.Transaction): a Kafka handler's ctx.transaction(), so the
effects commit with the inbox row, or a transaction (or read session) the use
case opens on its UnitOfWork for a gRPC call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chorus_db.ports import Transaction

from content_service.domain.charter import Charter


class CharterStore(Protocol):
    """Charters are versioned: a save is a new version, old ones stay readable."""

    async def current_version(self, tenant_id: str) -> int:
        """0 when the tenant never saved a charter."""
        ...

    async def get(self, tenant_id: str, version: int = 0) -> Charter:
        """That version (0: the current one; an empty Charter when there is
        none). NotFound for a version never saved."""
        ...

    async def save(self, tenant_id: str, charter: Charter, now: datetime) -> Charter:
        """Stored as the next version; returned with its version number."""
        ...


class Stores(Protocol):
    """The stores, opened on a transaction (or read session) the caller holds."""

    def charters(self, transaction: Transaction) -> CharterStore: ...
