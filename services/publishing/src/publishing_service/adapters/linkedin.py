"""The LinkedIn connector: the versioned REST API (Posts API, Images API) on
behalf of a member, with the member's OAuth token.

* every call carries `Authorization: Bearer`, `LinkedIn-Version` (the
  version this adapter is built to, LINKEDIN_VERSION) and
  `X-Restli-Protocol-Version: 2.0.0`, and takes from the shared budgets
  first (NetworkBudget), lookups and uploads too;
* the author is the member's person URN, `urn:li:person:{sub}` with `sub`
  from OpenID Connect's `GET /v2/userinfo`; the connector learns it once per
  account and token (the port hands it the token, not the id verify found);
* `POST /rest/posts`: the text goes out as `commentary` in LinkedIn's
  "little" text format, whose reserved characters are backslash-escaped
  (escape_little); an image is uploaded with the Images API
  (initializeUpload, then PUT of the bytes) and referenced by its URN; a link
  card is an `article`. 201 with the post's URN in `x-restli-id`;
* LinkedIn takes no idempotency key, but refuses the same text twice (422
  DUPLICATE_POST): the text carries the share's unique tracked short link,
  so the post it already has is this share's, and find() returns it;
* find(): the member's most recent posts (`q=author`), the one whose
  commentary, un-escaped, holds the short link;
* LinkedIn publishes no limits and sends no rate-limit headers: a 429 waits
  for the daily reset at midnight UTC (unless a Retry-After says sooner).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
from chorus_core.errors import InvalidArgument

from publishing_service.adapters.network_calls import paid_call
from publishing_service.app.ports import (
    AccountCredentials,
    CredentialsRejected,
    LinkCard,
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
    RateSignal,
    Scope,
    next_midnight_utc,
    retry_after,
)

API_BASE = "https://api.linkedin.com"
# The monthly API version this adapter is built to (YYYYMM). LinkedIn keeps a
# version for at least a year; moving on is a deliberate change, with tests.
LINKEDIN_VERSION = "202608"
RESTLI_PROTOCOL_VERSION = "2.0.0"
POST_URL = "https://www.linkedin.com/feed/update/{urn}"
# The member's recent posts find() reads (the finder's newest first).
FIND_COUNT = 20
# The Images API takes JPG, GIF and PNG; anything else is refused before a call.
IMAGE_TYPES = frozenset({"image/jpeg", "image/jpg", "image/png", "image/gif"})

# The "little" text format's reserved characters: to read as plain text they
# must be backslash-escaped, "even if those characters are not used in one
# of the supported elements or templates" (LinkedIn's little text format).
LITTLE_RESERVED = frozenset("\\|{}@[]()<>#*_~")
_RESERVED_CLASS = r"[\\|{}@\[\]()<>#*_~]"
_ESCAPED = re.compile(r"\\(" + _RESERVED_CLASS + ")")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
# A hashtag stays a HashtagElement ('#' and a word), so it is clickable as it
# is in the employee's text. '_' is reserved, so a tag ends before one.
_HASHTAG = re.compile(r"(?<![\w#])#(?=[^\W_])")
# LinkedIn writes hashtags back as templates: {hashtag|\#|word}.
_HASHTAG_TEMPLATE = re.compile(r"\{hashtag\|\\?[#＃]\|([^}]*)\}")


def _escape_plain(text: str) -> str:
    return "".join("\\" + c if c in LITTLE_RESERVED else c for c in text)


def escape_little(text: str) -> str:
    """The text as little text that reads exactly as written: every reserved
    character escaped, except the '#' of a hashtag outside a URL (a
    HashtagElement, as on LinkedIn itself). Unescaped, LinkedIn parses them as
    mentions and templates and cuts the post at the first one it cannot."""
    out: list[str] = []
    last = 0
    for url in _URL.finditer(text):
        out.append(_escape_outside_urls(text[last : url.start()]))
        out.append(_escape_plain(url.group()))
        last = url.end()
    out.append(_escape_outside_urls(text[last:]))
    return "".join(out)


def _escape_outside_urls(text: str) -> str:
    out: list[str] = []
    last = 0
    for tag in _HASHTAG.finditer(text):
        out.append(_escape_plain(text[last : tag.start()]))
        out.append("#")
        last = tag.end()
    out.append(_escape_plain(text[last:]))
    return "".join(out)


def unescape_little(text: str) -> str:
    """What a little commentary reads as: escapes removed, hashtag templates
    back to '#word'."""
    return _ESCAPED.sub(r"\1", _HASHTAG_TEMPLATE.sub(r"#\1", text))


@dataclass(frozen=True)
class _Error:
    code: str  # "DUPLICATE_POST", "REVOKED_ACCESS_TOKEN", ...
    message: str
    input_codes: tuple[str, ...]  # errorDetails.inputErrors[].code
    field_paths: tuple[str, ...]  # errorDetails.inputErrors[].input.inputPath.fieldPath

    def describe(self, status: int) -> str:
        """For a reason: the codes and the message, never an input's value
        (inputErrors echo them: the post text could be one)."""
        codes = " ".join(dict.fromkeys(c for c in (self.code, *self.input_codes) if c))
        return " ".join(p for p in (f"HTTP {status}", codes, self.message[:200]) if p)


def _error_of(response: httpx.Response) -> _Error:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return _Error("", "", (), ())
    inputs = (body.get("errorDetails") or {}).get("inputErrors") or []
    inputs = [i for i in inputs if isinstance(i, dict)]
    paths = []
    for item in inputs:
        path = ((item.get("input") or {}).get("inputPath") or {}).get("fieldPath")
        if isinstance(path, str):
            paths.append(path)
    return _Error(
        code=str(body.get("code") or ""),
        message=str(body.get("message") or ""),
        input_codes=tuple(str(i.get("code") or "") for i in inputs),
        field_paths=tuple(paths),
    )


def _is_duplicate(response: httpx.Response) -> bool:
    error = _error_of(response)
    return response.status_code == 422 and (
        "DUPLICATE_POST" in (error.code, *error.input_codes) or "duplicate" in error.message.lower()
    )


def _is_too_long(response: httpx.Response) -> bool:
    """LinkedIn: 'ShareCommentary text length (N characters) exceeded the
    maximum allowed (3000 characters)', or a length error on /commentary."""
    if response.status_code not in (400, 422):
        return False
    error = _error_of(response)
    message = error.message.lower()
    if "commentary" in message and ("length" in message or "too long" in message):
        return True
    return any(p == "/commentary" for p in error.field_paths) and any(
        "TOO_LONG" in c or "TOO_HIGH" in c for c in error.input_codes
    )


