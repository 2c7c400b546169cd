"""What the gateway's use cases need from the outside, as protocols; the
adapters (SQL tables, Redis, targeting over gRPC) implement them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from chorus_db.ports import Transaction
from chorus_identity.principal import Grant

from gateway_service.domain.idempotency import IdempotencyRecord, StoredResponse
from gateway_service.domain.rates import Bucket, Verdict


class IdempotencyStore(Protocol):
    async def insert(self, record: IdempotencyRecord) -> bool:
        """Claim the key; False when a record for it exists already."""

    async def get(self, tenant_id: str, subject: str, key: str) -> IdempotencyRecord | None: ...

    async def take_over(self, old: IdempotencyRecord, new: IdempotencyRecord) -> bool:
        """Replace `old` (expired, or a dead request's claim) by `new`, only if
        it is still `old` (two takers: one wins)."""

    async def complete(
        self, tenant_id: str, subject: str, key: str, response: StoredResponse
    ) -> None: ...

    async def release(self, tenant_id: str, subject: str, key: str) -> None:
        """Forget a claim whose request failed, so a retry runs again."""

    async def purge(self, created_before: datetime) -> int: ...


class RoleGrantStore(Protocol):
    async def grants(self, tenant_id: str, subject: str) -> tuple[Grant, ...]: ...

    async def put(
        self, tenant_id: str, subject: str, grants: Sequence[Grant], request_id: str = ""
    ) -> None:
        """Replaces them, recording the change in the audit log (role.grant)."""

    async def delete(self, tenant_id: str, subject: str, request_id: str = "") -> bool:
        """Recorded as role.revoke when there was something to remove."""

    async def erase(
        self, transaction: Transaction, tenant_id: str, subjects: Sequence[str]
    ) -> None:
        """An erased person's grants, in the erasure event's transaction
        (each removal recorded as role.revoke, like delete)."""


class LinkFailed(Exception):
    """The directory could not answer (down, or refused the link)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # a status name, never request data


class AccountLinker(Protocol):
    async def link(self, tenant_id: str, subject: str, email: str, external_id: str) -> str:
        """The directory entry (employee id) this account belongs to, linking
        it on first sign-in; "" when the directory has no such person."""


class RateLimiter(Protocol):
    async def take(self, buckets: Sequence[Bucket]) -> Verdict:
        """One token from every bucket, atomically: all or none."""

    async def ping(self) -> None: ...
