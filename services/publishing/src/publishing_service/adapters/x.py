"""The X connector: the X API v2 at https://api.x.com, with the employee's
OAuth 2.0 user-context token.

The stored secret is the token the employee authorised (domain.oauth_tokens),
with `expires_at` when it was stored. X user tokens live two hours unless
refreshed with a refresh token (scope offline.access); no refresh is done
here: a token past its expiry, or one X answers 401 to, is
CredentialsRejected, and the employee reconnects (their shares wait).

* verify: GET /2/users/me -> data.id, the user id;
* publish: each image with POST /2/media/upload, the one-shot upload as
  documented today (a JSON body: `media` base64-encoded, `media_category`
  tweet_image, `media_type`; 200 {"data": {"id", "media_key", ...}}), its
  alt text with POST /2/media/metadata ({"id", "metadata": {"alt_text":
  {"text"}}}), then POST /2/tweets {"text", "media": {"media_ids"}} ->
  201 {"data": {"id", "text"}}; the post is at x.com/i/web/status/{id}.
  X makes the link card itself from the link in the text and detects the
  language: neither is sent;
* X takes no idempotency key: a 403 "You are not allowed to create a Tweet
  with duplicate content." is first asked of find(): the post it finds is
  this share's, made by an earlier attempt (already_existed); none is
  DUPLICATE;
* find: the account's 20 latest posts (GET /2/users/:id/tweets, replies and
  reposts excluded), the one carrying the share's tracked short link. X
  rewrites every link of a post's text to a t.co link, so the text never
  shows ours: `tweet.fields=entities` makes each post carry its links'
  `entities.urls[].expanded_url`, the link as it was posted, and that is
  what is matched. With no link, the same text.

Limits (X API v2 rate limits): POST /2/tweets 100 per 15 minutes per user
and 10,000 per 24 hours per app (domain.network_limits). Every answer
carries x-rate-limit-limit / -remaining / -reset (epoch seconds) of the
endpoint's own 15-minute window for this user. Answers of POST /2/tweets
also carry x-app-limit-24hour-* (the app's daily posts, Scope.APP) and, on
tiers with a daily cap per user, x-user-limit-24hour-*: these names are
what X sends and client libraries read; X's reference pages name only the
x-rate-limit-* ones.

Nothing here logs: an error names the endpoint and X's problem title and
detail, never the token, the handle or the post text.
"""

from __future__ import annotations

import base64
import hashlib
import html
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
from chorus_core.errors import InvalidArgument

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
    retry_after,
    x_rate_limit,
)

NETWORK = "x"
X_API = "https://api.x.com"
POST_URL = "https://x.com/i/web/status/{id}"
TWEETS = "/2/tweets"
# find() reads this many of the account's latest posts (the endpoint takes 5..100).
FIND_LIMIT = 20
# A post carries at most 4 images (media best practices).
MAX_IMAGES = 4
# The one-shot upload's media types (POST /2/media/upload, tweet_image).
# GIFs are not among them: they take the chunked upload (initialize /
# append / finalize), which is not built here.
ONE_SHOT_TYPES = frozenset(
    {"image/jpeg", "image/bmp", "image/png", "image/webp", "image/pjpeg", "image/tiff"}
)
# Alt text X keeps for an image (media metadata: at most 1,000 characters).
MAX_ALT_TEXT = 1000
# A 429 that says no reset: wait one of the posting window's lengths
# (15 minutes, network_limits), X's usual window.
_FALLBACK_WAIT = timedelta(seconds=LIMITS[NETWORK].account[0].seconds)
# The 24-hour limits' headers, read with rate_signals.x_rate_limit as if they
# were the x-rate-limit-* ones (same fields, reset in epoch seconds).
_APP_DAY = "x-app-limit-24hour-"
_USER_DAY = "x-user-limit-24hour-"
_DUPLICATE = "duplicate content"
_TOO_LONG = "too long"
_USAGE_CAPPED = "usage-capped"  # the problem type of the project's usage cap


def post_url(post_id: str) -> str:
    return POST_URL.format(id=post_id)


def _squashed(text: str) -> str:
    return " ".join(text.split())