def _is_media_problem(response: httpx.Response) -> bool:
    if response.status_code not in (400, 422):
        return False
    error = _error_of(response)
    return any(
        p.startswith(("/content/media", "/content/multiImage", "/content/article/thumbnail"))
        for p in error.field_paths
    ) or ("urn:li:image:" in error.message)


def _scope_of_429(response: httpx.Response) -> Scope:
    """LinkedIn counts per member and per application and its 429 does not say
    which: the member's, unless the answer names the application."""
    return Scope.APP if "application" in _error_of(response).message.lower() else Scope.ACCOUNT


def _retry_at(response: httpx.Response, now: datetime) -> datetime:
    """When a 429 may be tried again: a Retry-After if LinkedIn ever sends one
    (it documents none), else the daily reset at midnight UTC."""
    return retry_after(response.headers, now) or next_midnight_utc(now)


def _signals(response: httpx.Response, now: datetime) -> list[RateSignal]:
    """LinkedIn sends no rate-limit headers: only a 429 says anything (not
    before its reset)."""
    if response.status_code != 429:
        return []
    return [RateSignal(_scope_of_429(response), retry_at=_retry_at(response, now))]


def _raise_for(
    response: httpx.Response,
    what: str,
    now: datetime,
    *,
    creates: bool = False,
    refused: Rejection = Rejection.REFUSED,
) -> None:
    """Map a failed answer: 429 -> not before the reset; 401 -> reconnect;
    5xx -> retryable, or unknown for the call that creates the post; other
    4xx -> refused for good (`refused`: the kind for this call)."""
    if response.is_success:
        return
    status = response.status_code
    error = _error_of(response)
    if status == 429:
        raise RateLimited(
            f"{what}: HTTP 429 (LinkedIn's daily limit)",
            _retry_at(response, now),
            _scope_of_429(response),
        )
    if status == 401:
        raise CredentialsRejected(
            f"{what}: linkedin rejected the account's token ({error.code or 'HTTP 401'})"
        )
    if status >= 500:
        if creates:
            raise OutcomeUnknown(f"{what}: {error.describe(status)}: the post may exist")
        raise RetryableNetworkError(f"{what}: {error.describe(status)}")
    kind = refused
    if _is_too_long(response):
        kind = Rejection.TEXT_TOO_LONG
    elif _is_media_problem(response):
        kind = Rejection.MEDIA_REFUSED
    raise RejectedByNetwork(f"{what}: {error.describe(status)}", kind)


