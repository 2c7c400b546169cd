"""The Mastodon connector: the REST API of the employee's own instance.

Mastodon is one server per instance: the account's handle is
`user@instance.example` and every call goes to `https://instance.example`.
The stored secret is the OAuth access token the employee authorised
(domain.oauth_tokens); Mastodon tokens do not expire unless revoked.

* verify: GET /api/v1/accounts/verify_credentials -> the account's id;
* publish: each image with POST /api/v2/media (multipart `file` and
  `description`, the alt text; a 202 is still processing: GET
  /api/v1/media/:id until it has a url), then POST /api/v1/statuses with
  an `Idempotency-Key` derived from the share id: Mastodon keeps the key
  for an hour and answers a repeated POST with the status made the first
  time, so a redelivered share within that hour posts once;
* find: the account's 40 latest statuses (GET /api/v1/accounts/:id/statuses),
  the one whose content holds the share's tracked short link. Past the
  key's hour a repeated POST would be a second status, so reconciliation
  reads, it never re-sends to ask.

Limits (docs: api/rate-limits; Mastodon's config/initializers/rack_attack.rb
and RateLimiter): 300 requests per 5 minutes per account on every endpoint,
30 media uploads per 30 minutes, windows aligned to the epoch; every answer
carries X-RateLimit-Limit / -Remaining / -Reset (an ISO 8601 instant) of
the limit it is closest to exceeding, and a 429 when one is spent.

Nothing here logs: an error names the endpoint and Mastodon's error string,
never the token, the handle or the post text.
"""

from __future__ import annotations

import asyncio
import mimetypes
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import httpx
from chorus_core.errors import InvalidArgument
from chorus_core.ids import stable_id

from publishing_service.adapters.network_calls import paid_call
from publishing_service.app.ports import (
    AccountCredentials,
    CredentialsRejected,
    MediaItem,
    NetworkBudget,
    OutcomeUnknown,
    PostDraft,
    PublishedPost,
    RateLimited,
    RejectedByNetwork,
    Rejection,
    RetryableNetworkError,
    VerifiedAccount,
)
from publishing_service.domain.network_limits import LIMITS
from publishing_service.domain.oauth_tokens import OAuthToken
from publishing_service.domain.rate_signals import (
    RateSignal,
    Scope,
    mastodon_rate_limit,
    retry_after,
)

NETWORK = "mastodon"
# A vanilla instance attaches at most 4 images to a status
# (PostStatusService: "Cannot attach more than 4 files").
MAX_MEDIA = 4
# The account's statuses endpoint answers at most 40 per page.
FIND_LIMIT = 40
# A 429 without a readable X-RateLimit-Reset (or Retry-After): Mastodon's
# windows are aligned to the epoch, so the account's window (5 minutes,
# network_limits) starts again at the next multiple of its length.
_FALLBACK_WINDOW = LIMITS[NETWORK].account[0].seconds
# Errors that mean the token, not the request, is the problem: reconnecting
# (with the scopes Chorus asks for) fixes them. A revoked or unknown token
# is a 401 "The access token is invalid"; a token without the scope a 403.
_TOKEN_ERRORS = (
    "The access token is invalid",
    "This action is outside the authorized scopes",
    "This method requires an authenticated user",
)
# A DNS name with at least one dot; no IP literal, port or path, so a
# handle cannot point publishing (and the employee's token) at an internal
# address.
_INSTANCE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$"
)
_USER = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$")


def instance_of(handle: str) -> str:
    """The instance of `user@instance.example` (a leading @ is allowed).
    Raises InvalidArgument naming `handle`."""
    user, at, instance = handle.strip().lstrip("@").rpartition("@")
    instance = instance.lower()
    if not at or not _USER.match(user) or not _INSTANCE.match(instance):
        raise InvalidArgument("handle", "is not a Mastodon handle (like name@mastodon.social)")
    return instance


def idempotency_key(share_id: str) -> str:
    """The share's Idempotency-Key: the same on every attempt (that is the
    point), a UUIDv5 of our own namespace rather than the share id itself,
    so the instance's operator does not learn Chorus's ids and another kind
    of write for the same share would never collide with this one."""
    return stable_id("publishing/mastodon/status", share_id)


