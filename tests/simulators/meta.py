"""Meta's Graph API for connector tests: Facebook Pages and Instagram
professional accounts, as documented at developers.facebook.com (Pages API:
getting started, page/feed, page/photos, page/posts, user/accounts;
Instagram Platform: content publishing, ig-user/media, media_publish,
content_publishing_limit, error codes; Graph API: handling errors, rate
limiting). A test tool only.

What it implements, under any version prefix (/v27.0/...):
* Tokens: `Authorization: Bearer` (or the `access_token` parameter, as
  Graph takes either). A Page token acts as its Page (/me is the Page); a
  person's token acts as the person, who manages some Pages (/me/accounts).
  Unknown tokens get code 190 "Invalid OAuth access token"; a token the test
  expires gets 190/463 ("Session has expired"), a revoked one 190/467; all
  with HTTP 400 and WWW-Authenticate, as Graph answers OAuthException.
* GET /{id}?fields=... of a Page, a person, a post, a photo, an IG user, IG
  media and containers (a field the node does not have: code 100
  "Tried accessing nonexisting field"; an unknown id: 100/33);
  GET /me, GET /me/accounts (a person's Pages; a Page token has none: 100).
* Facebook: POST /{page-id}/feed (form: message, link, attached_media[i]
  as {"media_fbid": ...}) with the Page's own token only (else code 200);
  63,206 characters at most (else 100 "... too long ..."); the same message
  as the Page's latest post is refused with 506 "Duplicate status message".
  POST /{page-id}/photos (multipart `source` or `url`; published=false keeps
  it for attached_media; alt_text_custom); an image that is not one, or a
  url that cannot be fetched: 324. GET /{page-id}/posts, newest first.
* Instagram: POST /{ig-user-id}/media (image_url, caption <= 2,200
  characters, alt_text, is_carousel_item; media_type=CAROUSEL with
  children) -> a container, FINISHED at once (or IN_PROGRESS when
  `containers_ready` is False: media_publish then answers 9007/2207027); an
  image_url that cannot be fetched: 9004/2207052. POST /{ig-user-id}/media_publish
  (creation_id) within quota_total (50) posts per quota_duration (24 h) of
  moving window, else 9/2207042. GET /{ig-user-id}/media (newest first,
  timestamps as 2026-06-01T10:00:00+0000), GET .../content_publishing_limit
  ({"data": [{"quota_usage", "config": {"quota_total", "quota_duration"}}]}).
  A person's token works for the IG accounts of the Pages they manage.
* Rate limits over a rolling hour, counting every call: per app
  (`app_calls_per_hour`) and per business object, the Page or the IG account
  the call is about (`account_calls_per_hour`). Every answer carries
  X-App-Usage {"call_count", "total_cputime", "total_time"} (percentages)
  and X-Business-Use-Case-Usage {"<object id>": [{"type": "pages" |
  "instagram", "call_count", ..., "estimated_time_to_regain_access"
  (minutes)}]}. Past a limit: code 4 "Application request limit reached",
  80001 (a Page) or 80002 (an Instagram account), HTTP 400. The simulator
  counts calls only: cputime and time report the same percentage.
* Faults: `respond_next` scripts the next answer to a route ("POST feed",
  "POST media_publish", "GET node", ...): a 5xx, a code, a 429 with
  headers; `after_write`: the post is made, then the error is answered.
  Transport faults come from harness.SimulatorTransport.
"""

from __future__ import annotations

import json
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

HOUR = 3600.0
MAX_MESSAGE = 63206  # a Facebook post's message, in characters
MAX_CAPTION = 2200  # an Instagram caption, in characters
QUOTA_TOTAL = 50  # Instagram: published posts ...
QUOTA_DURATION = 86400  # ... per moving 24 hours
INVALID_TOKEN = "Invalid OAuth access token - Cannot parse access token"
EXPIRED_TOKEN = "Error validating access token: Session has expired."
REVOKED_TOKEN = "Error validating access token: The session is invalid because the user logged out."
APP_LIMIT = "(#4) Application request limit reached"
PAGE_LIMIT = (
    "(#80001) There have been too many calls to this Page account. Wait a bit and try again."
)
IG_LIMIT = (
    "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again."
)
DUPLICATE = "(#506) Duplicate status message"
MESSAGE_TOO_LONG = f"(#100) The message is too long: at most {MAX_MESSAGE} characters"
CAPTION_TOO_LONG = f"(#100) The caption is too long: at most {MAX_CAPTION} characters"
NOT_FETCHED = "The media could not be fetched from this uri"
BAD_IMAGE = "(#324) Missing or invalid image file"
PAGE_TOKEN_NEEDED = (
    "(#200) If posting to a page, requires both pages_read_engagement and "
    "pages_manage_posts as an admin with sufficient administrative permission"
)
NO_PERMISSION = "(#10) Application does not have permission for this action"
QUOTA_REACHED = (
    "You reached maximum number of posts that is allowed to be published by Content Publishing API."
)
NOT_READY = "Media ID is not available"


