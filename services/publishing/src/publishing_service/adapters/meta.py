"""The Meta connectors: Facebook Pages and Instagram professional accounts,
both over the Graph API (https://graph.facebook.com/{GRAPH_API_VERSION}).

What they share is written once (MetaGraphConnector): the token (the
account's stored secret, domain.oauth_tokens) sent as `Authorization:
Bearer` (Graph accepts it, and it keeps the token out of URLs, where the
`access_token` parameter of the examples would put it), the shared budget
taken before every call, Meta's usage headers (X-App-Usage for the app,
X-Business-Use-Case-Usage for the Page or the Instagram account) observed
after every answer, and the mapping of Graph's error bodies
{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}:

  * 190 / 102 (OAuthException: expired 463, invalid 467, ...) or HTTP 401:
    CredentialsRejected; a missing permission (10, 200-299) too: the
    employee reconnects and grants it;
  * 4 (the app), 17, 32, 341, 368, 613, 80000-80014 (the user, the Page,
    the Instagram account), an HTTP 429: RateLimited, until the usage
    header's estimated_time_to_regain_access, else Retry-After, else
    rate_signals.META_WINDOW (Meta counts usage over a rolling hour);
  * 1, 2, -1, -2, is_transient, HTTP 5xx: RetryableNetworkError, and
    OutcomeUnknown on the call that creates the post (it may exist);
  * 506 (duplicate post): DUPLICATE unless find() finds this share's post;
  * 100 about a length: TEXT_TOO_LONG; what Meta says of an image (324,
    9004, 36000-36004 and their subcodes, any refusal of an upload):
    MEDIA_REFUSED; anything else: REFUSED with Meta's code and message.

Facebook (FacebookConnector): the handle is the Page id and the secret the
Page access token (a Page token acts as the Page: its /me is the Page).
POST /{page-id}/feed with `message` and `link` -> {"id": "{page-id}_{post-id}"};
images go up first, unpublished (POST /{page-id}/photos, published=false,
`url` when the drive has a public address, else the bytes as multipart
`source`; alt_text_custom), then ride on the post as
attached_media[i]={"media_fbid": ...}. Apps cannot post to a person's
timeline (publish_actions is gone): verify() says so in words the employee
can act on.

Instagram (InstagramConnector): the handle is the IG user id. Publishing is
a container (POST /{ig-user-id}/media: image_url, caption, alt_text;
children of CAROUSEL for several images) then POST /{ig-user-id}/media_publish
(creation_id) -> the media id; the permalink is read after. Instagram
fetches the image itself, so a post needs an image with a public url.
50 published posts per 24 hours per account: content_publishing_limit is
read before anything is created; when spent, the share waits until the
oldest post of the moving window leaves it.

find() reads the account's 25 latest posts for the draft's tracked short
link (unique per share), or its exact text when it has none.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

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
from publishing_service.domain.oauth_tokens import OAuthToken
from publishing_service.domain.rate_signals import (
    META_WINDOW,
    RateSignal,
    Scope,
    meta_usage,
    retry_after,
)

GRAPH_API_VERSION = "v27.0"
GRAPH_API_BASE = f"https://graph.facebook.com/{GRAPH_API_VERSION}"
# find() reads this many of the account's latest posts.
RECENT_POSTS = 25
# Instagram carousels take at most this many images.
MAX_CAROUSEL = 10

_TOKEN_CODES = frozenset({102, 190})
_PERMISSION_CODES = frozenset({10, *range(200, 300)})
_TRANSIENT_CODES = frozenset({1, 2, -1, -2})
_APP_LIMIT_CODES = frozenset({4, 341})  # "Application request limit reached"
# The user (17), the Page (32), a policy block (368), calls per hour (613),
# the Business Use Case limits (80001 Pages, 80002 Instagram, ...).
_ACCOUNT_LIMIT_CODES = frozenset({17, 32, 368, 613, *range(80000, 80015)})
_DUPLICATE = 506
_INVALID_PARAMETER = 100
_MEDIA_CODES = frozenset({324, 9004, 36000, 36001, 36003, 36004})
# Image too large, format, aspect ratio, could not be fetched from the uri.
_MEDIA_SUBCODES = frozenset({2207004, 2207005, 2207009, 2207052})
_PUBLISH_LIMIT = (9, 2207042)  # "You reached maximum number of posts"
_SPAM_SUBCODE = 2207051  # code 4, but a refusal ("we restrict certain activity"), not a limit
# The container is not ready or could not be published: nothing was posted.
_NOT_PUBLISHED_SUBCODES = frozenset({2207008, 2207027})
_LENGTH_WORDS = ("too long", "length", "characters", "at most")


@dataclass(frozen=True)
class GraphError:
    """Graph's error object; what an exception may carry (never the token)."""

    status: int
    code: int | None = None
    subcode: int | None = None
    type: str = ""
    message: str = ""
    transient: bool = False

    @classmethod
    def of(cls, response: httpx.Response) -> GraphError:
        try:
            body = response.json()
        except ValueError:
            return cls(response.status_code)
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls(response.status_code)
        return cls(
            response.status_code,
            code=_int(error.get("code")),
            subcode=_int(error.get("error_subcode")),
            type=str(error.get("type", "")),
            message=str(error.get("message", ""))[:200],
            transient=error.get("is_transient") is True,
        )

    @property
    def label(self) -> str:
        code = f"code {self.code}" if self.code is not None else f"HTTP {self.status}"
        return code + (f"/{self.subcode}" if self.subcode is not None else "")

    @property
    def rate_limited(self) -> bool:
        if self.status == 429 or (self.code, self.subcode) == _PUBLISH_LIMIT:
            return True
        limits = _APP_LIMIT_CODES | _ACCOUNT_LIMIT_CODES
        return self.code in limits and self.subcode != _SPAM_SUBCODE


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _about_length(message: str) -> bool:
    lowered = message.lower()
    return any(word in lowered for word in _LENGTH_WORDS)


