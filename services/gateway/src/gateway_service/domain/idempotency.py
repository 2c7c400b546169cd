"""Idempotency-Key semantics (after the IETF httpapi draft
"The Idempotency-Key HTTP Header Field").

A key is scoped to its tenant and subject: two callers never share one.
The first request with a key claims it; a retry with the same fingerprint
gets the first response back exactly (status, headers, body) and the
services are not called again; the same key with another request is a
client error (422); a retry while the first is still running is 409.
A claim whose request died (the process crashed) is taken over after a
lease, so a key is never stuck; records live 24 hours.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

RETENTION = timedelta(hours=24)
# Longer than any request may take (deadlines are seconds): after this, a
# pending claim belongs to a request that will never finish.
LEASE = timedelta(seconds=60)
MAX_KEY_LENGTH = 255


def fingerprint(method: str, path: str, query: str, body: bytes, if_match: str = "") -> str:
    """What makes two requests "the same request" for a key."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), query.encode(), if_match.encode()):
        digest.update(part + b"\x00")
    digest.update(body)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class IdempotencyRecord:
    tenant_id: str
    subject: str
    key: str
    fingerprint: str
    created_at: datetime
    response: StoredResponse | None = None  # None while the first request runs

    def expired(self, now: datetime) -> bool:
        return now - self.created_at >= RETENTION


class Outcome(Enum):
    PROCEED = "proceed"  # ours to run
    REPLAY = "replay"  # answer the stored response
    MISMATCH = "mismatch"  # same key, another request: 422
    IN_PROGRESS = "in_progress"  # the first is still running: 409


def decide(existing: IdempotencyRecord, fingerprint: str, now: datetime) -> Outcome:
    """What a request finding `existing` under its key does."""
    if existing.expired(now):
        return Outcome.PROCEED
    if existing.fingerprint != fingerprint:
        return Outcome.MISMATCH
    if existing.response is not None:
        return Outcome.REPLAY
    if now - existing.created_at >= LEASE:
        return Outcome.PROCEED
    return Outcome.IN_PROGRESS


def valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()
