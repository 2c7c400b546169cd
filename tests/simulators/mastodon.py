"""A Mastodon instance for connector tests: the REST API as documented at
docs.joinmastodon.org (methods/accounts, methods/statuses, methods/media,
api/rate-limits) and, where the documentation is silent, as Mastodon's own
source behaves (config/initializers/rack_attack.rb, RateLimiter,
RateLimitHeaders, PostStatusService). A test tool only.

What it implements:
* Bearer tokens: an unknown or revoked one gets 401 {"error": "The access
  token is invalid"}; a disabled login 403 "Your login is currently
  disabled"; a token without the scope 403 "This action is outside the
  authorized scopes".
* GET /api/v1/accounts/verify_credentials, GET /api/v1/accounts/:id/statuses
  (newest first, limit <= 40, exclude_reblogs), POST /api/v1/statuses (form
  or JSON; Idempotency-Key kept for an hour: the same key answers the
  status made the first time; 500 characters with every URL counted as 23,
  else 422 "Validation failed: Text character limit of 500 exceeded"; at
  most 4 media, processed ones only), POST /api/v2/media (multipart `file`,
  `description`; 200 when ready, 202 with url null while processing) and
  GET /api/v1/media/:id (206 while processing, then 200 with a url).
* Rate limits in windows aligned to the epoch, as Rack::Attack counts them:
  300 requests per 5 minutes per token on every endpoint, 30 media uploads
  per 30 minutes per account, 300 statuses per 3 hours per account. Every
  answer carries X-RateLimit-Limit / -Remaining / -Reset (ISO 8601, µs) of
  the limit closest to being spent; past one, a 429 {"error": "Too many
  requests"} with Remaining 0.
* Faults: `respond_next` scripts the next answer to a route (a 5xx, a 429
  without headers; `after_write`: the status is made, then the error is
  answered), `exhaust` spends a token's window now (the real 429).
  Transport faults (no connection, a timeout after the write) come from
  harness.SimulatorTransport.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

IDEMPOTENCY_SECONDS = 3600  # "Idempotency keys are stored for up to 1 hour"
MAX_CHARACTERS = 500
URL_WEIGHT = 23  # every URL counts 23 characters, whatever its length
MAX_MEDIA = 4
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})
INVALID_TOKEN = "The access token is invalid"
OUTSIDE_SCOPES = "This action is outside the authorized scopes"
DISABLED = "Your login is currently disabled"
TOO_MANY = "Too many requests"
TOO_LONG = f"Validation failed: Text character limit of {MAX_CHARACTERS} exceeded"
BAD_FILE = "Validation failed: File content type is invalid, File is invalid"
NOT_READY = "Cannot attach files that have not finished processing. Try again in a moment!"
TOO_MANY_FILES = f"Cannot attach more than {MAX_MEDIA} files"
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


@dataclass
class Limit:
    """A Rack::Attack throttle: `limit` hits per `period` seconds, in
    windows aligned to the epoch (the key holds now // period)."""

    limit: int
    period: int
    counts: dict[tuple[str, int], int] = field(default_factory=dict)

    def window(self, now: float) -> int:
        return int(now // self.period)

    def count(self, key: str, now: float) -> int:
        return self.counts.get((key, self.window(now)), 0)

    def hit(self, key: str, now: float) -> int:
        slot = (key, self.window(now))
        self.counts[slot] = self.counts.get(slot, 0) + 1
        return self.counts[slot]

    def spend(self, key: str, now: float) -> None:
        self.counts[(key, self.window(now))] = self.limit

    def reset(self, now: float) -> str:
        moment = datetime.fromtimestamp((self.window(now) + 1) * self.period, UTC)
        return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")

    def headers(self, key: str, now: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - self.count(key, now))),
            "X-RateLimit-Reset": self.reset(now),
        }


@dataclass
class SimAccount:
    id: str
    username: str
    token: str
    scopes: frozenset[str]
    state: str = "active"  # "revoked": 401; "disabled": 403


# An endpoint: (the request, the token's account, the path's :id) -> (status, body).
Handler = Callable[[Request, SimAccount, str], Awaitable[tuple[int, Any]]]


