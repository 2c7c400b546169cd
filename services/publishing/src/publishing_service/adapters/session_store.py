"""Bluesky sessions shared by every publishing replica, in Redis.

Why: createSession is slow (about 350 ms) and limited hard (30 per 5 minutes
per account), so a restarted or added replica must not sign every account in
again; it takes the session another replica (or its own earlier life) made.

Stored per account under publishing's own account id (opaque, never the
handle): the whole session (DID, access and refresh JWTs, their expiries) as
JSON sealed by the service's SecretCipher, with associated data naming the
purpose, the network and the account id, so a value copied under another
account's key does not decrypt, and counts as no session. The key expires
with the refresh JWT: past that the session could only be created again.

Renewing (refresh or create) runs under a short per-account lock in Redis
(SET NX PX with a random token, released by a compare-and-delete script):
Bluesky refresh tokens rotate, so two replicas refreshing one account at once
would log each other out. A replica that does not get the lock waits briefly
and reads the store again: the holder's renewal is what it wants. Within a
process one coroutine per account goes to Redis (SessionCache's lock), the
others wait for it. The in-process cache answers only while its access token
suits the caller; anything else (expiring, rejected by the PDS) reads Redis
first, so another replica's renewal is seen before deciding to renew.

Redis not answering is a retryable failure, as it is for the budgets taken
before every call: the share waits.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from publishing_service.adapters.bluesky_sessions import Session, SessionCache
from publishing_service.app.ports import RetryableNetworkError, SecretCipher, SecretUnreadable

PREFIX = "chorus:publishing:session:"
# Held while one refresh and, if that fails, one createSession are made
# (each bounded by the connector's HTTP timeout, 10 s by default): a holder
# that dies frees the account this long after, at most.
LOCK_TTL_SECONDS = 30.0
# A waiter re-reads the store this often, backing off: renewals take about a
# third of a second, so most waiters read the new session on their 3rd or
# 4th look.
FIRST_POLL_SECONDS = 0.025
MAX_POLL_SECONDS = 0.5
UNAVAILABLE = "the shared session store is unavailable"

# KEYS[1]: the lock. ARGV[1]: the holder's token. Deletes only our own lock:
# one that expired and was taken by another replica is theirs.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

Usable = Callable[[Session], bool]
Renew = Callable[[Session | None], Awaitable[Session]]


def associated_data(network: str, account_id: str) -> bytes:
    """Binds a sealed session to its account and purpose."""
    return "\x1f".join(("chorus/publishing/session/v1", network, account_id)).encode()


class RedisSessionStore:
    def __init__(
        self,
        redis: Redis,
        cipher: SecretCipher,
        *,
        network: str = "bluesky",
        prefix: str = PREFIX,
        clock: Callable[[], float] = time.time,
        lock_ttl_seconds: float = LOCK_TTL_SECONDS,
        local: SessionCache | None = None,
    ) -> None:
        self.redis = redis
        self.cipher = cipher
        self.network = network
        self.prefix = prefix
        self.clock = clock
        self.lock_ttl_seconds = lock_ttl_seconds
        self.local = local or SessionCache()
        self._release = redis.register_script(_RELEASE)

    @classmethod
    def from_url(
        cls,
        url: str,
        cipher: SecretCipher,
        *,
        prefix: str = PREFIX,
        clock: Callable[[], float] = time.time,
    ) -> RedisSessionStore:
        # Short timeouts: a slow Redis must not hold every share up.
        redis = Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        return cls(redis, cipher, prefix=prefix, clock=clock)

    def key(self, account_id: str) -> str:
        return f"{self.prefix}{self.network}:{account_id}"

    async def session(self, account_id: str, usable: Usable, renew: Renew) -> Session:
        """A session `usable` accepts: this process's, else the store's,
        else the one `renew` makes from the stored one (or from nothing),
        under the account's lock, stored for every replica. Raises what
        `renew` raises, and RetryableNetworkError when Redis does not answer
        or another replica holds the lock past its time."""
        cached = self.local.get(account_id)
        if cached is not None and usable(cached):
            return cached
        async with self.local.lock(account_id):
            deadline = time.monotonic() + self.lock_ttl_seconds
            pause = FIRST_POLL_SECONDS
            while True:
                current = await self.get(account_id)
                if current is not None and usable(current):
                    return current
                token = await self._acquire(account_id)
                if token is not None:
                    try:
                        # Renewed by another replica between our read and the lock?
                        current = await self.get(account_id)
                        if current is not None and usable(current):
                            return current
                        renewed = await renew(current)
                        await self.put(account_id, renewed)
                        return renewed
                    finally:
                        await self._unlock(account_id, token)
                if time.monotonic() + pause > deadline:
                    raise RetryableNetworkError("another replica is renewing the session")
                await asyncio.sleep(pause)
                pause = min(pause * 2, MAX_POLL_SECONDS)

    async def get(self, account_id: str) -> Session | None:
        """The stored session (kept in this process too), or None: none
        stored, or one that does not open for this account (copied from
        another key, another service's key, tampered with)."""
        try:
            stored = await self.redis.get(self.key(account_id))
        except RedisError as error:
            raise RetryableNetworkError(UNAVAILABLE) from error
        # bytes: the client is not built to decode responses (a sealed value is not text).
        session = self._open(account_id, stored) if isinstance(stored, bytes) else None
        if session is None:
            self.local.forget(account_id)
        else:
            self.local.put(account_id, session)
        return session

    async def put(self, account_id: str, session: Session) -> None:
        # Here first: a renewed session is usable by this process even if
        # Redis fails to take it.
        self.local.put(account_id, session)
        ttl_ms = int((session.refresh_expires_at - self.clock()) * 1000)
        try:
            if ttl_ms <= 0:  # cannot be refreshed: nothing worth sharing
                await self.redis.delete(self.key(account_id))
                return
            await self.redis.set(self.key(account_id), self._seal(account_id, session), px=ttl_ms)
        except RedisError as error:
            raise RetryableNetworkError(UNAVAILABLE) from error

    async def forget(self, account_id: str) -> None:
        """No replica should use it again: the PDS refused it, or the account
        was disconnected, reconnected or erased (app/sessions.py; the
        StoredSessions port). Other replicas' in-process copies are not
        reached: they answer only while their access token is fresh."""
        self.local.forget(account_id)
        try:
            await self.redis.delete(self.key(account_id))
        except RedisError as error:
            raise RetryableNetworkError(UNAVAILABLE) from error

    async def close(self) -> None:
        await self.redis.aclose()

    def _seal(self, account_id: str, session: Session) -> bytes:
        plain = json.dumps(
            {
                "did": session.did,
                "access": session.access_jwt,
                "refresh": session.refresh_jwt,
                "access_exp": session.access_expires_at,
                "refresh_exp": session.refresh_expires_at,
            }
        )
        return self.cipher.encrypt(plain, associated_data(self.network, account_id))

    def _open(self, account_id: str, stored: bytes) -> Session | None:
        try:
            data = json.loads(
                self.cipher.decrypt(stored, associated_data(self.network, account_id))
            )
            return Session(
                did=str(data["did"]),
                access_jwt=str(data["access"]),
                refresh_jwt=str(data["refresh"]),
                access_expires_at=float(data["access_exp"]),
                refresh_expires_at=float(data["refresh_exp"]),
            )
        except (SecretUnreadable, ValueError, KeyError, TypeError):
            return None

    async def _acquire(self, account_id: str) -> str | None:
        token = secrets.token_hex(16)
        try:
            taken = await self.redis.set(
                f"{self.key(account_id)}:lock",
                token,
                nx=True,
                px=int(self.lock_ttl_seconds * 1000),
            )
        except RedisError as error:
            raise RetryableNetworkError(UNAVAILABLE) from error
        return token if taken else None

    async def _unlock(self, account_id: str, token: str) -> None:
        try:
            await self._release(keys=[f"{self.key(account_id)}:lock"], args=[token])
        except RedisError:
            # The lock expires by itself; the renewal already happened.
            pass
