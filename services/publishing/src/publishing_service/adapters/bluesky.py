"""The Bluesky connector: AT Protocol XRPC over HTTP against a PDS.

* createSession / refreshSession, cached per account (bluesky_sessions);
* com.atproto.repo.createRecord of an app.bsky.feed.post whose record key
  is derived from the share id (domain.tid), with a link facet so the
  tracked short link is clickable;
* when the key is taken (a redelivered share), com.atproto.repo.getRecord
  returns the post made the first time: the same share posts once; find()
  asks the same question before anything is sent.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from publishing_service.adapters.bluesky_sessions import Session, SessionCache, jwt_expiry
from publishing_service.app.ports import (
    AccountCredentials,
    CredentialsRejected,
    PostDraft,
    PublishedPost,
    RejectedByNetwork,
    RetryableNetworkError,
    VerifiedAccount,
)
from publishing_service.domain.tid import rkey_for_share

POST_COLLECTION = "app.bsky.feed.post"
LINK_FEATURE = "app.bsky.richtext.facet#link"
# Errors a PDS answers when the token, not the request, is the problem.
_TOKEN_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired"}


def post_record(draft: PostDraft) -> dict[str, Any]:
    record: dict[str, Any] = {
        "$type": POST_COLLECTION,
        "text": draft.text,
        "createdAt": draft.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    if draft.language:
        record["langs"] = [draft.language]
    if draft.link is not None:
        record["facets"] = [
            {
                "index": {"byteStart": draft.link.byte_start, "byteEnd": draft.link.byte_end},
                "features": [{"$type": LINK_FEATURE, "uri": draft.link.uri}],
            }
        ]
    return record


def _error_of(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
        return str(body.get("error", "")), str(body.get("message", ""))[:200]
    except ValueError:
        return "", ""


def _is_token_problem(response: httpx.Response) -> bool:
    return response.status_code in (400, 401) and _error_of(response)[0] in _TOKEN_ERRORS


def _raise_for(response: httpx.Response, what: str) -> None:
    """Map an XRPC failure to retryable (429, 5xx) or a rejection (other 4xx)."""
    if response.is_success:
        return
    error, message = _error_of(response)
    if response.status_code == 429 or response.status_code >= 500:
        raise RetryableNetworkError(f"{what}: HTTP {response.status_code} {error}".strip())
    if response.status_code == 401 or error in _TOKEN_ERRORS:
        raise CredentialsRejected(
            f"{what}: bluesky rejected the account's credentials ({error or 'HTTP 401'})"
        )
    raise RejectedByNetwork(
        f"{what}: {error or 'HTTP ' + str(response.status_code)} {message}".strip()
    )


class BlueskyConnector:
    network = "bluesky"

    def __init__(
        self,
        pds_url: str,
        *,
        client: httpx.AsyncClient | None = None,
        timeout_seconds: float = 10.0,
        clock: Callable[[], float] = time.time,
        sessions: SessionCache | None = None,
    ) -> None:
        self.pds_url = pds_url.rstrip("/")
        self.client = client or httpx.AsyncClient(timeout=timeout_seconds)
        self.clock = clock
        self.sessions = sessions or SessionCache()

    async def aclose(self) -> None:
        await self.client.aclose()

    async def verify(self, account: AccountCredentials) -> VerifiedAccount:
        async with self.sessions.lock(account.account_id):
            session = await self._create_session(account)
        # App passwords do not expire; sessions are renewed as they do.
        return VerifiedAccount(session.did)

    async def find(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost | None:
        session = await self._session(account)
        return await self._get_post(session, rkey_for_share(draft.share_id))

    async def publish(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost:
        rkey = rkey_for_share(draft.share_id)
        record = post_record(draft)

        async def create(session: Session) -> httpx.Response:
            body = {
                "repo": session.did,
                "collection": POST_COLLECTION,
                "rkey": rkey,
                "record": record,
            }
            return await self._xrpc(
                "POST", "com.atproto.repo.createRecord", session=session, json=body
            )

        response, session = await self._with_session(account, create)
        if response.is_success:
            data = response.json()
            return PublishedPost(uri=data["uri"], cid=data["cid"], already_existed=False)
        if response.status_code != 429:
            # A taken key has no error of its own: @atproto/pds 0.5 answers
            # HTTP 500 InternalServerError (its repo tree throws "There is
            # already a value at key"), indistinguishable from a real 5xx whose
            # outcome is unknown. Either way the record under our key, if it
            # is there, is this share's post, made by an earlier attempt.
            existing = await self._get_post(session, rkey)
            if existing is not None:
                return existing
        _raise_for(response, "createRecord")
        raise AssertionError("unreachable: a failed response always raises")

    async def _get_post(self, session: Session, rkey: str) -> PublishedPost | None:
        params = {"repo": session.did, "collection": POST_COLLECTION, "rkey": rkey}
        response = await self._xrpc("GET", "com.atproto.repo.getRecord", params=params)
        if response.is_success:
            data = response.json()
            return PublishedPost(uri=data["uri"], cid=data["cid"], already_existed=True)
        if response.status_code == 400 and _error_of(response)[0] == "RecordNotFound":
            return None
        _raise_for(response, "getRecord")
        return None

    async def _with_session(
        self, account: AccountCredentials, call: Callable[[Session], Awaitable[httpx.Response]]
    ) -> tuple[httpx.Response, Session]:
        """Run `call` with a valid session; once more with a renewed one when
        the PDS says the token (not the request) is the problem."""
        session = await self._session(account)
        response = await call(session)
        if _is_token_problem(response):
            session = await self._session(account, stale=session)
            response = await call(session)
        return response, session

    async def _session(self, account: AccountCredentials, stale: Session | None = None) -> Session:
        async with self.sessions.lock(account.account_id):
            cached = self.sessions.get(account.account_id)
            if cached is not None and cached is not stale and cached.fresh(self.clock()):
                return cached  # fresh, or already renewed by a concurrent caller
            if cached is not None:
                renewed = await self._refresh(account.account_id, cached)
                if renewed is not None:
                    return renewed
            return await self._create_session(account)

    async def _create_session(self, account: AccountCredentials) -> Session:
        response = await self._xrpc(
            "POST",
            "com.atproto.server.createSession",
            json={"identifier": account.handle, "password": account.secret},
        )
        if response.status_code in (400, 401) and not _error_of(response)[0].startswith(
            "RateLimit"
        ):
            self.sessions.forget(account.account_id)
            raise CredentialsRejected("bluesky rejected the credentials for this handle")
        _raise_for(response, "createSession")
        return self._remember(account.account_id, response.json())

    async def _refresh(self, account_id: str, session: Session) -> Session | None:
        response = await self._xrpc(
            "POST", "com.atproto.server.refreshSession", bearer=session.refresh_jwt
        )
        if response.is_success:
            return self._remember(account_id, response.json())
        if response.status_code == 429 or response.status_code >= 500:
            _raise_for(response, "refreshSession")
        self.sessions.forget(account_id)  # refresh token expired or revoked: log in again
        return None

    def _remember(self, account_id: str, data: dict[str, Any]) -> Session:
        now = self.clock()
        session = Session(
            did=data["did"],
            access_jwt=data["accessJwt"],
            refresh_jwt=data["refreshJwt"],
            access_expires_at=jwt_expiry(data["accessJwt"], now),
        )
        self.sessions.put(account_id, session)
        return session

    async def _xrpc(
        self,
        method: str,
        nsid: str,
        *,
        session: Session | None = None,
        bearer: str | None = None,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        token = bearer or (session.access_jwt if session else None)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            return await self.client.request(
                method, f"{self.pds_url}/xrpc/{nsid}", headers=headers, json=json, params=params
            )
        except httpx.TransportError as error:
            # Connection refused, reset, timeout: the outcome of a write is
            # unknown, and the deterministic record key makes a retry safe.
            raise RetryableNetworkError(f"{nsid}: {type(error).__name__}") from None