def _redact(reason: str, draft: PostDraft) -> str:
    """Belt and braces: a LinkedIn message quoting the commentary loses it."""
    for text in (draft.text, escape_little(draft.text)):
        if text and text in reason:
            reason = reason.replace(text, "[post text]")
    return reason


class LinkedInConnector:
    network = "linkedin"

    def __init__(
        self,
        budget: NetworkBudget,
        *,
        client: httpx.AsyncClient | None = None,
        base_url: str = API_BASE,
        timeout_seconds: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.budget = budget
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.AsyncClient(timeout=timeout_seconds)
        self.clock = clock
        # account id -> (digest of the token it was learnt with, person URN):
        # a reconnect with another token asks again.
        self._members: dict[str, tuple[str, str]] = {}

    async def aclose(self) -> None:
        await self.client.aclose()

    async def verify(self, account: AccountCredentials) -> VerifiedAccount:
        token = _token_of(account)
        self._members.pop(account.account_id, None)
        urn = await self._member_urn(account, token)
        # LinkedIn's member tokens live 60 days, but from when it issued them,
        # which only the stored expires_at knows; a bare token's expiry is
        # unknown (None), and its 401 EXPIRED_ACCESS_TOKEN says it when it comes.
        return VerifiedAccount(urn, token_expires_at=token.expires_at)

    async def find(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost | None:
        token = _token_of(account)
        urn = await self._member_urn(account, token)
        url = (
            f"{self.base_url}/rest/posts?author={quote(urn, safe='')}"
            f"&q=author&count={FIND_COUNT}&sortBy=LAST_MODIFIED"
        )
        response = await self._call("GET", url, account, token, what="posts by author")
        if not response.is_success:
            _raise_for(response, "posts by author", self._now())
        # The short link as a whole word: another share's code may start with ours.
        mark = re.compile(re.escape(draft.link.uri) + r"(?!\S)") if draft.link else None
        for element in response.json().get("elements") or []:
            if not isinstance(element, dict) or element.get("lifecycleState") == "PUBLISH_FAILED":
                continue
            text = unescape_little(str(element.get("commentary") or ""))
            if mark.search(text) if mark else (text == draft.text):
                post_urn = str(element["id"])
                return PublishedPost(
                    uri=post_urn, cid="", already_existed=True, url=POST_URL.format(urn=post_urn)
                )
        return None

    async def publish(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost:
        token = _token_of(account)
        thumbnail = draft.card.thumbnail if draft.card is not None else None
        for item in (*draft.media, *((thumbnail,) if thumbnail and not draft.media else ())):
            if item.content_type.lower() not in IMAGE_TYPES:
                raise RejectedByNetwork(
                    f"linkedin takes JPG, PNG or GIF images, not {item.content_type}",
                    Rejection.MEDIA_REFUSED,
                )
        urn = await self._member_urn(account, token)
        body: dict[str, Any] = {
            "author": urn,
            "commentary": escape_little(draft.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        content = await self._content(account, token, urn, draft.media, draft.card)
        if content:
            body["content"] = content
        response = await self._call(
            "POST",
            f"{self.base_url}/rest/posts",
            account,
            token,
            what="create post",
            json=body,
            posts=1,  # one post: the budget counts its units
            creates=True,
        )
        if response.is_success:
            post_urn = response.headers.get("x-restli-id", "")
            if not post_urn:
                # Created, by its status, but unnamed: find() will tell.
                raise OutcomeUnknown("create post: HTTP 201 without x-restli-id")
            return PublishedPost(
                uri=post_urn, cid="", already_existed=False, url=POST_URL.format(urn=post_urn)
            )
        if _is_duplicate(response):
            # The same text is already on the member's feed, and the text holds
            # this share's unique short link: that post is this share's,
            # made by an earlier attempt whose answer was lost.
            existing = await self.find(account, draft)
            if existing is not None:
                return existing
            raise RejectedByNetwork(
                "create post: linkedin refused the text as a duplicate of a post "
                "not among the member's recent ones",
                Rejection.DUPLICATE,
            )
        try:
            _raise_for(response, "create post", self._now(), creates=True)
        except CredentialsRejected:
            raise
        except RejectedByNetwork as rejected:
            raise RejectedByNetwork(_redact(rejected.reason, draft), rejected.kind) from None
        raise AssertionError("unreachable: a failed response always raises")

    async def _content(
        self,
        account: AccountCredentials,
        token: OAuthToken,
        owner: str,
        media: tuple[MediaItem, ...],
        card: LinkCard | None,
    ) -> dict[str, Any] | None:
        """A post has one kind of content: images when there are any (one: a
        media, several: a multiImage), else the link card as an article."""
        if media:
            images = [
                {"id": await self._upload(account, token, owner, item), "altText": item.alt_text}
                for item in media
            ]
            if len(images) == 1:
                return {"media": images[0]}
            return {"multiImage": {"images": images}}
        if card is not None:
            article: dict[str, Any] = {"source": card.uri, "title": card.title}
            if card.description:
                article["description"] = card.description
            if card.thumbnail is not None:
                article["thumbnail"] = await self._upload(account, token, owner, card.thumbnail)
            return {"article": article}
        return None

    async def _upload(
        self, account: AccountCredentials, token: OAuthToken, owner: str, item: MediaItem
    ) -> str:
        """Images API: initializeUpload for the member, PUT the bytes to the
        upload URL it gives; the image URN is what the post references."""
        response = await self._call(
            "POST",
            f"{self.base_url}/rest/images?action=initializeUpload",
            account,
            token,
            what="initialize image upload",
            json={"initializeUploadRequest": {"owner": owner}},
        )
        _raise_for(
            response, "initialize image upload", self._now(), refused=Rejection.MEDIA_REFUSED
        )
        value = response.json().get("value") or {}
        upload_url, image = str(value.get("uploadUrl") or ""), str(value.get("image") or "")
        if not upload_url or not image:
            raise RetryableNetworkError(
                "initialize image upload: no uploadUrl or image in the answer"
            )
        uploaded = await self._call(
            "PUT",
            upload_url,
            account,
            token,
            what="upload image",
            content=item.data,
            content_type="application/octet-stream",
        )
        _raise_for(uploaded, "upload image", self._now(), refused=Rejection.MEDIA_REFUSED)
        return image

    async def _member_urn(self, account: AccountCredentials, token: OAuthToken) -> str:
        digest = hashlib.sha256(token.access_token.encode()).hexdigest()
        known = self._members.get(account.account_id)
        if known is not None and known[0] == digest:
            return known[1]
        response = await self._call(
            "GET", f"{self.base_url}/v2/userinfo", account, token, what="userinfo"
        )
        if response.status_code == 403:
            # The token was granted without OpenID Connect's scopes: only a new
            # consent (reconnecting) gives them.
            raise CredentialsRejected("userinfo: the linkedin token lacks the openid/profile scope")
        _raise_for(response, "userinfo", self._now())
        sub = response.json().get("sub")
        if not isinstance(sub, str) or not sub:
            raise RetryableNetworkError("userinfo: the answer has no sub")
        urn = f"urn:li:person:{sub}"
        self._members[account.account_id] = (digest, urn)
        return urn

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    async def _call(
        self,
        method: str,
        url: str,
        account: AccountCredentials,
        token: OAuthToken,
        *,
        what: str,
        json: dict[str, Any] | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
        posts: float = 0.0,
        creates: bool = False,
    ) -> httpx.Response:
        """One call, paid for first from the shared budgets (RateLimited when
        they say not now: nothing is sent); what the answer says of the
        budgets is passed on to them. `creates`: the call that makes the post,
        whose outcome is unknown once the request may have left."""
        headers = {
            "Authorization": f"Bearer {token.access_token}",
            "LinkedIn-Version": LINKEDIN_VERSION,
            "X-Restli-Protocol-Version": RESTLI_PROTOCOL_VERSION,
        }
        if content_type is not None:
            headers["Content-Type"] = content_type
        response = await paid_call(
            self.client,
            self.budget,
            self.network,
            account.account_id,
            method,
            url,
            what=what,
            signals=lambda answer: _signals(answer, self._now()),
            posts=posts,
            creates=creates,
            headers=headers,
            json=json,
            content=content,
        )
        if response.status_code == 401:
            self._members.pop(account.account_id, None)
        return response


def _token_of(account: AccountCredentials) -> OAuthToken:
    try:
        return OAuthToken.parse(account.secret)
    except InvalidArgument:
        raise CredentialsRejected("the stored linkedin token cannot be read") from None
