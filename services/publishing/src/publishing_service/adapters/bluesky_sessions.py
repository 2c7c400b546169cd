"""Bluesky sessions kept in memory, per account.

createSession is rate-limited hard (30 per 5 minutes and 300 a day per
account in production), so a session is created once and reused: the access
JWT until it expires (read from its `exp`), then refreshSession with the
refresh JWT, and only when that fails a new createSession. Tokens stay in this
process's memory, never in the database or the logs.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections import OrderedDict
from dataclasses import dataclass, field

# Refresh a little before the stated expiry so a request never leaves with a
# token that dies in flight.
EXPIRY_MARGIN_SECONDS = 30.0
# Without a readable `exp` claim, assume the short lifetime PDSs use.
DEFAULT_ACCESS_LIFETIME_SECONDS = 15 * 60.0


@dataclass
class Session:
    did: str
    access_jwt: str = field(repr=False)
    refresh_jwt: str = field(repr=False)
    access_expires_at: float

    def fresh(self, now: float) -> bool:
        return now < self.access_expires_at - EXPIRY_MARGIN_SECONDS


def jwt_expiry(token: str, now: float) -> float:
    """The `exp` claim (seconds since the epoch). The PDS verifies the token;
    we only read when it will stop working, so no signature check here."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return now + DEFAULT_ACCESS_LIFETIME_SECONDS


class SessionCache:
    """Least recently used sessions up to `max_accounts`, and one lock per
    account so concurrent posts by one employee create one session, not many."""

    def __init__(self, max_accounts: int = 10_000) -> None:
        self.max_accounts = max_accounts
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    def lock(self, account_id: str) -> asyncio.Lock:
        lock = self._locks.get(account_id)
        if lock is None:
            if len(self._locks) > self.max_accounts:
                # Drop locks nobody holds; cheap, and bounds memory.
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            lock = self._locks[account_id] = asyncio.Lock()
        return lock

    def get(self, account_id: str) -> Session | None:
        session = self._sessions.get(account_id)
        if session is not None:
            self._sessions.move_to_end(account_id)
        return session

    def put(self, account_id: str, session: Session) -> None:
        self._sessions[account_id] = session
        self._sessions.move_to_end(account_id)
        while len(self._sessions) > self.max_accounts:
            self._sessions.popitem(last=False)

    def forget(self, account_id: str) -> None:
        self._sessions.pop(account_id, None)
