"""A scripted Bluesky PDS for the answers the real local PDS cannot be made
to give on demand (429, 503, an expiring or revoked token, a slow sign-in
that two replicas race for). A test tool only; everything else runs against
the real PDS.

What it implements, as @atproto/pds does:
* com.atproto.server.createSession -> a session for the identifier (the DID
  is did:plc:<first letter of the handle>), access JWT valid
  `access_lifetime` seconds, refresh JWT 90 days;
* com.atproto.server.refreshSession with the refresh JWT as Bearer -> a new
  session; the refresh JWT rotates (the one used stops working), and an
  unknown or used one gets 400 ExpiredToken;
* com.atproto.repo.createRecord (Bearer access JWT of the repo's DID; a
  revoked one gets 400 ExpiredToken), `create_answers` scripting its replies
  in order; com.atproto.repo.getRecord by record key.
`pauses` makes an XRPC method take that long (the transport is async), so
concurrent callers really overlap. Replicas builds connectors as replicas
of publishing would have them, on one shared session store."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections import Counter
from typing import Any

import httpx
from publishing_service.adapters.bluesky import BlueskyConnector
from publishing_service.adapters.session_store import RedisSessionStore
from publishing_service.app.ports import NetworkBudget, SecretCipher
from redis.asyncio import Redis

from tests.simulators.harness import RecordingBudget

NOW = 1_750_000_000.0
REFRESH_LIFETIME = 90 * 24 * 3600.0


def jwt(exp: float, sub: str = "did:plc:a", nonce: int = 0) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'ES256K'})}.{part({'exp': exp, 'sub': sub, 'n': nonce})}.sig"


def _error(name: str, message: str) -> httpx.Response:
    return httpx.Response(400, json={"error": name, "message": message})


class ScriptedPds:
    def __init__(self, access_lifetime: float = 3600, clock: list[float] | None = None) -> None:
        self.calls: Counter[str] = Counter()
        self.create_answers: list[httpx.Response] = []
        self.stored: dict[str, str] = {}
        self.valid_tokens: dict[str, str] = {}  # access JWT -> DID
        self.refresh_tokens: dict[str, str] = {}  # refresh JWT -> DID, until used
        self.access_lifetime = access_lifetime
        self.clock = clock if clock is not None else [NOW]  # the test's: tokens age with it
        self.refresh_ok = True
        self.pauses: dict[str, float] = {}
        self._issued = 0

    def transport(self) -> httpx.MockTransport:
        async def handle(request: httpx.Request) -> httpx.Response:
            pause = self.pauses.get(request.url.path.removeprefix("/xrpc/"), 0.0)
            if pause:
                await asyncio.sleep(pause)
            return self(request)

        return httpx.MockTransport(handle)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=self.transport())

    def session(self, did: str) -> httpx.Response:
        self._issued += 1
        now = self.clock[0]
        access = jwt(now + self.access_lifetime, did, self._issued)
        refresh = jwt(now + REFRESH_LIFETIME, did, self._issued)
        self.valid_tokens[access] = did
        self.refresh_tokens[refresh] = did
        body = {"did": did, "handle": "x.test", "accessJwt": access, "refreshJwt": refresh}
        return httpx.Response(200, json=body)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        nsid = request.url.path.removeprefix("/xrpc/")
        self.calls[nsid] += 1
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if nsid == "com.atproto.server.createSession":
            identifier = str(json.loads(request.content)["identifier"])
            return self.session(f"did:plc:{identifier[0]}")
        if nsid == "com.atproto.server.refreshSession":
            did = self.refresh_tokens.pop(bearer, None)
            if self.refresh_ok and did is not None:
                return self.session(did)
            return _error("ExpiredToken", "Token has expired")
        if nsid == "com.atproto.repo.getRecord":
            rkey = request.url.params["rkey"]
            if rkey in self.stored:
                return httpx.Response(
                    200, json={"uri": self.stored[rkey], "cid": "bafy", "value": {}}
                )
            return _error("RecordNotFound", "Could not locate record")
        assert nsid == "com.atproto.repo.createRecord"
        body = json.loads(request.content)
        if self.valid_tokens.get(bearer) != body["repo"]:
            return _error("ExpiredToken", "Token has expired")
        if self.create_answers:
            return self.create_answers.pop(0)
        uri = f"at://{body['repo']}/app.bsky.feed.post/{body['rkey']}"
        self.stored[body["rkey"]] = uri
        return httpx.Response(200, json={"uri": uri, "cid": "bafy"})


class Replicas:
    """Bluesky connectors as publishing replicas run them: each with its own
    Redis client and in-process cache (its own process), all on one shared
    session store (one Redis prefix, one service key)."""

    def __init__(self, redis_url: str, cipher: SecretCipher) -> None:
        self.redis_url = redis_url
        self.cipher = cipher
        self.prefix = f"test:sessions:{uuid.uuid4().hex}:"
        self._made: list[tuple[BlueskyConnector, RedisSessionStore]] = []

    def store(self, clock: list[float], **options: Any) -> RedisSessionStore:
        redis = Redis.from_url(self.redis_url, socket_timeout=2.0, socket_connect_timeout=2.0)
        return RedisSessionStore(
            redis, self.cipher, prefix=self.prefix, clock=lambda: clock[0], **options
        )

    def start(
        self,
        pds: ScriptedPds,
        clock: list[float],
        budget: NetworkBudget | None = None,
        *,
        client: httpx.AsyncClient | None = None,
        **store_options: Any,
    ) -> BlueskyConnector:
        store = self.store(clock, **store_options)
        connector = BlueskyConnector(
            "http://pds.test",
            budget if budget is not None else RecordingBudget(),
            sessions=store,
            client=client or pds.client(),
            clock=lambda: clock[0],
        )
        self._made.append((connector, store))
        return connector

    async def close(self) -> None:
        for connector, store in self._made:
            await connector.aclose()
            await store.close()
