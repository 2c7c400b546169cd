"""The Bluesky connector: AT Protocol XRPC over HTTP against a PDS.

* createSession / refreshSession, one session per account shared by every
  replica and surviving restarts (session_store: sealed in Redis, renewed
  under a per-account lock, never created again while one is usable or
  refreshable);
* every call takes from the shared budgets first (NetworkBudget: session
  creation and refresh too), and the PDS's RateLimit-* headers and 429s
  adapt them for every replica;
* com.atproto.repo.createRecord of an app.bsky.feed.post whose record key
  is derived from the share id (domain.tid), with a link facet so the
  tracked short link is clickable;
* its images uploaded first (com.atproto.repo.uploadBlob, paid for like
  every call) and embedded (app.bsky.embed.images: at most 4, each at most
  1,000,000 bytes, with alt text and aspect ratio), else a link card
  (app.bsky.embed.external, its thumbnail uploaded the same way): a post
  has one embed. Too many or too large images are refused before anything
  is uploaded;
* when the key is taken (a redelivered share), com.atproto.repo.getRecord
  returns the post made the first time: the same share posts once; find()
  asks the same question before anything is sent.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from publishing_service.adapters.bluesky_sessions import (
    DEFAULT_REFRESH_LIFETIME_SECONDS,
    Session,
    jwt_expiry,
)
from publishing_service.adapters.network_calls import paid_call
from publishing_service.adapters.session_store import RedisSessionStore
from publishing_service.app.ports import (
    AccountCredentials,
    CredentialsRejected,
    LinkCard,
    MediaItem,
    NetworkBudget,
    PostDraft,
    PublishedPost,
    RateLimited,
    RejectedByNetwork,
    Rejection,
    RetryableNetworkError,
    VerifiedAccount,
)
from publishing_service.domain.rate_signals import (
    RateSignal,
    Scope,
    ietf_rate_limit,
    retry_after,
)
from publishing_service.domain.tid import rkey_for_share

POST_COLLECTION = "app.bsky.feed.post"
LINK_FEATURE = "app.bsky.richtext.facet#link"
IMAGES_EMBED = "app.bsky.embed.images"
EXTERNAL_EMBED = "app.bsky.embed.external"
# The lexicons' limits: app.bsky.embed.images takes at most 4 images of
# image/* up to 1,000,000 bytes each; app.bsky.embed.external's thumb the same.
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 1_000_000
# Errors a PDS answers when the token, not the request, is the problem.
_TOKEN_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired"}
# A 429 without a reset the PDS states: try again after this long.
DEFAULT_BACK_OFF_SECONDS = 60.0


def refuse_unpostable(draft: PostDraft) -> None:
    """What the PDS would refuse, said before any blob is uploaded (and any
    budget spent): too many images, one too large or not an image."""
    if len(draft.media) > MAX_IMAGES:
        raise RejectedByNetwork(
            f"too many images: {len(draft.media)}, bluesky takes at most {MAX_IMAGES}",
            Rejection.MEDIA_REFUSED,
        )
    thumbnail = draft.card.thumbnail if draft.card is not None and not draft.media else None
    for item in (*draft.media, *((thumbnail,) if thumbnail else ())):
        if not item.content_type.startswith("image/"):
            raise RejectedByNetwork(
                f"media {item.media_id} is not an image ({item.content_type})",
                Rejection.MEDIA_REFUSED,
            )
        if len(item.data) > MAX_IMAGE_BYTES:
            raise RejectedByNetwork(
                f"image too large: media {item.media_id} is {len(item.data)} bytes,"
                f" bluesky takes at most {MAX_IMAGE_BYTES}",
                Rejection.MEDIA_REFUSED,
            )


def images_embed(media: tuple[MediaItem, ...], blobs: list[dict[str, Any]]) -> dict[str, Any]:
    images: list[dict[str, Any]] = []
    for item, blob in zip(media, blobs, strict=True):
        image: dict[str, Any] = {"image": blob, "alt": item.alt_text}
        if item.width > 0 and item.height > 0:
            image["aspectRatio"] = {"width": item.width, "height": item.height}
        images.append(image)
    return {"$type": IMAGES_EMBED, "images": images}


def external_embed(card: LinkCard, thumb: dict[str, Any] | None) -> dict[str, Any]:
    external: dict[str, Any] = {
        "uri": card.uri,
        "title": card.title,
        "description": card.description,
    }
    if thumb is not None:
        external["thumb"] = thumb
    return {"$type": EXTERNAL_EMBED, "external": external}


def post_record(draft: PostDraft, embed: dict[str, Any] | None = None) -> dict[str, Any]:
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
    if embed is not None:
        record["embed"] = embed
    return record


def _error_of(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
        return str(body.get("error", "")), str(body.get("message", ""))[:200]
    except ValueError:
        return "", ""


def _is_token_problem(response: httpx.Response) -> bool:
    return response.status_code in (400, 401) and _error_of(response)[0] in _TOKEN_ERRORS


def _retry_at(response: httpx.Response, now: datetime) -> datetime:
    """When a 429 may be tried again: Retry-After, else the window's reset,
    else DEFAULT_BACK_OFF_SECONDS."""
    signal = ietf_rate_limit(response.headers, Scope.ACCOUNT, now)
    retry_at = (
        retry_after(response.headers, now)
        or (signal.reset_at if signal is not None else None)
        or now + timedelta(seconds=DEFAULT_BACK_OFF_SECONDS)
    )
    return max(retry_at, now)


def _signals(response: httpx.Response, now: datetime) -> list[RateSignal]:
    """The PDS's RateLimit-* headers (its per-account windows), and a 429's
    "not before"."""
    found = [s for s in (ietf_rate_limit(response.headers, Scope.ACCOUNT, now),) if s]
    if response.status_code == 429:
        found.append(RateSignal(Scope.ACCOUNT, retry_at=_retry_at(response, now)))
    return found


def _raise_for(response: httpx.Response, what: str, now: datetime) -> None:
    """Map an XRPC failure to not-now (429: when the PDS says), retryable
    (5xx) or a rejection (other 4xx)."""
    if response.is_success:
        return
    error, message = _error_of(response)
    if response.status_code == 429:
        retry_at = _retry_at(response, now)
        raise RateLimited(f"{what}: HTTP 429 {error}".strip(), retry_at, Scope.ACCOUNT)
    if response.status_code >= 500:
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
        budget: NetworkBudget,
        *,
        sessions: RedisSessionStore,
        client: httpx.AsyncClient | None = None,
        timeout_seconds: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.pds_url = pds_url.rstrip("/")
        self.budget = budget
        # Whoever built the store closes it (it may outlive this connector).
        self.sessions = sessions
        self.client = client or httpx.AsyncClient(timeout=timeout_seconds)
        self.clock = clock

    async def aclose(self) -> None:
        await self.client.aclose()

    async def verify(self, account: AccountCredentials) -> VerifiedAccount:
        # New credentials: only signing in proves them (a stored session does
        # not), so a session is always created, under the account's lock, and
        # kept for the posts that follow.
        async def create(_: Session | None) -> Session:
            return await self._create_session(account)

        session = await self.sessions.session(account.account_id, lambda _: False, create)
        # App passwords do not expire; sessions are renewed as they do.
        return VerifiedAccount(session.did)

    async def find(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost | None:
        session = await self._session(account)
        return await self._get_post(account.account_id, session, rkey_for_share(draft.share_id))

    async def publish(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost:
        refuse_unpostable(draft)
        rkey = rkey_for_share(draft.share_id)
        record = post_record(draft, await self._embed(account, draft))

        async def create(session: Session) -> httpx.Response:
            body = {
                "repo": session.did,
                "collection": POST_COLLECTION,
                "rkey": rkey,
                "record": record,
            }
            return await self._xrpc(
                "POST",
                "com.atproto.repo.createRecord",
                account.account_id,
                session=session,
                json=body,
                posts=1,
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
            existing = await self._get_post(account.account_id, session, rkey)
            if existing is not None:
                return existing
        _raise_for(response, "createRecord", self._now())
        raise AssertionError("unreachable: a failed response always raises")

    async def _embed(self, account: AccountCredentials, draft: PostDraft) -> dict[str, Any] | None:
        """The post's one embed: its images, else its link card. A blob
        uploaded again (a redelivery) is the same blob: the PDS keys it by
        its CID, and drops the ones no record ends up using."""
        if draft.media:
            blobs = [await self._upload_blob(account, item) for item in draft.media]
            return images_embed(draft.media, blobs)
        if draft.card is not None:
            thumbnail = draft.card.thumbnail
            thumb = await self._upload_blob(account, thumbnail) if thumbnail else None
            return external_embed(draft.card, thumb)
        return None

    async def _upload_blob(self, account: AccountCredentials, item: MediaItem) -> dict[str, Any]:
        async def upload(session: Session) -> httpx.Response:
            return await self._xrpc(
                "POST",
                "com.atproto.repo.uploadBlob",
                account.account_id,
                session=session,
                content=item.data,
                content_type=item.content_type,
            )

        response, _ = await self._with_session(account, upload)
        if response.status_code == 413:
            raise RejectedByNetwork(
                f"image too large: the PDS refused media {item.media_id}", Rejection.MEDIA_REFUSED
            )
        _raise_for(response, "uploadBlob", self._now())
        blob = response.json().get("blob")
        if not isinstance(blob, dict) or "ref" not in blob:
            raise RetryableNetworkError("uploadBlob: an answer without a blob")
        return blob

    async def _get_post(
        self, account_key: str, session: Session, rkey: str
    ) -> PublishedPost | None:
        params = {"repo": session.did, "collection": POST_COLLECTION, "rkey": rkey}
        response = await self._xrpc("GET", "com.atproto.repo.getRecord", account_key, params=params)
        if response.is_success:
            data = response.json()
            return PublishedPost(uri=data["uri"], cid=data["cid"], already_existed=True)
        if response.status_code == 400 and _error_of(response)[0] == "RecordNotFound":
            return None
        _raise_for(response, "getRecord", self._now())
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
        """A fresh session the PDS has not refused (`stale`): this replica's,
        another's renewal, else refreshed, and created only when there is
        none to refresh or the refresh is refused."""

        def usable(session: Session) -> bool:
            refused = stale is not None and session.access_jwt == stale.access_jwt
            return not refused and session.fresh(self.clock())

        async def renew(current: Session | None) -> Session:
            if current is not None:
                renewed = await self._refresh(account.account_id, current)
                if renewed is not None:
                    return renewed
            return await self._create_session(account)

        return await self.sessions.session(account.account_id, usable, renew)

    async def _create_session(self, account: AccountCredentials) -> Session:
        response = await self._xrpc(
            "POST",
            "com.atproto.server.createSession",
            account.account_id,
            json={"identifier": account.handle, "password": account.secret},
        )
        if response.status_code in (400, 401) and not _error_of(response)[0].startswith(
            "RateLimit"
        ):
            raise CredentialsRejected("bluesky rejected the credentials for this handle")
        _raise_for(response, "createSession", self._now())
        return self._session_of(response.json())

    async def _refresh(self, account_id: str, session: Session) -> Session | None:
        response = await self._xrpc(
            "POST", "com.atproto.server.refreshSession", account_id, bearer=session.refresh_jwt
        )
        if response.is_success:
            return self._session_of(response.json())
        if response.status_code == 429 or response.status_code >= 500:
            _raise_for(response, "refreshSession", self._now())
        # Refresh token expired or revoked: no replica should try it again;
        # the caller (holding the account's lock) signs in once.
        await self.sessions.forget(account_id)
        return None

    def _session_of(self, data: dict[str, Any]) -> Session:
        now = self.clock()
        refresh_jwt = str(data["refreshJwt"])
        return Session(
            did=data["did"],
            access_jwt=data["accessJwt"],
            refresh_jwt=refresh_jwt,
            access_expires_at=jwt_expiry(data["accessJwt"], now),
            refresh_expires_at=jwt_expiry(refresh_jwt, now, DEFAULT_REFRESH_LIFETIME_SECONDS),
        )

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    async def _xrpc(
        self,
        method: str,
        nsid: str,
        account_key: str,
        *,
        session: Session | None = None,
        bearer: str | None = None,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        content: bytes | None = None,
        content_type: str = "",
        posts: float = 0.0,
    ) -> httpx.Response:
        """One paid call (adapters/network_calls.py). A write whose answer
        never came is retryable, not an unknown outcome: the record key
        derived from the share id makes a second post impossible."""
        token = bearer or (session.access_jwt if session else None)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if content_type:
            headers["Content-Type"] = content_type
        return await paid_call(
            self.client,
            self.budget,
            self.network,
            account_key,
            method,
            f"{self.pds_url}/xrpc/{nsid}",
            what=nsid,
            signals=lambda response: _signals(response, self._now()),
            posts=posts,
            headers=headers,
            json=json,
            params=params,
            content=content,
        )