def is_post_of(tweet: Mapping[str, Any], draft: PostDraft) -> bool:
    """Is this post the draft's? With a link: one of its links, as posted
    (expanded_url; unwound_url when X followed redirects), is the share's
    tracked short link, unique to the share. With none: the same text
    (X escapes &, < and > in a post's text; whitespace aside)."""
    if draft.link is not None:
        wanted = draft.link.uri.rstrip("/")
        entities = tweet.get("entities")
        urls = entities.get("urls") if isinstance(entities, Mapping) else None
        for url in urls if isinstance(urls, list) else ():
            if not isinstance(url, Mapping):
                continue
            for key in ("expanded_url", "unwound_url"):
                value = url.get(key)
                if isinstance(value, str) and value.rstrip("/") == wanted:
                    return True
        return False
    text = tweet.get("text")
    return isinstance(text, str) and _squashed(html.unescape(text)) == _squashed(draft.text)


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _problem(response: httpx.Response) -> tuple[str, str, list[str]]:
    """(type, "title: detail", the errors' messages) of an X problem answer
    (RFC 7807, with `errors[].message` on invalid requests). The errors'
    `parameters` are left out: they echo what was sent."""
    body = _body(response)
    kind = str(body.get("type") or "")
    told = ": ".join(str(body[k]) for k in ("title", "detail") if body.get(k))
    errors = body.get("errors")
    messages = [
        str(e["message"])
        for e in (errors if isinstance(errors, list) else ())
        if isinstance(e, dict) and e.get("message")
    ]
    return kind, told, messages


def _says(response: httpx.Response, words: str) -> bool:
    _, told, messages = _problem(response)
    return any(words in text.lower() for text in (told, *messages))


def _reason(what: str, response: httpx.Response) -> str:
    _, told, messages = _problem(response)
    said = "; ".join(m for m in (told, *messages) if m) or "no detail"
    return f"{what}: HTTP {response.status_code} {said}"[:300]


def _renamed(headers: Mapping[str, str], prefix: str) -> dict[str, str]:
    """The `prefix`limit/remaining/reset headers under the x-rate-limit-*
    names x_rate_limit reads."""
    return {
        f"x-rate-limit-{part}": value
        for part in ("limit", "remaining", "reset")
        if (value := headers.get(f"{prefix}{part}")) is not None
    }