def matches(text: str, draft: PostDraft) -> bool:
    """Is this post's text this share's? Its short link is unique per share;
    without one, only the very same text is."""
    if draft.link is not None and draft.link.uri:
        return draft.link.uri in text
    return text.strip() == draft.text.strip()


def _instant(value: object) -> datetime | None:
    """Graph's timestamps: 2026-06-01T10:00:00+0000."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class MetaGraphConnector:
    """The Graph API calls both Meta networks make: budget, token, usage,
    errors. Subclasses say which network and what a post is."""

    network = "meta"

    def __init__(
        self,
        budget: NetworkBudget,
        *,
        client: httpx.AsyncClient | None = None,
        base_url: str = GRAPH_API_BASE,
        timeout_seconds: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.budget = budget
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.AsyncClient(timeout=timeout_seconds)
        self.clock = clock

    async def aclose(self) -> None:
        await self.client.aclose()

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _token(self, account: AccountCredentials) -> OAuthToken:
        try:
            return OAuthToken.parse(account.secret)
        except InvalidArgument:
            raise CredentialsRejected(
                f"{self.network}: the stored token cannot be read; reconnect the account"
            ) from None

    async def _call(
        self,
        account: AccountCredentials,
        method: str,
        path: str,
        *,
        what: str,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        posts: float = 0.0,
        creates: bool = False,
        upload: bool = False,
    ) -> dict[str, Any]:
        """One Graph call, its budget taken first and its usage observed
        after. `creates`: this call makes the post (its outcome matters when
        no answer comes); `upload`: what it sends is an image."""
        token = self._token(account).access_token
        failures: list[Exception] = []

        def signals(response: httpx.Response) -> list[RateSignal]:
            now = self._now()
            found = meta_usage(response.headers, now)
            if not response.is_success:
                failure = self._failure(response, what, now, found, creates=creates, upload=upload)
                failures.append(failure)
                if isinstance(failure, RateLimited):
                    # Every replica waits, not only the one that was told.
                    found.append(RateSignal(failure.scope, retry_at=failure.retry_at))
            return found

        response = await paid_call(
            self.client,
            self.budget,
            self.network,
            account.account_id,
            method,
            f"{self.base_url}/{path}",
            what=what,
            signals=signals,
            posts=posts,
            creates=creates,
            headers={"Authorization": f"Bearer {token}"},
            params=params,
            data=data,
            files=files,
        )
        if failures:
            raise failures[0]
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            unreadable = f"{self.network} {what}: HTTP {response.status_code}, unreadable body"
            raise OutcomeUnknown(unreadable) if creates else RetryableNetworkError(unreadable)
        return body

    def _failure(
        self,
        response: httpx.Response,
        what: str,
        now: datetime,
        signals: Sequence[RateSignal],
        *,
        creates: bool,
        upload: bool,
    ) -> Exception:
        error = GraphError.of(response)
        said = f"{self.network} {what}: {error.label}"
        if error.code in _TOKEN_CODES or error.status == 401:
            return CredentialsRejected(f"{said}: the token is expired or revoked; reconnect")
        if error.rate_limited:
            scope = Scope.APP if error.code in _APP_LIMIT_CODES else Scope.ACCOUNT
            return RateLimited(f"{said}: rate limited", _retry_at(response, signals, now), scope)
        if error.status >= 500 or error.code in _TRANSIENT_CODES or error.transient:
            if creates and error.subcode not in _NOT_PUBLISHED_SUBCODES:
                return OutcomeUnknown(f"{said}: failed after sending; the post may exist")
            return RetryableNetworkError(f"{said}: temporary")
        if error.subcode in _NOT_PUBLISHED_SUBCODES:
            return RetryableNetworkError(f"{said}: not ready yet")
        if error.code in _PERMISSION_CODES:
            return CredentialsRejected(
                f"{said}: a permission is missing ({error.message}); reconnect and grant it"
            )
        if error.code == _DUPLICATE:
            return RejectedByNetwork(f"{said}: duplicate post refused", Rejection.DUPLICATE)
        if error.code == _INVALID_PARAMETER and _about_length(error.message):
            return RejectedByNetwork(f"{said}: {error.message}", Rejection.TEXT_TOO_LONG)
        if upload or error.code in _MEDIA_CODES or error.subcode in _MEDIA_SUBCODES:
            return RejectedByNetwork(f"{said}: {error.message}", Rejection.MEDIA_REFUSED)
        return RejectedByNetwork(f"{said}: {error.message}".rstrip(": "))

    async def _permalink(self, account: AccountCredentials, object_id: str, field: str) -> str:
        """Where a person sees the post. The post exists whatever happens
        here: a failure costs the link, never the outcome."""
        try:
            data = await self._call(
                account, "GET", object_id, params={"fields": field}, what="permalink"
            )
        except (RetryableNetworkError, RejectedByNetwork):
            return ""
        value = data.get(field)
        return value if isinstance(value, str) else ""

    async def _recent(
        self, account: AccountCredentials, edge: str, fields: str, limit: int = RECENT_POSTS
    ) -> list[dict[str, Any]]:
        data = await self._call(
            account,
            "GET",
            f"{account.handle}/{edge}",
            params={"fields": fields, "limit": str(limit)},
            what=f"recent {edge}",
        )
        items = data.get("data")
        return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []

    async def _find(
        self, account: AccountCredentials, draft: PostDraft, edge: str, text: str, link: str
    ) -> PublishedPost | None:
        for post in await self._recent(account, edge, f"id,{text},{link}"):
            if matches(str(post.get(text) or ""), draft) and isinstance(post.get("id"), str):
                url = post.get(link)
                return PublishedPost(
                    uri=post["id"],
                    cid="",
                    already_existed=True,
                    url=url if isinstance(url, str) else "",
                )
        return None


def _retry_at(response: httpx.Response, signals: Sequence[RateSignal], now: datetime) -> datetime:
    """The usage headers' estimate (estimated_time_to_regain_access), else
    Retry-After, else Meta's rolling hour."""
    told = [s.blocks_until for s in signals if s.blocks_until is not None]
    after = retry_after(response.headers, now)
    if after is not None:
        told.append(after)
    return max(told) if told else now + META_WINDOW


