"""X for connector tests: the X API v2 as documented at docs.x.com (posts
manage-tweets, users lookup, timelines, media upload-media and
create-media-metadata, fundamentals rate-limits and response-codes) and,
where the reference is silent, as X answers (the problem bodies client
libraries see). A test tool only.

What it implements:
* OAuth 2.0 user-context Bearer tokens: an unknown, expired or revoked one
  gets 401 {"title": "Unauthorized", "type": "about:blank", "status": 401,
  "detail": "Unauthorized"}.
* GET /2/users/me -> {"data": {"id", "name", "username"}}.
* POST /2/tweets (JSON {"text", "media": {"media_ids"}}) -> 201 {"data":
  {"id", "text"}}, the text with every link rewritten to t.co as X does.
  Refusals: text over 280 by X's weighted count (twitter-text v3, every
  URL 23: content's lengths.x_length) -> 400 "Your Tweet text is too long.
  ..."; the same text as one of the user's posts -> 403 "You are not
  allowed to create a Tweet with duplicate content."; unknown media ids or
  more than 4 -> 400 "Your media IDs are invalid."; neither text nor media
  -> 400.
* GET /2/users/:id/tweets (max_results 5..100, newest first, `exclude`
  retweets/replies, `tweet.fields=entities` adds entities.urls with start,
  end, url (t.co), expanded_url (the link as posted) and display_url).
* POST /2/media/upload, one-shot (JSON: `media` base64, `media_category`
  tweet_image, `media_type` one of the one-shot image types; at most
  5 MB) -> 200 {"data": {"id", "media_key", "size", "expires_after_secs"}};
  POST /2/media/metadata ({"id", "metadata": {"alt_text": {"text"}}}, at
  most 1,000 characters) -> 200.
* Rate limits in 15-minute windows per user and endpoint (aligned to the
  epoch): POST /2/tweets 100, GET /2/users/me 75, the timeline 900, media
  upload and metadata 500 each (configurable); and the app's 10,000 posts
  per 24 hours across every user. Every answer carries x-rate-limit-limit /
  -remaining / -reset (epoch seconds) of its endpoint's window for the
  user; POST /2/tweets answers also x-app-limit-24hour-limit / -remaining /
  -reset. Past a limit: 429 {"title": "Too Many Requests", "detail": "Too
  Many Requests", "type": "about:blank", "status": 429} with remaining 0.
* Faults: `respond_next` scripts the next answer of a route (a 5xx, a 429
  without headers; `after_write`: the post is made, then the error is
  answered), `exhaust` spends a user's window now (the real 429). Transport
  faults (no connection, a timeout after the write) come from
  harness.SimulatorTransport.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from content_service.domain.lengths import x_length
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

MAX_WEIGHTED_LENGTH = 280
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_ALT_TEXT = 1000
ONE_SHOT_TYPES = frozenset(
    {"image/jpeg", "image/bmp", "image/png", "image/webp", "image/pjpeg", "image/tiff"}
)
WINDOW = 15 * 60
DAY = 24 * 60 * 60
INVALID_REQUEST = "https://api.twitter.com/2/problems/invalid-request"
TOO_LONG = (
    "Your Tweet text is too long. For more information on how Twitter determines text "
    "length see https://github.com/twitter/twitter-text."
)
DUPLICATE = "You are not allowed to create a Tweet with duplicate content."
INVALID_MEDIA = "Your media IDs are invalid."
_URL = re.compile(r"https?://[^\s]+", re.IGNORECASE)

UNAUTHORIZED = {
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}
TOO_MANY = {
    "title": "Too Many Requests",
    "detail": "Too Many Requests",
    "type": "about:blank",
    "status": 429,
}


def invalid_request(message: str, parameters: dict[str, list[str]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message}
    if parameters:
        error["parameters"] = parameters
    return {
        "errors": [error],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": INVALID_REQUEST,
    }


def forbidden(detail: str) -> dict[str, Any]:
    return {"detail": detail, "type": "about:blank", "title": "Forbidden", "status": 403}


@dataclass
class Window:
    """`limit` requests per `period` seconds, in windows aligned to the epoch."""

    limit: int
    period: int
    counts: dict[tuple[str, int], int] = field(default_factory=dict)

    def slot(self, key: str, now: float) -> tuple[str, int]:
        return key, int(now // self.period)

    def used(self, key: str, now: float) -> int:
        return self.counts.get(self.slot(key, now), 0)

    def spent(self, key: str, now: float) -> bool:
        return self.used(key, now) >= self.limit

    def hit(self, key: str, now: float) -> None:
        slot = self.slot(key, now)
        self.counts[slot] = self.counts.get(slot, 0) + 1

    def spend(self, key: str, now: float) -> None:
        self.counts[self.slot(key, now)] = self.limit

    def headers(self, key: str, now: float, prefix: str = "x-rate-limit-") -> dict[str, str]:
        return {
            f"{prefix}limit": str(self.limit),
            f"{prefix}remaining": str(max(0, self.limit - self.used(key, now))),
            f"{prefix}reset": str((int(now // self.period) + 1) * self.period),
        }


@dataclass
class SimUser:
    id: str
    username: str
    token: str
    state: str = "active"  # "expired" / "revoked": 401


@dataclass
class SimPost:
    id: str
    author_id: str
    text: str  # as posted (our links)
    shown: str  # as X shows it (t.co links)
    urls: list[dict[str, Any]]
    media_ids: list[str]
    reply: bool = False
    repost: bool = False

    def entity(self, fields: set[str]) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.id,
            "text": self.shown,
            "edit_history_tweet_ids": [self.id],
        }
        if "entities" in fields and self.urls:
            found["entities"] = {"urls": self.urls}
        if "author_id" in fields:
            found["author_id"] = self.author_id
        return found


@dataclass
class SimMedia:
    id: str
    owner_id: str
    media_type: str
    data: bytes
    alt_text: str = ""


@dataclass
class Scripted:
    status: int
    body: Any
    after_write: bool
    headers: bool


class XSimulator:
    """The simulated X API; `app` is the ASGI application to route to."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        posts_per_window: int = 100,
        app_posts_per_day: int = 10_000,
        me_per_window: int = 75,
        timeline_per_window: int = 900,
        media_per_window: int = 500,
    ) -> None:
        self.clock = clock
        self.users: dict[str, SimUser] = {}  # by token
        self.posts: list[SimPost] = []  # oldest first
        self.media: dict[str, SimMedia] = {}
        self.windows = {
            ("POST", "/2/tweets"): Window(posts_per_window, WINDOW),
            ("GET", "/2/users/me"): Window(me_per_window, WINDOW),
            ("GET", "timeline"): Window(timeline_per_window, WINDOW),
            ("POST", "/2/media/upload"): Window(media_per_window, WINDOW),
            ("POST", "/2/media/metadata"): Window(media_per_window, WINDOW),
        }
        self.app_posts = Window(app_posts_per_day, DAY)
        self._scripted: dict[tuple[str, str], list[Scripted]] = {}
        self._ids = itertools.count(1_850_000_000_000_000_001)
        self._short = itertools.count(1)
        self.app = FastAPI()
        self.app.add_api_route("/2/users/me", self._me, methods=["GET"])
        self.app.add_api_route("/2/users/{user_id}/tweets", self._timeline, methods=["GET"])
        self.app.add_api_route("/2/tweets", self._create, methods=["POST"])
        self.app.add_api_route("/2/media/upload", self._upload, methods=["POST"])
        self.app.add_api_route("/2/media/metadata", self._metadata, methods=["POST"])

    # --- what tests set up and look at -------------------------------------

    def add_user(self, token: str, username: str = "ambassador") -> SimUser:
        user = SimUser(str(next(self._ids)), username, token)
        self.users[token] = user
        return user

    def expire(self, token: str) -> None:
        self.users[token].state = "expired"

    def revoke(self, token: str) -> None:
        self.users[token].state = "revoked"

    def posts_of(self, user: SimUser) -> list[SimPost]:
        return [p for p in self.posts if p.author_id == user.id]

    def seed_post(self, user: SimUser, text: str, *, reply: bool = False) -> SimPost:
        """A post the user made elsewhere (no request, no limit spent)."""
        return self._make_post(user, text, [], reply=reply)

    def respond_next(
        self,
        method: str,
        route: str,
        status: int,
        body: Any = None,
        *,
        after_write: bool = False,
        headers: bool = True,
    ) -> None:
        """The next request to `route` ("/2/tweets", "/2/users/me", "timeline",
        "/2/media/upload", "/2/media/metadata") is answered `status` (with
        `body`, else X's generic problem for it). `after_write`: the post is
        made first (X failing after the write). `headers=False`: without
        any rate-limit header (a 429 that says no reset)."""
        problem = body if body is not None else _generic(status)
        self._scripted.setdefault((method, route), []).append(
            Scripted(status, problem, after_write, headers)
        )

    def exhaust(self, method: str, route: str, user: SimUser) -> None:
        """Spend the user's window of `route` now: its next request gets the real 429."""
        self.windows[(method, route)].spend(user.id, self.clock())

    def exhaust_app_posts(self) -> None:
        self.app_posts.spend("app", self.clock())

    # --- the API ------------------------------------------------------------

    async def _me(self, request: Request) -> JSONResponse:
        return await self._serve(request, ("GET", "/2/users/me"), self._answer_me)

    async def _timeline(self, request: Request, user_id: str) -> JSONResponse:
        return await self._serve(
            request, ("GET", "timeline"), lambda user, req: self._answer_timeline(req, user_id)
        )

    async def _create(self, request: Request) -> JSONResponse:
        return await self._serve(request, ("POST", "/2/tweets"), self._answer_create)

    async def _upload(self, request: Request) -> JSONResponse:
        return await self._serve(request, ("POST", "/2/media/upload"), self._answer_upload)

    async def _metadata(self, request: Request) -> JSONResponse:
        return await self._serve(request, ("POST", "/2/media/metadata"), self._answer_metadata)

    async def _serve(
        self,
        request: Request,
        route: tuple[str, str],
        answer: Callable[[SimUser, dict[str, Any]], tuple[int, Any]],
    ) -> JSONResponse:
        user = self._authenticated(request)
        if user is None:
            return JSONResponse(UNAUTHORIZED, status_code=401)
        now = self.clock()
        window = self.windows[route]
        posting = route == ("POST", "/2/tweets")
        parsed = await _request_of(request)
        scripted = self._scripted.get(route)
        if scripted:
            fault = scripted.pop(0)
            if fault.after_write and posting:
                window.hit(user.id, now)
                self.app_posts.hit("app", now)
                self._answer_create(user, parsed)
            headers = self._headers(window, user, now, posting) if fault.headers else {}
            if fault.status == 429 and fault.headers:
                headers["x-rate-limit-remaining"] = "0"
            return JSONResponse(fault.body, status_code=fault.status, headers=headers)
        if window.spent(user.id, now) or (posting and self.app_posts.spent("app", now)):
            return JSONResponse(
                TOO_MANY, status_code=429, headers=self._headers(window, user, now, posting)
            )
        window.hit(user.id, now)
        if posting:
            self.app_posts.hit("app", now)
        status, body = answer(user, parsed)
        return JSONResponse(
            body, status_code=status, headers=self._headers(window, user, now, posting)
        )

    def _headers(self, window: Window, user: SimUser, now: float, posting: bool) -> dict[str, str]:
        headers = window.headers(user.id, now)
        if posting:
            headers |= self.app_posts.headers("app", now, prefix="x-app-limit-24hour-")
        return headers

    def _authenticated(self, request: Request) -> SimUser | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        user = self.users.get(token) if scheme == "Bearer" else None
        return user if user is not None and user.state == "active" else None

    def _answer_me(self, user: SimUser, _: dict[str, Any]) -> tuple[int, Any]:
        return 200, {
            "data": {"id": user.id, "name": user.username.title(), "username": user.username}
        }

    def _answer_timeline(self, request: dict[str, Any], user_id: str) -> tuple[int, Any]:
        query = request["query"]
        try:
            wanted = int(query.get("max_results", "10"))
        except ValueError:
            wanted = 0
        if not 5 <= wanted <= 100:
            return 400, invalid_request(
                f"The `max_results` query parameter value [{query.get('max_results')}] is not "
                "between 5 and 100",
                {"max_results": [str(query.get("max_results"))]},
            )
        excluded = set(filter(None, query.get("exclude", "").split(",")))
        fields = set(filter(None, query.get("tweet.fields", "").split(",")))
        posts = [
            p
            for p in reversed(self.posts)
            if p.author_id == user_id
            and not (p.reply and "replies" in excluded)
            and not (p.repost and "retweets" in excluded)
        ][:wanted]
        if not posts:
            return 200, {"meta": {"result_count": 0}}
        return 200, {
            "data": [p.entity(fields) for p in posts],
            "meta": {
                "result_count": len(posts),
                "newest_id": posts[0].id,
                "oldest_id": posts[-1].id,
            },
        }

    def _answer_create(self, user: SimUser, request: dict[str, Any]) -> tuple[int, Any]:
        body = request["json"]
        if not isinstance(body, dict):
            return 400, invalid_request("The request body is not valid JSON")
        text = body.get("text")
        media = body.get("media") or {}
        media_ids = media.get("media_ids") if isinstance(media, dict) else None
        media_ids = [str(m) for m in media_ids] if isinstance(media_ids, list) else []
        if not text and not media_ids:
            return 400, invalid_request("Please include either text or media in your Tweet.")
        text = str(text or "")
        if x_length(text) > MAX_WEIGHTED_LENGTH:
            return 400, invalid_request(TOO_LONG)
        if len(media_ids) > MAX_IMAGES or any(
            m not in self.media or self.media[m].owner_id != user.id for m in media_ids
        ):
            return 400, invalid_request(INVALID_MEDIA, {"media.media_ids": media_ids})
        if text and any(p.text == text for p in self.posts_of(user)):
            return 403, forbidden(DUPLICATE)
        post = self._make_post(user, text, media_ids)
        return 201, {"data": {"id": post.id, "text": post.shown}}

    def _answer_upload(self, user: SimUser, request: dict[str, Any]) -> tuple[int, Any]:
        body = request["json"]
        if not isinstance(body, dict) or not body.get("media"):
            return 400, invalid_request("The `media` field is required")
        if body.get("media_category") not in ("tweet_image", "dm_image", "subtitles"):
            return 400, invalid_request(
                "The `media_category` field must be one of tweet_image, dm_image, subtitles"
            )
        media_type = str(body.get("media_type") or "")
        if media_type not in ONE_SHOT_TYPES:
            return 400, invalid_request(f"The media type [{media_type}] is not supported")
        try:
            data = base64.b64decode(str(body["media"]), validate=True)
        except (binascii.Error, ValueError):
            return 400, invalid_request("The `media` field is not base64")
        if len(data) > MAX_IMAGE_BYTES:
            return 400, invalid_request("File size exceeds 5242880 bytes.")
        media = SimMedia(str(next(self._ids)), user.id, media_type, data)
        self.media[media.id] = media
        return 200, {
            "data": {
                "id": media.id,
                "media_key": f"3_{media.id}",
                "size": len(data),
                "expires_after_secs": DAY,
            }
        }

    def _answer_metadata(self, user: SimUser, request: dict[str, Any]) -> tuple[int, Any]:
        body = request["json"]
        media_id = str(body.get("id", "")) if isinstance(body, dict) else ""
        media = self.media.get(media_id)
        if media is None or media.owner_id != user.id:
            return 400, invalid_request(INVALID_MEDIA, {"id": [media_id]})
        metadata = body.get("metadata") if isinstance(body, dict) else None
        alt = metadata.get("alt_text") if isinstance(metadata, dict) else None
        text = alt.get("text") if isinstance(alt, dict) else None
        if not isinstance(text, str) or len(text) > MAX_ALT_TEXT:
            return 400, invalid_request("The alt text must be a string of at most 1000 characters")
        media.alt_text = text
        return 200, {"data": {"id": media.id, "associated_metadata": {"alt_text": {"text": text}}}}

    def _make_post(
        self, user: SimUser, text: str, media_ids: list[str], *, reply: bool = False
    ) -> SimPost:
        parts: list[str] = []
        urls: list[dict[str, Any]] = []
        last = 0
        for match in _URL.finditer(text):
            short = f"https://t.co/{next(self._short):010d}"
            parts.append(text[last : match.start()])
            start = sum(len(p) for p in parts)
            parts.append(short)
            last = match.end()
            urls.append(
                {
                    "start": start,
                    "end": start + len(short),
                    "url": short,
                    "expanded_url": match.group(),
                    "display_url": match.group().split("://", 1)[1][:26],
                }
            )
        shown = "".join(parts) + text[last:]
        post = SimPost(str(next(self._ids)), user.id, text, shown, urls, media_ids, reply)
        self.posts.append(post)
        return post


async def _request_of(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body: Any = json.loads(raw) if raw else None
    except ValueError:
        body = None
    return {"json": body, "query": dict(request.query_params)}


def _generic(status: int) -> dict[str, Any]:
    if status == 429:
        return TOO_MANY
    titles = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
    title = titles.get(status, "Error")
    return {"title": title, "detail": title, "type": "about:blank", "status": status}