def _stamp(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def multipart_parts(content_type: str, body: bytes) -> dict[str, Message]:
    """multipart/form-data parts by name (the stdlib's MIME parser)."""
    parsed = message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=HTTP
    )
    parts: dict[str, Message] = {}
    for part in parsed.iter_parts() if parsed.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            parts[name] = part
    return parts


@dataclass
class Token:
    kind: str  # "page" or "user"
    subject: str  # the Page's or the person's id
    state: str = "valid"  # "expired" (190/463), "revoked" (190/467)


@dataclass
class SimPage:
    id: str
    name: str
    token: str
    category: str = "Company"


@dataclass
class SimUser:
    id: str
    name: str
    token: str
    pages: list[str]


@dataclass
class SimInstagram:
    id: str
    username: str
    page_id: str  # the Facebook Page it is linked to


@dataclass
class SimPost:
    id: str
    page_id: str
    message: str
    link: str
    photos: list[str]
    created: float

    @property
    def permalink_url(self) -> str:
        return f"https://www.facebook.com/{self.page_id}/posts/{self.id.partition('_')[2]}"


@dataclass
class SimPhoto:
    id: str
    page_id: str
    published: bool
    url: str
    content_type: str
    size: int
    alt_text_custom: str


@dataclass
class SimContainer:
    id: str
    ig_id: str
    media_type: str  # IMAGE or CAROUSEL
    image_url: str
    caption: str
    alt_text: str
    carousel_item: bool
    children: list[str]
    status_code: str  # FINISHED, IN_PROGRESS, PUBLISHED


@dataclass
class SimMedia:
    id: str
    ig_id: str
    media_type: str
    caption: str
    children: list[str]
    created: float

    @property
    def permalink(self) -> str:
        return f"https://www.instagram.com/p/C{int(self.id) % 10**10:010d}/"


@dataclass
class Scripted:
    status: int
    body: Any
    headers: dict[str, str]
    after_write: bool


@dataclass
class Rolling:
    """Calls per key over a rolling window, as Meta counts usage."""

    limit: int
    period: float = HOUR
    calls: dict[str, deque[float]] = field(default_factory=dict)

    def _live(self, key: str, now: float) -> deque[float]:
        seen = self.calls.setdefault(key, deque())
        while seen and seen[0] <= now - self.period:
            seen.popleft()
        return seen

    def count(self, key: str, now: float) -> int:
        return len(self._live(key, now))

    def hit(self, key: str, now: float) -> None:
        self._live(key, now).append(now)

    def spent(self, key: str, now: float) -> bool:
        return self.count(key, now) >= self.limit

    def percent(self, key: str, now: float) -> int:
        return min(100, math.ceil(100 * self.count(key, now) / self.limit))

    def regain_minutes(self, key: str, now: float) -> int:
        seen = self._live(key, now)
        if len(seen) < self.limit:
            return 0
        frees_at = seen[len(seen) - self.limit] + self.period
        return max(1, math.ceil((frees_at - now) / 60))