class _Content(HTMLParser):
    """The text and link targets of a status's `content` (HTML: paragraphs,
    <br>, links whose visible text is split over spans). Entities are
    unescaped (convert_charrefs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_content(html: str) -> tuple[str, list[str]]:
    """(the text a reader sees, the links' targets) of a status's content."""
    parser = _Content()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts), parser.hrefs


def _squashed(text: str) -> str:
    return " ".join(text.split())


def is_post_of(status: Mapping[str, Any], draft: PostDraft) -> bool:
    """Is this status the draft's? Its tracked short link is unique to the
    share: a link to exactly it, or the link as a word of the text. With no
    link, the same text (whitespace aside)."""
    content = status.get("content")
    if not isinstance(content, str):
        return False
    text, hrefs = plain_content(content)
    if draft.link is not None:
        return draft.link.uri in hrefs or draft.link.uri in text.split()
    return _squashed(text) == _squashed(draft.text)


def _error_of(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return str(error)[:200] if error else ""


def _file_name(item: MediaItem) -> str:
    """The drive's id with the extension of its type: the instance checks
    a file's extension against its content."""
    return item.media_id + (mimetypes.guess_extension(item.content_type) or "")


class MastodonConnector:
    network = NETWORK

    def __init__(
        self,
        budget: NetworkBudget,
        *,
        client: httpx.AsyncClient | None = None,
        scheme: str = "https",
        timeout_seconds: float = 10.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        media_poll_interval: float = 1.0,
        media_poll_attempts: int = 10,
    ) -> None:
        self.budget = budget
        self.client = client or httpx.AsyncClient(timeout=timeout_seconds)
        self.scheme = scheme
        self.clock = clock
        self.sleep = sleep
        self.media_poll_interval = media_poll_interval
        self.media_poll_attempts = media_poll_attempts

    async def aclose(self) -> None:
        await self.client.aclose()

    async def verify(self, account: AccountCredentials) -> VerifiedAccount:
        # Connecting: a bad handle or secret is the caller's INVALID_ARGUMENT.
        instance = instance_of(account.handle)
        token = OAuthToken.parse(account.secret)
        me = await self._me(account, instance, token)
        # Mastodon's tokens do not expire unless revoked; an expiry stored
        # with the token (OAuthToken) is the only one there is to report.
        return VerifiedAccount(me, token.expires_at)

    async def publish(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost:
        if len(draft.media) > MAX_MEDIA:
            raise RejectedByNetwork(
                f"mastodon attaches at most {MAX_MEDIA} images to a post", Rejection.MEDIA_REFUSED
            )
        instance, token = self._stored(account)
        media_ids = [await self._upload(account, instance, token, item) for item in draft.media]
        # Form fields, as documented. No link card: Mastodon makes the
        # preview itself from the first link of the text (the short link).
        form: dict[str, str | list[str]] = {"status": draft.text, "visibility": "public"}
        if draft.language:
            form["language"] = draft.language
        if media_ids:
            form["media_ids[]"] = media_ids
        response = await self._call(
            account,
            instance,
            token,
            "POST",
            "/api/v1/statuses",
            posts=1,  # one post: the budget counts its units
            creates=True,
            headers={"Idempotency-Key": idempotency_key(draft.share_id)},
            data=form,
        )
        if response.is_success:
            status = self._json(response)
            if not isinstance(status, dict) or not status.get("id"):
                # Something answered 2xx without a status: the post may exist.
                raise OutcomeUnknown("statuses: a 2xx answer without a status id")
            # A repeated key's answer is the first status, told apart by
            # nothing: already_existed stays False (the ledger keeps one row).
            return PublishedPost(
                uri=str(status["id"]),
                cid="",
                already_existed=False,
                url=str(status.get("url") or ""),
            )
        self._refuse(response, "statuses", creates=True)
        raise AssertionError("unreachable: a failed response always raises")

    async def find(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost | None:
        instance, token = self._stored(account)
        me = await self._me(account, instance, token)
        response = await self._call(
            account,
            instance,
            token,
            "GET",
            f"/api/v1/accounts/{quote(me, safe='')}/statuses",
            params={"limit": str(FIND_LIMIT), "exclude_reblogs": "true"},
        )
        self._refuse(response, "account statuses")
        statuses = self._json(response)
        for status in statuses if isinstance(statuses, list) else ():
            if isinstance(status, dict) and status.get("id") and is_post_of(status, draft):
                return PublishedPost(
                    uri=str(status["id"]),
                    cid="",
                    already_existed=True,
                    url=str(status.get("url") or ""),
                )
        return None

    def _stored(self, account: AccountCredentials) -> tuple[str, OAuthToken]:
        """The instance and token of a connected account. What was stored
        and no longer reads (a handle saved before it was checked) can only
        be fixed by connecting again."""
        try:
            return instance_of(account.handle), OAuthToken.parse(account.secret)
        except InvalidArgument as bad:
            raise CredentialsRejected(
                f"mastodon: the stored account is unusable ({bad.field}); reconnect it"
            ) from None

    async def _me(self, account: AccountCredentials, instance: str, token: OAuthToken) -> str:
        response = await self._call(
            account, instance, token, "GET", "/api/v1/accounts/verify_credentials"
        )
        self._refuse(response, "verify_credentials")
        me = self._json(response)
        if not isinstance(me, dict) or not me.get("id"):
            raise RetryableNetworkError("verify_credentials: an answer without an account id")
        return str(me["id"])

    async def _upload(
        self, account: AccountCredentials, instance: str, token: OAuthToken, item: MediaItem
    ) -> str:
        """Upload one image; its id once the instance has processed it.
        An upload is not the post: a failure here (even after sending) is
        retryable, and an orphan upload is cleaned up by the instance."""
        response = await self._call(
            account,
            instance,
            token,
            "POST",
            "/api/v2/media",
            files={"file": (_file_name(item), item.data, item.content_type)},
            data={"description": item.alt_text} if item.alt_text else None,
        )
        self._refuse(response, "media")
        media = self._json(response)
        if not isinstance(media, dict) or not media.get("id"):
            raise RetryableNetworkError("media: an answer without a media id")
        media_id = str(media["id"])
        # 200 with a url: ready. 202 (url null): processing in the
        # background, and a status may attach it only once it has a url:
        # ask again (206 while processing), a bounded number of times.
        polls = 0
        while not (response.status_code == 200 and media.get("url")):
            if polls == self.media_poll_attempts:
                raise RetryableNetworkError("media: still processing after the polls allowed")
            polls += 1
            await self.sleep(self.media_poll_interval)
            response = await self._call(
                account, instance, token, "GET", f"/api/v1/media/{quote(media_id, safe='')}"
            )
            self._refuse(response, "media")
            answer = self._json(response)
            media = answer if isinstance(answer, dict) else {}
        return media_id

    async def _call(
        self,
        account: AccountCredentials,
        instance: str,
        token: OAuthToken,
        method: str,
        path: str,
        *,
        posts: float = 0.0,
        creates: bool = False,
        headers: Mapping[str, str] | None = None,
        **request: Any,
    ) -> httpx.Response:
        """One paid call (adapters/network_calls.py)."""
        sent_headers = {"Authorization": f"Bearer {token.access_token}", **(headers or {})}
        return await paid_call(
            self.client,
            self.budget,
            self.network,
            account.account_id,
            method,
            f"{self.scheme}://{instance}{path}",
            what="statuses" if creates else path,
            signals=self._signals,
            posts=posts,
            creates=creates,
            headers=sent_headers,
            **request,
        )

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _signals(self, response: httpx.Response) -> list[RateSignal]:
        """The X-RateLimit-* headers (per account: Mastodon has no per-app
        limit), and on a 429 "not before" the time it says."""
        signals: list[RateSignal] = []
        told = mastodon_rate_limit(response.headers, Scope.ACCOUNT)
        if told is not None:
            signals.append(told)
        if response.status_code == 429:
            signals.append(RateSignal(Scope.ACCOUNT, retry_at=self._retry_at(response)))
        return signals

    def _retry_at(self, response: httpx.Response) -> datetime:
        """The later of Retry-After and X-RateLimit-Reset; with neither, the
        start of the next 5-minute window (see _FALLBACK_WINDOW)."""
        now = self._now()
        told = mastodon_rate_limit(response.headers, Scope.ACCOUNT)
        candidates = [
            moment
            for moment in (retry_after(response.headers, now), told.reset_at if told else None)
            if moment is not None
        ]
        if not candidates:
            epoch = now.timestamp()
            return datetime.fromtimestamp(epoch - epoch % _FALLBACK_WINDOW + _FALLBACK_WINDOW, UTC)
        return max([*candidates, now])

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    def _refuse(self, response: httpx.Response, what: str, *, creates: bool = False) -> None:
        """Map a failed answer: 429 -> RateLimited; 5xx -> OutcomeUnknown on
        the status create (it may have been made), else retryable; a token
        problem -> CredentialsRejected; the documented too-long and media
        refusals -> their kinds; any other 4xx -> REFUSED with Mastodon's
        error string."""
        if response.is_success:
            return
        status = response.status_code
        error = _error_of(response)
        if status == 429:
            raise RateLimited(
                f"{what}: mastodon rate limit", self._retry_at(response), Scope.ACCOUNT
            )
        if status >= 500:
            if creates:
                raise OutcomeUnknown(f"{what}: HTTP {status}")
            raise RetryableNetworkError(f"{what}: HTTP {status}")
        if status == 401 or error.startswith(_TOKEN_ERRORS):
            raise CredentialsRejected(
                f"{what}: mastodon rejected the account's token ({error or 'HTTP 401'})"
            )
        if status == 422 and what == "statuses" and "character limit" in error:
            raise RejectedByNetwork(f"{what}: {error}", Rejection.TEXT_TOO_LONG)
        if status in (413, 422) and what == "media":
            raise RejectedByNetwork(f"{what}: {error or 'HTTP 422'}", Rejection.MEDIA_REFUSED)
        raise RejectedByNetwork(f"{what}: HTTP {status} {error}".strip())