class XConnector:
    network = NETWORK

    def __init__(
        self,
        budget: NetworkBudget,
        *,
        client: httpx.AsyncClient | None = None,
        base_url: str = X_API,
        timeout_seconds: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.budget = budget
        self.client = client or httpx.AsyncClient(timeout=timeout_seconds)
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        # The X user id of each (account, token): find() needs it, and
        # asking /2/users/me for every reconciliation would spend that
        # endpoint's small per-user window. A reconnection brings a new
        # token, hence a new key: another X account is never mixed up.
        self._user_ids: dict[str, str] = {}

    async def aclose(self) -> None:
        await self.client.aclose()

    async def verify(self, account: AccountCredentials) -> VerifiedAccount:
        # Connecting: a secret that is not a token is the caller's
        # INVALID_ARGUMENT (OAuthToken.parse raises it, naming the field).
        token = self._fresh(account, OAuthToken.parse(account.secret))
        user_id = await self._me(account, token)
        # X does not say when a token expires in its answers: what was
        # stored with it (expires_at, two hours after issue) is what we know.
        return VerifiedAccount(user_id, token.expires_at)

    async def publish(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost:
        token = self._stored(account)
        if len(draft.media) > MAX_IMAGES:
            raise RejectedByNetwork(
                f"x attaches at most {MAX_IMAGES} images to a post", Rejection.MEDIA_REFUSED
            )
        for item in draft.media:
            if item.content_type not in ONE_SHOT_TYPES:
                raise RejectedByNetwork(
                    f"x: {item.content_type or 'an unknown type'} is not an image X's upload "
                    "takes (jpeg, png, webp, bmp, tiff; GIFs are not supported here)",
                    Rejection.MEDIA_REFUSED,
                )
        media_ids = [await self._upload(account, token, item) for item in draft.media]
        body: dict[str, Any] = {"text": draft.text}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        response = await self._call(
            account,
            token,
            "POST",
            TWEETS,
            posts=1,  # one post: the budget counts its units
            creates=True,
            json=body,
        )
        if response.is_success:
            data = _body(response).get("data")
            if not isinstance(data, dict) or not data.get("id"):
                # Something answered 2xx without a post: it may exist.
                raise OutcomeUnknown("tweets: a 2xx answer without a post id")
            post_id = str(data["id"])
            return PublishedPost(uri=post_id, cid="", already_existed=False, url=post_url(post_id))
        if response.status_code == 403 and _says(response, _DUPLICATE):
            # The same text twice: the share's own link is in it, so the
            # post X already has is this share's, from an earlier attempt
            # whose answer was lost, unless it is beyond the posts find reads.
            existing = await self.find(account, draft)
            if existing is not None:
                return existing
            raise RejectedByNetwork(_reason("tweets", response), Rejection.DUPLICATE)
        if response.status_code >= 500:
            # X can fail after making the post: its outcome is unknown, and
            # the sweeper asks find() before anything is sent again.
            raise OutcomeUnknown(f"tweets: HTTP {response.status_code} after sending")
        if response.status_code in (400, 403) and _says(response, _TOO_LONG):
            raise RejectedByNetwork(_reason("tweets", response), Rejection.TEXT_TOO_LONG)
        if response.status_code == 400 and _says(response, "media"):
            raise RejectedByNetwork(_reason("tweets", response), Rejection.MEDIA_REFUSED)
        self._refuse(response, "tweets")
        raise AssertionError("unreachable: a failed response always raises")

    async def find(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost | None:
        token = self._stored(account)
        user_id = await self._user_id(account, token)
        response = await self._call(
            account,
            token,
            "GET",
            f"/2/users/{quote(user_id, safe='')}/tweets",
            params={
                "max_results": str(FIND_LIMIT),
                "tweet.fields": "entities",
                "exclude": "retweets,replies",
            },
        )
        self._refuse(response, "user tweets")
        tweets = self._json(response).get("data")
        for tweet in tweets if isinstance(tweets, list) else ():
            if isinstance(tweet, dict) and tweet.get("id") and is_post_of(tweet, draft):
                post_id = str(tweet["id"])
                return PublishedPost(
                    uri=post_id, cid="", already_existed=True, url=post_url(post_id)
                )
        return None

    def _stored(self, account: AccountCredentials) -> OAuthToken:
        """The token of a connected account. A stored secret that no longer
        reads, or a token past its expiry, can only be fixed by connecting
        again: nothing is sent with it."""
        try:
            token = OAuthToken.parse(account.secret)
        except InvalidArgument as bad:
            raise CredentialsRejected(
                f"x: the stored token is unusable ({bad.field}); reconnect the account"
            ) from None
        return self._fresh(account, token)

    def _fresh(self, account: AccountCredentials, token: OAuthToken) -> OAuthToken:
        if token.expires_at is not None and token.expires_at <= self._now():
            self._user_ids.pop(self._key(account, token), None)
            raise CredentialsRejected(
                "x: the access token expired (X user tokens live 2 hours); reconnect the account"
            )
        return token

    @staticmethod
    def _key(account: AccountCredentials, token: OAuthToken) -> str:
        digest = hashlib.sha256(token.access_token.encode()).hexdigest()[:16]
        return f"{account.account_id}:{digest}"

    async def _user_id(self, account: AccountCredentials, token: OAuthToken) -> str:
        known = self._user_ids.get(self._key(account, token))
        return known if known is not None else await self._me(account, token)

    async def _me(self, account: AccountCredentials, token: OAuthToken) -> str:
        response = await self._call(account, token, "GET", "/2/users/me")
        self._refuse(response, "users/me")
        data = self._json(response).get("data")
        if not isinstance(data, dict) or not data.get("id"):
            raise RetryableNetworkError("users/me: an answer without a user id")
        user_id = str(data["id"])
        self._user_ids[self._key(account, token)] = user_id
        return user_id

    async def _upload(self, account: AccountCredentials, token: OAuthToken, item: MediaItem) -> str:
        """Upload one image, then its alt text; its media id. An upload is
        not the post: a failure here (even after sending) is retryable, and
        an unused upload expires on X's side."""
        response = await self._call(
            account,
            token,
            "POST",
            "/2/media/upload",
            json={
                "media": base64.b64encode(item.data).decode("ascii"),
                "media_category": "tweet_image",
                "media_type": item.content_type,
            },
        )
        self._refuse(response, "media upload", media=True)
        data = self._json(response).get("data")
        if not isinstance(data, dict) or not data.get("id"):
            raise RetryableNetworkError("media upload: an answer without a media id")
        media_id = str(data["id"])
        if item.alt_text:
            response = await self._call(
                account,
                token,
                "POST",
                "/2/media/metadata",
                json={
                    "id": media_id,
                    "metadata": {"alt_text": {"text": item.alt_text[:MAX_ALT_TEXT]}},
                },
            )
            self._refuse(response, "media metadata", media=True)
        return media_id

    async def _call(
        self,
        account: AccountCredentials,
        token: OAuthToken,
        method: str,
        path: str,
        *,
        posts: float = 0.0,
        creates: bool = False,
        **request: Any,
    ) -> httpx.Response:
        """One paid call (adapters/network_calls.py)."""
        return await paid_call(
            self.client,
            self.budget,
            self.network,
            account.account_id,
            method,
            f"{self.base_url}{path}",
            what="tweets" if creates else path,
            signals=lambda response: self._signals(response, posting=path == TWEETS),
            posts=posts,
            creates=creates,
            headers={"Authorization": f"Bearer {token.access_token}"},
            **request,
        )

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _signals(self, response: httpx.Response, *, posting: bool) -> list[RateSignal]:
        """What an answer says of the budgets.

        POST /2/tweets: its x-rate-limit-* are the user's posting window
        (Scope.ACCOUNT), x-app-limit-24hour-* the app's daily posts
        (Scope.APP), x-user-limit-24hour-* the user's daily cap.

        Any other endpoint's x-rate-limit-* count that endpoint's own
        window (users/me, the timeline, uploads), not posts: its remaining
        count would misstate the posting budget, so only its "not before"
        (the window spent) is passed on. A 429 adds "not before" the
        instant it says, in the scope it names."""
        headers = response.headers
        window = x_rate_limit(headers, Scope.ACCOUNT)
        signals: list[RateSignal] = []
        if posting:
            day_limits = (
                x_rate_limit(_renamed(headers, _APP_DAY), Scope.APP),
                x_rate_limit(_renamed(headers, _USER_DAY), Scope.ACCOUNT),
            )
            signals += [s for s in (window, *day_limits) if s is not None]
        elif window is not None and window.blocks_until is not None:
            signals.append(
                RateSignal(Scope.ACCOUNT, retry_at=max(window.blocks_until, self._now()))
            )
        if response.status_code == 429:
            retry_at, scope = self._limited(response)
            signals.append(RateSignal(scope, retry_at=retry_at))
        return signals

    def _limited(self, response: httpx.Response) -> tuple[datetime, Scope]:
        """When a 429 may be tried again, and whose limit it is: the app's
        24-hour posts (or its project's usage cap), the user's 24-hour cap,
        the endpoint's 15-minute window, in that order; then Retry-After
        (X does not document one); with none of them, one 15-minute window
        (_FALLBACK_WAIT)."""
        now = self._now()
        headers = response.headers
        app_day = x_rate_limit(_renamed(headers, _APP_DAY), Scope.APP)
        user_day = x_rate_limit(_renamed(headers, _USER_DAY), Scope.ACCOUNT)
        window = x_rate_limit(headers, Scope.ACCOUNT)
        told = retry_after(headers, now)
        if app_day is not None and app_day.blocks_until is not None:
            return max(app_day.blocks_until, now), Scope.APP
        if _USAGE_CAPPED in _problem(response)[0]:
            return max(told or now + _FALLBACK_WAIT, now), Scope.APP
        for signal in (user_day, window):
            if signal is not None and signal.blocks_until is not None:
                return max(signal.blocks_until, now), Scope.ACCOUNT
        return max(told or now + _FALLBACK_WAIT, now), Scope.ACCOUNT

    def _refuse(self, response: httpx.Response, what: str, *, media: bool = False) -> None:
        """Map a failed answer: 429 not now (when X says), 5xx retryable,
        401 reconnect, a refused upload MEDIA_REFUSED, other 4xx refused
        with X's problem title and detail."""
        if response.is_success:
            return
        status = response.status_code
        if status == 429:
            retry_at, scope = self._limited(response)
            raise RateLimited(f"{what}: HTTP 429 ({scope.value} limit)", retry_at, scope)
        if status >= 500:
            raise RetryableNetworkError(f"{what}: HTTP {status}")
        if status == 401:
            raise CredentialsRejected(
                f"{what}: x rejected the account's token (expired or revoked); reconnect it"
            )
        if media and status != 403:
            raise RejectedByNetwork(_reason(what, response), Rejection.MEDIA_REFUSED)
        raise RejectedByNetwork(_reason(what, response))

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        """The JSON object of a successful answer to a call that is safe to
        repeat: anything else is retryable."""
        body = _body(response)
        if not body:
            raise RetryableNetworkError(f"HTTP {response.status_code}: no JSON object")
        return body