class _Refused(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def graph_error(
    code: int,
    message: str,
    *,
    subcode: int | None = None,
    type: str = "OAuthException",
    user_title: str = "",
    transient: bool | None = None,
    trace: str = "AsimTrace",
) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": type, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient is not None:
        error["is_transient"] = transient
    if user_title:
        error["error_user_title"] = user_title
    error["fbtrace_id"] = trace
    return {"error": error}


class MetaSimulator:
    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        app_calls_per_hour: int = 10_000,
        account_calls_per_hour: int = 200,
    ) -> None:
        self.clock = clock
        self.app_usage = Rolling(app_calls_per_hour)
        self.account_usage = Rolling(account_calls_per_hour)
        self.quota_total = QUOTA_TOTAL
        self.quota_duration = QUOTA_DURATION
        self.containers_ready = True
        self.unreachable: set[str] = set()  # image urls Meta cannot fetch
        self.tokens: dict[str, Token] = {}
        self.pages: dict[str, SimPage] = {}
        self.users: dict[str, SimUser] = {}
        self.instagram: dict[str, SimInstagram] = {}
        self.posts: list[SimPost] = []
        self.photos: dict[str, SimPhoto] = {}
        self.containers: dict[str, SimContainer] = {}
        self.media: list[SimMedia] = []
        self._scripted: dict[str, deque[Scripted]] = {}
        self._next = 100_000_000_000
        self._traces = 0
        self.app = FastAPI()
        self.app.add_api_route("/{version}/{path:path}", self._handle, methods=["GET", "POST"])

    # --- what a test sets up -------------------------------------------------

    def _id(self) -> str:
        self._next += 1
        return str(self._next)

    def add_page(self, name: str, token: str) -> SimPage:
        page = SimPage(self._id(), name, token)
        self.pages[page.id] = page
        self.tokens[token] = Token("page", page.id)
        return page

    def add_user(self, name: str, token: str, pages: list[str] | None = None) -> SimUser:
        user = SimUser(self._id(), name, token, list(pages or []))
        self.users[user.id] = user
        self.tokens[token] = Token("user", user.id)
        return user

    def add_instagram(self, page_id: str, username: str) -> SimInstagram:
        account = SimInstagram(self._id(), username, page_id)
        self.instagram[account.id] = account
        return account

    def expire(self, token: str) -> None:
        self.tokens[token].state = "expired"

    def revoke(self, token: str) -> None:
        self.tokens[token].state = "revoked"

    def respond_next(
        self,
        route: str,
        status: int,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        after_write: bool = False,
    ) -> None:
        """The next request to `route` ("POST feed", "GET node", ...) gets
        this answer (body: a Graph error by default)."""
        if body is None:
            body = graph_error(2, "An unexpected error has occurred.", transient=True)
        self._scripted.setdefault(route, deque()).append(
            Scripted(status, body, dict(headers or {}), after_write)
        )

    def published_earlier(self, ig_id: str, *moments: float) -> None:
        """Media the account published before the test (the quota counts them)."""
        for moment in moments:
            self.media.append(SimMedia(self._id(), ig_id, "IMAGE", "earlier post", [], moment))

    def posts_of(self, page_id: str) -> list[SimPost]:
        return [post for post in self.posts if post.page_id == page_id]

    def media_of(self, ig_id: str) -> list[SimMedia]:
        return [item for item in self.media if item.ig_id == ig_id]

    # --- the API ---------------------------------------------------------------

    async def _handle(self, request: Request, version: str, path: str) -> Response:
        now = self.clock()
        body = await request.body()
        form = self._form(request, body)
        segments = [s for s in path.split("/") if s]
        edge = "node" if len(segments) == 1 else segments[1]
        if segments[:2] == ["me", "accounts"]:
            edge = "accounts"
        elif segments == ["me"]:
            edge = "me"
        route = f"{request.method} {edge}"
        business = self._business_object(segments)
        headers: dict[str, str] = {}
        try:
            token = self._authenticate(request, form)
            self._count(business, now)
            scripted = self._scripted.get(route)
            script = scripted.popleft() if scripted else None
            if script is not None and not script.after_write:
                raise _Refused(script.status, script.body, script.headers)
            status, answer = self._dispatch(
                request.method, segments, edge, token, form, request, now
            )
            if script is not None:
                raise _Refused(script.status, script.body, script.headers)
        except _Refused as refused:
            status, answer = refused.status, refused.body
            headers.update(refused.headers)
        headers.update(self._usage_headers(business, now))
        if (
            status == 400
            and isinstance(answer, dict)
            and answer.get("error", {}).get("code") == 190
        ):
            headers["WWW-Authenticate"] = 'OAuth "Facebook Platform" "invalid_token"'
        return JSONResponse(answer, status_code=status, headers=headers)

    def _trace(self) -> str:
        self._traces += 1
        return f"Asim{self._traces:08d}"

    def _error(self, code: int, message: str, status: int = 400, **extra: Any) -> _Refused:
        return _Refused(status, graph_error(code, message, trace=self._trace(), **extra))

    @staticmethod
    def _form(request: Request, body: bytes) -> dict[str, Any]:
        fields: dict[str, Any] = {k: v for k, v in request.query_params.items()}
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            fields.update(
                {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
            )
        elif content_type.startswith("multipart/form-data"):
            for name, part in multipart_parts(content_type, body).items():
                payload = part.get_payload(decode=True)
                if part.get_filename() is not None:
                    fields[name] = part
                else:
                    fields[name] = payload.decode() if isinstance(payload, bytes) else ""
        elif content_type.startswith("application/json") and body:
            parsed = json.loads(body)
            if isinstance(parsed, dict):
                fields.update(
                    {k: v if isinstance(v, str) else json.dumps(v) for k, v in parsed.items()}
                )
        return fields

    def _business_object(self, segments: list[str]) -> str:
        """The Page or Instagram account a call is about (BUC usage), if any."""
        first = segments[0] if segments else ""
        if first in self.pages or first in self.instagram:
            return first
        for post in self.posts:
            if post.id == first:
                return post.page_id
        for item in self.media:
            if item.id == first:
                return item.ig_id
        return ""

    def _authenticate(self, request: Request, form: dict[str, Any]) -> Token:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        raw = (
            value.strip()
            if scheme.lower() in ("bearer", "oauth")
            else str(form.get("access_token", ""))
        )
        token = self.tokens.get(raw)
        if token is None:
            raise self._error(190, INVALID_TOKEN)
        if token.state == "expired":
            raise self._error(190, EXPIRED_TOKEN, subcode=463)
        if token.state == "revoked":
            raise self._error(190, REVOKED_TOKEN, subcode=467)
        return token

    def _count(self, business: str, now: float) -> None:
        if self.app_usage.spent("app", now):
            raise self._error(4, APP_LIMIT)
        if business and self.account_usage.spent(business, now):
            code, message = (80002, IG_LIMIT) if business in self.instagram else (80001, PAGE_LIMIT)
            raise self._error(code, message, type="OAuthException")
        self.app_usage.hit("app", now)
        if business:
            self.account_usage.hit(business, now)

    def _usage_headers(self, business: str, now: float) -> dict[str, str]:
        percent = self.app_usage.percent("app", now)
        headers = {
            "X-App-Usage": json.dumps(
                {"call_count": percent, "total_cputime": percent, "total_time": percent}
            )
        }
        if business:
            used = self.account_usage.percent(business, now)
            entry = {
                "type": "instagram" if business in self.instagram else "pages",
                "call_count": used,
                "total_cputime": used,
                "total_time": used,
                "estimated_time_to_regain_access": self.account_usage.regain_minutes(business, now),
            }
            headers["X-Business-Use-Case-Usage"] = json.dumps({business: [entry]})
        return headers

    def _dispatch(
        self,
        method: str,
        segments: list[str],
        edge: str,
        token: Token,
        form: dict[str, Any],
        request: Request,
        now: float,
    ) -> tuple[int, Any]:
        node = segments[0]
        if edge == "me":
            return 200, self._node(token.subject, form)
        if edge == "accounts" and method == "GET":
            if token.kind != "user":
                raise self._error(
                    100, "(#100) Tried accessing nonexisting field (accounts) on node type (Page)"
                )
            pages = [self.pages[p] for p in self.users[token.subject].pages]
            return 200, {
                "data": [{"id": p.id, "name": p.name, "access_token": p.token} for p in pages]
            }
        if edge == "node" and method == "GET":
            return 200, self._node(node, form)
        if node in self.pages:
            page = self.pages[node]
            if (method, edge) == ("POST", "feed"):
                self._may_post(token, page)
                return 200, self._feed(page, form, now)
            if (method, edge) == ("POST", "photos"):
                self._may_post(token, page)
                return 200, self._photo(page, form)
            if (method, edge) == ("GET", "posts"):
                self._may_read(token, page.id)
                posts = sorted(self.posts_of(page.id), key=lambda p: p.created, reverse=True)
                return 200, self._listing([self._post_fields(p) for p in posts], form)
        if node in self.instagram:
            account = self.instagram[node]
            self._may_read(token, account.page_id)
            if (method, edge) == ("POST", "media"):
                return 200, self._container(account, form)
            if (method, edge) == ("POST", "media_publish"):
                return 200, self._publish(account, form, now)
            if (method, edge) == ("GET", "media"):
                items = sorted(self.media_of(account.id), key=lambda m: m.created, reverse=True)
                return 200, self._listing([self._media_fields(m) for m in items], form)
            if (method, edge) == ("GET", "content_publishing_limit"):
                entry: dict[str, Any] = {"quota_usage": self._quota_usage(account.id, now)}
                if "config" in str(form.get("fields", "")).split(","):
                    entry["config"] = {
                        "quota_total": self.quota_total,
                        "quota_duration": self.quota_duration,
                    }
                return 200, {"data": [entry]}
        raise self._error(
            100,
            f"Unsupported {method.lower()} request. Object with ID '{node}' does not exist, "
            "cannot be loaded due to missing permissions, or does not support this operation.",
            subcode=33,
            type="GraphMethodException",
        )

    def _may_post(self, token: Token, page: SimPage) -> None:
        # Only the Page posts to its feed: with its own token.
        if token.kind != "page" or token.subject != page.id:
            raise self._error(200, PAGE_TOKEN_NEEDED)

    def _may_read(self, token: Token, page_id: str) -> None:
        if token.kind == "page" and token.subject == page_id:
            return
        if token.kind == "user" and page_id in self.users[token.subject].pages:
            return
        raise self._error(10, NO_PERMISSION)

    def _listing(self, items: list[dict[str, Any]], form: dict[str, Any]) -> dict[str, Any]:
        limit = int(form.get("limit") or 25)
        wanted = self._fields(form, {"id"})
        return {"data": [{k: v for k, v in item.items() if k in wanted} for item in items[:limit]]}

    @staticmethod
    def _fields(form: dict[str, Any], default: set[str]) -> set[str]:
        raw = str(form.get("fields") or "")
        return {f.strip() for f in raw.split(",") if f.strip()} | {"id"} if raw else default

    def _node(self, node_id: str, form: dict[str, Any]) -> dict[str, Any]:
        known: tuple[str, dict[str, Any]] | None = None
        if node_id in self.pages:
            page = self.pages[node_id]
            known = ("Page", {"id": page.id, "name": page.name, "category": page.category})
        elif node_id in self.users:
            user = self.users[node_id]
            known = ("User", {"id": user.id, "name": user.name})
        elif node_id in self.instagram:
            account = self.instagram[node_id]
            known = ("IGUser", {"id": account.id, "username": account.username})
        elif node_id in self.photos:
            photo = self.photos[node_id]
            known = ("Photo", {"id": photo.id, "alt_text_custom": photo.alt_text_custom})
        elif node_id in self.containers:
            container = self.containers[node_id]
            known = ("IGContainer", {"id": container.id, "status_code": container.status_code})
        else:
            for post in self.posts:
                if post.id == node_id:
                    known = ("Post", self._post_fields(post))
            for item in self.media:
                if item.id == node_id:
                    known = ("IGMedia", self._media_fields(item))
        if known is None:
            raise self._error(
                100,
                f"Unsupported get request. Object with ID '{node_id}' does not exist, cannot be "
                "loaded due to missing permissions, or does not support this operation.",
                subcode=33,
                type="GraphMethodException",
            )
        kind, values = known
        wanted = self._fields(form, {"id", "name"} & set(values) | {"id"})
        for name in wanted - set(values):
            raise self._error(
                100, f"(#100) Tried accessing nonexisting field ({name}) on node type ({kind})"
            )
        return {k: v for k, v in values.items() if k in wanted}

    @staticmethod
    def _post_fields(post: SimPost) -> dict[str, Any]:
        return {
            "id": post.id,
            "message": post.message,
            "permalink_url": post.permalink_url,
            "created_time": _stamp(post.created),
        }

    @staticmethod
    def _media_fields(item: SimMedia) -> dict[str, Any]:
        return {
            "id": item.id,
            "caption": item.caption,
            "media_type": "CAROUSEL_ALBUM" if item.media_type == "CAROUSEL" else item.media_type,
            "permalink": item.permalink,
            "timestamp": _stamp(item.created),
        }

    def _fetchable(self, url: str) -> bool:
        return url.startswith("https://") and url not in self.unreachable

    def _feed(self, page: SimPage, form: dict[str, Any], now: float) -> dict[str, Any]:
        message = str(form.get("message", ""))
        photos: list[str] = []
        index = 0
        while f"attached_media[{index}]" in form:
            try:
                fbid = str(json.loads(form[f"attached_media[{index}]"])["media_fbid"])
            except (ValueError, KeyError, TypeError):
                fbid = ""
            photo = self.photos.get(fbid)
            if photo is None or photo.page_id != page.id or photo.published:
                raise self._error(
                    100,
                    f"(#100) param attached_media[{index}] must be an unpublished photo "
                    "of this Page",
                )
            photos.append(fbid)
            index += 1
        if not message and not photos and not form.get("link"):
            raise self._error(100, "(#100) Missing message or attachment")
        if len(message) > MAX_MESSAGE:
            raise self._error(100, MESSAGE_TOO_LONG)
        latest = max(self.posts_of(page.id), key=lambda p: p.created, default=None)
        if latest is not None and message and latest.message == message:
            raise self._error(506, DUPLICATE)
        post = SimPost(
            f"{page.id}_{self._id()}", page.id, message, str(form.get("link", "")), photos, now
        )
        self.posts.append(post)
        for fbid in photos:
            self.photos[fbid].published = True
        return {"id": post.id}

    def _photo(self, page: SimPage, form: dict[str, Any]) -> dict[str, Any]:
        source = form.get("source")
        url = str(form.get("url", ""))
        if isinstance(source, Message):
            content_type = source.get_content_type()
            payload = source.get_payload(decode=True)
            size = len(payload) if isinstance(payload, bytes) else 0
            if not content_type.startswith("image/") or size == 0:
                raise self._error(324, BAD_IMAGE)
        elif url:
            if not self._fetchable(url):
                raise self._error(324, BAD_IMAGE)
            content_type, size = "image/jpeg", 1
        else:
            raise self._error(324, "(#324) Requires upload file")
        published = str(form.get("published", "true")).lower() != "false"
        photo = SimPhoto(
            self._id(),
            page.id,
            published,
            url,
            content_type,
            size,
            str(form.get("alt_text_custom", "")),
        )
        self.photos[photo.id] = photo
        return {"id": photo.id}

    def _container(self, account: SimInstagram, form: dict[str, Any]) -> dict[str, Any]:
        caption = str(form.get("caption", ""))
        if len(caption) > MAX_CAPTION:
            raise self._error(100, CAPTION_TOO_LONG)
        media_type = str(form.get("media_type") or "IMAGE")
        children: list[str] = []
        image_url = str(form.get("image_url", ""))
        if media_type == "CAROUSEL":
            children = [c for c in str(form.get("children", "")).split(",") if c]
            if not 2 <= len(children) <= 10 or any(
                c not in self.containers
                or not self.containers[c].carousel_item
                or self.containers[c].ig_id != account.id
                for c in children
            ):
                raise self._error(100, "(#100) children must be 2 to 10 carousel item containers")
        elif media_type != "IMAGE":
            raise self._error(100, "(#100) The media type is not supported by this simulator")
        elif not image_url:
            raise self._error(100, "(#100) The parameter image_url is required")
        elif not self._fetchable(image_url):
            raise self._error(
                9004, NOT_FETCHED, subcode=2207052, user_title="Media download has failed"
            )
        container = SimContainer(
            self._id(),
            account.id,
            media_type,
            image_url,
            caption,
            str(form.get("alt_text", "")),
            str(form.get("is_carousel_item", "")).lower() == "true",
            children,
            "FINISHED" if self.containers_ready else "IN_PROGRESS",
        )
        self.containers[container.id] = container
        return {"id": container.id}

    def _quota_usage(self, ig_id: str, now: float) -> int:
        return sum(1 for m in self.media_of(ig_id) if m.created > now - self.quota_duration)

    def _publish(self, account: SimInstagram, form: dict[str, Any], now: float) -> dict[str, Any]:
        container = self.containers.get(str(form.get("creation_id", "")))
        if container is None or container.ig_id != account.id or container.carousel_item:
            raise self._error(100, "(#100) The parameter creation_id is invalid")
        if container.status_code == "IN_PROGRESS":
            raise self._error(9007, NOT_READY, subcode=2207027, user_title="Media not ready")
        if container.status_code == "PUBLISHED":
            raise self._error(100, "(#100) The container was published already")
        if self._quota_usage(account.id, now) >= self.quota_total:
            raise self._error(9, QUOTA_REACHED, subcode=2207042, user_title="Maximum posts reached")
        container.status_code = "PUBLISHED"
        item = SimMedia(
            self._id(), account.id, container.media_type, container.caption, container.children, now
        )
        self.media.append(item)
        return {"id": item.id}