@dataclass
class SimMedia:
    id: str
    account_id: str
    content_type: str
    file_name: str
    data: bytes
    description: str
    polls_left: int  # GETs answered 206 before it is processed

    def entity(self, host: str) -> dict[str, Any]:
        ready = self.polls_left <= 0
        base = f"https://files.{host}/media_attachments/{self.id}"
        return {
            "id": self.id,
            "type": "image",
            "url": f"{base}/original" if ready else None,
            "preview_url": f"{base}/small",
            "remote_url": None,
            "description": self.description or None,
        }


@dataclass
class Scripted:
    status: int
    body: Any
    headers: dict[str, str]
    after_write: bool


def _scopes(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _allows(granted: frozenset[str], *needed: str) -> bool:
    """`write` grants `write:statuses`, as Doorkeeper's scopes in Mastodon do."""
    return any(scope in granted or scope.split(":")[0] in granted for scope in needed)


def mastodon_length(text: str) -> int:
    total = len(text)
    for match in _URL.finditer(text):
        total += URL_WEIGHT - len(match.group())
    return total


def render_content(text: str) -> str:
    """The text as Mastodon's formatter renders it: paragraphs, <br>, links
    whose visible text is split into invisible and shown spans, entities."""

    def line(raw: str) -> str:
        out, last = [], 0
        for match in _URL.finditer(raw):
            url = match.group()
            scheme, _, rest = url.partition("://")
            out.append(html.escape(raw[last : match.start()]))
            out.append(
                f'<a href="{html.escape(url)}" rel="nofollow noopener" target="_blank">'
                f'<span class="invisible">{html.escape(scheme)}://</span>'
                f'<span class="ellipsis">{html.escape(rest[:30])}</span>'
                f'<span class="invisible">{html.escape(rest[30:])}</span></a>'
            )
            last = match.end()
        out.append(html.escape(raw[last:]))
        return "".join(out)

    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(
        "<p>" + "<br />".join(line(part) for part in p.split("\n")) + "</p>" for p in paragraphs
    )


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


class MastodonSimulator:
    def __init__(
        self,
        *,
        host: str = "mastodon.example",
        clock: Callable[[], float] = time.time,
        per_token: tuple[int, int] = (300, 5 * 60),
        media_uploads: tuple[int, int] = (30, 30 * 60),
        statuses: tuple[int, int] = (300, 3 * 3600),
    ) -> None:
        self.host = host
        self.clock = clock
        self.per_token = Limit(*per_token)
        self.media_limit = Limit(*media_uploads)
        self.statuses_limit = Limit(*statuses)
        self.accounts: dict[str, SimAccount] = {}  # by token
        self.statuses: list[dict[str, Any]] = []  # every status made, oldest first
        self.media: dict[str, SimMedia] = {}
        self.idempotency: dict[tuple[str, str], tuple[str, float]] = {}
        self.media_processing_polls = 0  # uploads answer 202 and need this many polls
        self._scripted: dict[tuple[str, str], list[Scripted]] = {}
        self._sequence = 0
        # Each endpoint and the scopes that let a token call it (any one).
        self._endpoints: dict[str, tuple[Handler, tuple[str, ...]]] = {
            "GET /api/v1/accounts/verify_credentials": (self._verify, ("read:accounts", "profile")),
            "GET /api/v1/accounts/:id/statuses": (self._account_statuses, ("read:statuses",)),
            "POST /api/v1/statuses": (self._create_status, ("write:statuses",)),
            "POST /api/v2/media": (self._upload_media, ("write:media",)),
            "GET /api/v1/media/:id": (self._get_media, ("write:media",)),
        }
        self.app = self._build()

    # -- what a test sets up -------------------------------------------------

    def add_account(self, username: str, token: str, scopes: str = "read write") -> SimAccount:
        account = SimAccount(str(110_000 + len(self.accounts)), username, token, _scopes(scopes))
        self.accounts[token] = account
        return account

    def revoke(self, token: str) -> None:
        self.accounts[token].state = "revoked"

    def disable(self, token: str) -> None:
        self.accounts[token].state = "disabled"

    def respond_next(
        self,
        method: str,
        path: str,
        status: int,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        after_write: bool = False,
    ) -> None:
        """The next request to `method path` (a route's path, `:id` as
        written in the docs) is answered so; `after_write`: a status create
        is carried out first (the instance made it, then failed to say so)."""
        self._scripted.setdefault((method, path), []).append(
            Scripted(status, body, headers or {}, after_write)
        )

    def exhaust(self, token: str) -> None:
        """Spend the token's 5-minute window now: its next request is the real 429."""
        self.per_token.spend(token, self.clock())

    def statuses_of(self, account: SimAccount) -> list[dict[str, Any]]:
        return [s for s in self.statuses if s["account"]["id"] == account.id]

    def add_reblog(self, account: SimAccount, content: str) -> dict[str, Any]:
        """A boost by the account of someone else's status with `content`."""
        original = {"id": self._next_id(), "content": content, "account": {"id": "999"}}
        status = self._status(account, "", "public", None, [])
        status.update(content="", reblog=original)
        self.statuses.append(status)
        return status

    # -- the instance ----------------------------------------------------------

    def _next_id(self) -> str:
        # Mastodon's ids: milliseconds since the epoch, shifted, plus a sequence.
        self._sequence += 1
        return str((int(self.clock() * 1000) << 16) + self._sequence)

    def _account_entity(self, account: SimAccount) -> dict[str, Any]:
        return {
            "id": account.id,
            "username": account.username,
            "acct": account.username,
            "url": f"https://{self.host}/@{account.username}",
        }

    def _status(
        self,
        account: SimAccount,
        text: str,
        visibility: str,
        language: str | None,
        media: list[SimMedia],
    ) -> dict[str, Any]:
        status_id = self._next_id()
        return {
            "id": status_id,
            "created_at": datetime.fromtimestamp(self.clock(), UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "in_reply_to_id": None,
            "visibility": visibility,
            "language": language,
            "uri": f"https://{self.host}/users/{account.username}/statuses/{status_id}",
            "url": f"https://{self.host}/@{account.username}/{status_id}",
            "content": render_content(text),
            "reblog": None,
            "account": self._account_entity(account),
            "media_attachments": [m.entity(self.host) for m in media],
            "card": None,
        }

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.get("/api/v1/accounts/verify_credentials")
        async def verify_credentials(request: Request) -> Response:
            return await self._serve(request, "GET /api/v1/accounts/verify_credentials")

        @app.get("/api/v1/accounts/{account_id}/statuses")
        async def account_statuses(request: Request, account_id: str) -> Response:
            return await self._serve(request, "GET /api/v1/accounts/:id/statuses", account_id)

        @app.post("/api/v1/statuses")
        async def create_status(request: Request) -> Response:
            return await self._serve(request, "POST /api/v1/statuses")

        @app.post("/api/v2/media")
        async def upload_media(request: Request) -> Response:
            return await self._serve(request, "POST /api/v2/media")

        @app.get("/api/v1/media/{media_id}")
        async def get_media(request: Request, media_id: str) -> Response:
            return await self._serve(request, "GET /api/v1/media/:id", media_id)

        return app

    async def _serve(self, request: Request, route: str, argument: str = "") -> Response:
        """Throttles first (Rack::Attack runs before the app), then a
        scripted answer, then authentication and the endpoint."""
        now = self.clock()
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else ""
        account = self.accounts.get(token)
        limits: list[tuple[Limit, str]] = [(self.per_token, token or "anonymous")]
        if route == "POST /api/v2/media" and account is not None:
            limits.append((self.media_limit, account.id))
        if route == "POST /api/v1/statuses" and account is not None:
            # RateLimiter's statuses family: counted when a status is made.
            limits.append((self.statuses_limit, account.id))
        for limit, key in limits:
            if limit is self.statuses_limit:
                continue
            if limit.hit(key, now) > limit.limit:
                return self._json(429, {"error": TOO_MANY}, limit.headers(key, now))

        def headers() -> dict[str, str]:
            # The limit closest to being spent (RateLimitHeaders#api_throttle_data).
            return min(
                (limit.headers(key, now) for limit, key in limits),
                key=lambda h: int(h["X-RateLimit-Remaining"]),
            )

        method, path = route.split(" ", 1)
        queue = self._scripted.get((method, path))
        scripted = queue.pop(0) if queue else None
        if scripted is not None and not scripted.after_write:
            return self._json(scripted.status, scripted.body, scripted.headers)

        if account is None or account.state == "revoked":
            return self._json(401, {"error": INVALID_TOKEN}, headers())
        if account.state == "disabled":
            return self._json(403, {"error": DISABLED}, headers())
        handler, needed = self._endpoints[route]
        if not _allows(account.scopes, *needed):
            return self._json(403, {"error": OUTSIDE_SCOPES}, headers())
        status, body = await handler(request, account, argument)
        if scripted is not None:
            return self._json(scripted.status, scripted.body, scripted.headers)
        return self._json(status, body, headers())

    @staticmethod
    def _json(status: int, body: Any, headers: dict[str, str]) -> Response:
        if body is None:
            return Response(status_code=status, headers=headers)
        return JSONResponse(body, status_code=status, headers=headers)

    async def _verify(self, request: Request, account: SimAccount, _: str) -> tuple[int, Any]:
        return 200, self._account_entity(account)

    async def _account_statuses(
        self, request: Request, account: SimAccount, account_id: str
    ) -> tuple[int, Any]:
        if account_id not in {a.id for a in self.accounts.values()}:
            return 404, {"error": "Record not found"}
        limit = min(int(request.query_params.get("limit", "20")), 40)
        exclude_reblogs = request.query_params.get("exclude_reblogs") in ("true", "1")
        found = [
            s
            for s in reversed(self.statuses)
            if s["account"]["id"] == account_id and not (exclude_reblogs and s["reblog"])
        ]
        return 200, found[:limit]

    async def _create_status(
        self, request: Request, account: SimAccount, _: str
    ) -> tuple[int, Any]:
        now = self.clock()
        key = request.headers.get("idempotency-key")
        if key:
            kept = self.idempotency.get((account.id, key))
            if kept is not None and now - kept[1] < IDEMPOTENCY_SECONDS:
                return 200, next(s for s in self.statuses if s["id"] == kept[0])
        fields = await _fields(request)
        text = (fields.get("status") or [""])[0]
        media_ids = fields.get("media_ids[]") or fields.get("media_ids") or []
        if len(media_ids) > MAX_MEDIA:
            return 422, {"error": TOO_MANY_FILES}
        media = [
            self.media[i]
            for i in media_ids
            if i in self.media and self.media[i].account_id == account.id
        ]
        if any(m.polls_left > 0 for m in media):
            return 422, {"error": NOT_READY}
        if not text.strip() and not media:
            return 422, {"error": "Validation failed: Text can't be blank"}
        if mastodon_length(text) > MAX_CHARACTERS:
            return 422, {"error": TOO_LONG}
        if self.statuses_limit.hit(account.id, now) > self.statuses_limit.limit:
            return 429, {"error": TOO_MANY}
        visibility = (fields.get("visibility") or ["public"])[0]
        language = (fields.get("language") or [""])[0] or None
        status = self._status(account, text, visibility, language, media)
        self.statuses.append(status)
        if key:
            self.idempotency[(account.id, key)] = (status["id"], now)
        return 200, status

    async def _upload_media(self, request: Request, account: SimAccount, _: str) -> tuple[int, Any]:
        parts = multipart_parts(request.headers.get("content-type", ""), await request.body())
        file = parts.get("file")
        if file is None:
            return 422, {"error": "Validation failed: File can't be blank"}
        content_type = file.get_content_type()
        if content_type not in IMAGE_TYPES:
            return 422, {"error": BAD_FILE}
        described = parts.get("description")
        payload = file.get_payload(decode=True)
        media = SimMedia(
            id=self._next_id(),
            account_id=account.id,
            content_type=content_type,
            file_name=file.get_filename() or "",
            data=payload if isinstance(payload, bytes) else b"",
            description=_text_of(described) if described is not None else "",
            polls_left=self.media_processing_polls,
        )
        self.media[media.id] = media
        return (200 if media.polls_left <= 0 else 202), media.entity(self.host)

    async def _get_media(
        self, request: Request, account: SimAccount, media_id: str
    ) -> tuple[int, Any]:
        media = self.media.get(media_id)
        if media is None or media.account_id != account.id:
            return 404, {"error": "Record not found"}
        if media.polls_left > 0:
            media.polls_left -= 1
            return 206, media.entity(self.host) | {"url": None}
        return 200, media.entity(self.host)


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True)
    return payload.decode() if isinstance(payload, bytes) else str(part.get_payload())


async def _fields(request: Request) -> dict[str, list[str]]:
    """A status's parameters: form-encoded (as documented) or JSON."""
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        data = json.loads(body or b"{}")
        return {
            key: [str(v) for v in value] if isinstance(value, list) else [str(value)]
            for key, value in data.items()
        }
    return parse_qs(body.decode(), keep_blank_values=True)
