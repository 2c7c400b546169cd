"""A Bluesky session, and the small in-process cache in front of the shared
store (session_store.RedisSessionStore).

createSession is rate-limited hard (30 per 5 minutes and 300 a day per
account in production), so a session is created once and reused: the access
JWT until it expires (read from its `exp`), then refreshSession with the
refresh JWT, and only when that fails a new createSession. Tokens live in
this process's memory and, sealed, in the shared store; never in the
database or the logs.
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
# A refresh JWT without a readable `exp` (every PDS we know states one: 90
# days on @atproto/pds) is kept a day: keeping it longer than it lives would
# only cost a failed refresh, but a day bounds what a stolen copy is worth.
DEFAULT_REFRESH_LIFETIME_SECONDS = 24 * 3600.0


@dataclass
class Session:
    did: str
    access_jwt: str = field(repr=False)
    refresh_jwt: str = field(repr=False)
    access_expires_at: float
    refresh_expires_at: float

    def fresh(self, now: float) -> bool:
        return now < self.access_expires_at - EXPIRY_MARGIN_SECONDS


def jwt_expiry(
    token: str, now: float, default_lifetime: float = DEFAULT_ACCESS_LIFETIME_SECONDS
) -> float:
    """The `exp` claim (seconds since the epoch). The PDS verifies the token;
    we only read when it will stop working, so no signature check here."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return now + default_lifetime


class SessionCache:
    """Least recently used sessions up to `max_accounts`, and one lock per
    account so that, within a process, one coroutine per account goes to the
    shared store to renew and the others wait for its answer."""

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