class FacebookConnector(MetaGraphConnector):
    network = "facebook"

    async def verify(self, account: AccountCredentials) -> VerifiedAccount:
        """The handle must be a Page and the token that Page's own: a Page
        token acts as the Page (its /me is the Page) and has no Pages of its
        own to list (/me/accounts is a person's edge), while a person's token
        lists the Pages the person manages."""
        token = self._token(account)
        page_id = account.handle
        await self._call(account, "GET", page_id, params={"fields": "id,name"}, what="page")
        me = await self._call(account, "GET", "me", params={"fields": "id"}, what="token owner")
        try:
            managed = await self._call(
                account, "GET", "me/accounts", params={"fields": "id"}, what="managed pages"
            )
        except RejectedByNetwork as refused:
            if isinstance(refused, CredentialsRejected):
                raise
            if me.get("id") == page_id:
                return VerifiedAccount(page_id, token.expires_at)
            raise RejectedByNetwork(
                "This token belongs to another Facebook Page. Connect the Page you manage "
                "with its own Page access token.",
                Rejection.NOT_SUPPORTED,
            ) from None
        pages = managed.get("data")
        listed = isinstance(pages, list) and any(
            isinstance(page, dict) and page.get("id") == page_id for page in pages
        )
        if listed:
            raise RejectedByNetwork(
                "This is your personal Facebook token: Chorus posts to your Page as the "
                "Page, with the Page's own access token. Connect the Page itself.",
                Rejection.NOT_SUPPORTED,
            )
        raise RejectedByNetwork(
            "Facebook does not allow apps to post to personal timelines. Connect a "
            "Facebook Page you manage instead.",
            Rejection.NOT_SUPPORTED,
        )

    async def find(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost | None:
        return await self._find(account, draft, "posts", "message", "permalink_url")

    async def publish(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost:
        media_ids = [await self._upload(account, item) for item in draft.media]
        form: dict[str, str] = {"message": draft.text}
        for index, media_id in enumerate(media_ids):
            form[f"attached_media[{index}]"] = json.dumps({"media_fbid": media_id})
        link = draft.card.uri if draft.card is not None else draft.link.uri if draft.link else ""
        if link and not media_ids:
            # Facebook renders the preview of `link`; photos take its place.
            form["link"] = link
        try:
            data = await self._call(
                account,
                "POST",
                f"{account.handle}/feed",
                data=form,
                posts=1,  # one post: the budget counts its units
                creates=True,
                what="feed post",
            )
        except RejectedByNetwork as refused:
            if refused.kind is not Rejection.DUPLICATE:
                raise
            # The text holds the share's unique short link: the same text
            # posted before is this share's post, made by an earlier attempt.
            existing = await self.find(account, draft)
            if existing is not None:
                return existing
            raise
        post_id = data.get("id")
        if not isinstance(post_id, str):
            raise OutcomeUnknown("facebook feed post: answered without a post id")
        url = await self._permalink(account, post_id, "permalink_url")
        return PublishedPost(uri=post_id, cid="", already_existed=False, url=url)

    async def _upload(self, account: AccountCredentials, item: MediaItem) -> str:
        """An unpublished Page photo, to be attached to the post."""
        form = {"published": "false"}
        if item.alt_text:
            form["alt_text_custom"] = item.alt_text
        files = None
        if item.url:
            form["url"] = item.url  # Facebook fetches it: the bytes stay here
        else:
            name = f"{item.media_id}.{item.content_type.rpartition('/')[2] or 'bin'}"
            files = {"source": (name, item.data, item.content_type)}
        data = await self._call(
            account,
            "POST",
            f"{account.handle}/photos",
            data=form,
            files=files,
            upload=True,
            what="photo upload",
        )
        photo_id = data.get("id")
        if not isinstance(photo_id, str):
            raise RetryableNetworkError("facebook photo upload: answered without a photo id")
        return photo_id


class InstagramConnector(MetaGraphConnector):
    network = "instagram"

    async def verify(self, account: AccountCredentials) -> VerifiedAccount:
        token = self._token(account)
        try:
            data = await self._call(
                account, "GET", account.handle, params={"fields": "id,username"}, what="account"
            )
        except RejectedByNetwork as refused:
            if isinstance(refused, CredentialsRejected) or refused.kind is not Rejection.REFUSED:
                raise
            raise RejectedByNetwork(
                "Instagram does not know this account for this token. Only Instagram "
                "professional accounts (business or creator) linked to a Facebook Page "
                "can be posted to by apps: connect one of those.",
                Rejection.NOT_SUPPORTED,
            ) from None
        return VerifiedAccount(str(data.get("id") or account.handle), token.expires_at)

    async def find(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost | None:
        return await self._find(account, draft, "media", "caption", "permalink")

    async def publish(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost:
        if not draft.media:
            raise RejectedByNetwork(
                "Instagram posts need an image, and this post has none.", Rejection.NOT_SUPPORTED
            )
        if any(not item.url for item in draft.media):
            raise RejectedByNetwork(
                "Instagram fetches each image itself from a public address, and an image "
                "of this post has none.",
                Rejection.MEDIA_REFUSED,
            )
        if len(draft.media) > MAX_CAROUSEL:
            raise RejectedByNetwork(
                f"Instagram takes at most {MAX_CAROUSEL} images in a post.",
                Rejection.MEDIA_REFUSED,
            )
        await self._check_quota(account)
        container = await self._container(account, draft)
        published = await self._call(
            account,
            "POST",
            f"{account.handle}/media_publish",
            data={"creation_id": container},
            posts=1,  # one post: the budget counts its units
            creates=True,
            what="media_publish",
        )
        media_id = published.get("id")
        if not isinstance(media_id, str):
            raise OutcomeUnknown("instagram media_publish: answered without a media id")
        url = await self._permalink(account, media_id, "permalink")
        return PublishedPost(uri=media_id, cid="", already_existed=False, url=url)

    async def _container(self, account: AccountCredentials, draft: PostDraft) -> str:
        """The container to publish: one image, or a carousel of them."""
        if len(draft.media) == 1:
            return await self._image(account, draft.media[0], caption=draft.text)
        children = [await self._image(account, item, caption=None) for item in draft.media]
        return await self._create(
            account,
            {"media_type": "CAROUSEL", "children": ",".join(children), "caption": draft.text},
            what="carousel container",
        )

    async def _image(
        self, account: AccountCredentials, item: MediaItem, caption: str | None
    ) -> str:
        form = {"image_url": item.url}
        if caption is None:
            form["is_carousel_item"] = "true"
        else:
            form["caption"] = caption
        if item.alt_text:
            form["alt_text"] = item.alt_text
        return await self._create(account, form, what="media container")

    async def _create(self, account: AccountCredentials, form: dict[str, str], what: str) -> str:
        data = await self._call(account, "POST", f"{account.handle}/media", data=form, what=what)
        container = data.get("id")
        if not isinstance(container, str):
            raise RetryableNetworkError(f"instagram {what}: answered without a container id")
        return container

    async def _check_quota(self, account: AccountCredentials) -> None:
        """50 posts per moving 24 hours: read the account's use before
        anything is created, and wait for the window when it is spent."""
        data = await self._call(
            account,
            "GET",
            f"{account.handle}/content_publishing_limit",
            params={"fields": "config,quota_usage"},
            what="content_publishing_limit",
        )
        entries = data.get("data")
        entry = entries[0] if isinstance(entries, list) and entries else {}
        config = entry.get("config") if isinstance(entry, dict) else None
        usage = _int(entry.get("quota_usage")) if isinstance(entry, dict) else None
        total = _int(config.get("quota_total")) if isinstance(config, dict) else None
        duration = _int(config.get("quota_duration")) if isinstance(config, dict) else None
        if usage is None or total is None or usage < total:
            return
        window = timedelta(seconds=duration or 86400)
        rolls_at = await self._window_rolls_at(account, total, window)
        await self.budget.observe(
            self.network, account.account_id, [RateSignal(Scope.ACCOUNT, retry_at=rolls_at)]
        )
        raise RateLimited(
            f"instagram: {usage} of {total} posts in {window.total_seconds() / 3600:g} hours "
            "used; the oldest leaves the window then",
            rolls_at,
            Scope.ACCOUNT,
        )

    async def _window_rolls_at(
        self, account: AccountCredentials, total: int, window: timedelta
    ) -> datetime:
        """When a post may be published again: the window moves, so a slot
        comes back when the oldest post inside it turns `window` old. The
        quota does not say which posts it counts, so the account's latest
        `total` media are read: the oldest of them still inside the window,
        plus the window. Posts made in the Instagram app are among them, so
        this may come early, never late: the quota is read again before the
        next attempt. When the media cannot be read, check again in
        META_WINDOW."""
        now = self._now()
        try:
            recent = await self._recent(account, "media", "id,timestamp", limit=total)
        except (RetryableNetworkError, RejectedByNetwork):
            return now + META_WINDOW
        inside = [
            moment
            for moment in (_instant(item.get("timestamp")) for item in recent)
            if moment is not None and moment > now - window
        ]
        if not inside:
            return now + META_WINDOW
        return max(min(inside) + window, now + timedelta(minutes=1))
