"""A LinkedIn simulator: the requests publishing's LinkedIn connector makes,
answered as LinkedIn's documentation (and the answers it is known to give)
says. A test tool only.

  * GET /v2/userinfo (OpenID Connect): {"sub": ...};
  * POST /rest/images?action=initializeUpload -> value.uploadUrl + value.image,
    then PUT of the bytes to the upload URL (www.linkedin.com/dms-uploads/...)
    -> 201; JPG, PNG and GIF only (read from the bytes);
  * POST /rest/posts -> 201 with the post's URN in x-restli-id and an empty
    body; the commentary is "little" text: an unescaped reserved character
    ends the text there (what LinkedIn does: the post is cut, silently);
    over 3,000 characters -> 400 "ShareCommentary text length ..."; the same
    text twice -> 422 DUPLICATE_POST; an image not uploaded -> 400;
  * GET /rest/posts?q=author&author={urn}&count=N&sortBy=LAST_MODIFIED -> the
    member's posts, newest first;
  * every /rest call needs `LinkedIn-Version: YYYYMM` and
    `X-Restli-Protocol-Version: 2.0.0`, every call a Bearer token: an expired
    or revoked one gets LinkedIn's 401 bodies;
  * limits: posts counted per member and per application per UTC day
    (150 and 100,000, the last documented share limits; set them low in a
    test), a 429 beyond, with no rate-limit headers at all, as LinkedIn's;
  * faults: `fail_next(method, path, status)` answers the next matching
    request so (a 5xx, a 429 now) without doing anything.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

MAX_COMMENTARY = 3000
RESERVED = frozenset("\\|{}@[]()<>#*_~")
UPLOAD_HOST = "https://www.linkedin.com"
BAD_REQUEST = "com.linkedin.content.common.exception.BadRequestResponseException"
THROTTLED = "Resource level throttle limit for calls to this resource is reached."

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


def render_little(commentary: str) -> str:
    """What a member sees of a little commentary: escapes removed, a
    hashtag ('#' and a word) kept, and the text cut at the first other
    unescaped reserved character (LinkedIn publishes the post truncated)."""
    out: list[str] = []
    i = 0
    while i < len(commentary):
        c = commentary[i]
        if c == "\\" and i + 1 < len(commentary) and commentary[i + 1] in RESERVED:
            out.append(commentary[i + 1])
            i += 2
            continue
        if c == "#" and i + 1 < len(commentary) and commentary[i + 1].isalnum():
            out.append(c)
        elif c in RESERVED:
            break
        else:
            out.append(c)
        i += 1
    return "".join(out)


@dataclass
class Member:
    sub: str
    state: str = "valid"  # valid, expired, revoked

    @property
    def urn(self) -> str:
        return f"urn:li:person:{self.sub}"


@dataclass
class StoredPost:
    urn: str
    author: str
    commentary: str  # as sent: little text
    body: dict[str, Any]
    created_at: datetime

    @property
    def text(self) -> str:
        return render_little(self.commentary)


@dataclass
class StoredImage:
    urn: str
    owner: str
    upload_key: str
    data: bytes | None = None


@dataclass
class _Scripted:
    method: str
    path: str
    status: int
    body: dict[str, Any] | None
    headers: dict[str, str] = field(default_factory=dict)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"status": status, "message": message, **extra}, status_code=status)


def _input_error(
    status: int, message: str, code: str, field_path: str, value: str, description: str
) -> JSONResponse:
    """LinkedIn's validation error: inputErrors echo the offending value."""
    return JSONResponse(
        {
            "errorDetailType": "com.linkedin.common.error.BadRequest",
            "message": f"{BAD_REQUEST}: {message}",
            "errorDetails": {
                "inputErrors": [
                    {
                        "description": description,
                        "input": {
                            "inputPath": {"fieldPath": field_path},
                            "value": {"stringValue": value},
                        },
                        "code": code,
                    }
                ]
            },
            "status": status,
        },
        status_code=status,
    )


class LinkedInSimulator:
    def __init__(
        self,
        *,
        member_posts_per_day: int = 150,
        app_posts_per_day: int = 100_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.member_posts_per_day = member_posts_per_day
        self.app_posts_per_day = app_posts_per_day
        self.clock = clock
        self.members: dict[str, Member] = {}  # access token -> member
        self.posts: list[StoredPost] = []
        self.images: dict[str, StoredImage] = {}
        # (member urn or "app", UTC day) -> posts created that day
        self.daily_posts: Counter[tuple[str, date]] = Counter()
        # Without r_member_social the author finder answers 403.
        self.can_read_posts = True
        self._scripted: deque[_Scripted] = deque()
        self._ids = itertools.count(7_300_000_000_000_000_001)
        self.app = self._build()

    # -- what a test sets up ------------------------------------------------

    def add_member(self, token: str, sub: str) -> Member:
        member = Member(sub)
        self.members[token] = member
        return member

    def expire(self, token: str) -> None:
        self.members[token].state = "expired"

    def revoke(self, token: str) -> None:
        self.members[token].state = "revoked"

    def fail_next(
        self,
        method: str,
        path: str,
        status: int,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """The next `method path` request is answered so, and does nothing."""
        self._scripted.append(_Scripted(method, path, status, body, headers or {}))

    def posts_of(self, urn: str) -> list[StoredPost]:
        return [p for p in self.posts if p.author == urn]

    # -- the API --------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _scripted_answer(self, request: Request) -> Response | None:
        for scripted in list(self._scripted):
            if scripted.method == request.method and scripted.path == request.url.path:
                self._scripted.remove(scripted)
                body = scripted.body or {"status": scripted.status, "message": "scripted"}
                return JSONResponse(body, status_code=scripted.status, headers=scripted.headers)
        return None

    def _member(self, request: Request) -> Member | Response:
        authorization = request.headers.get("authorization", "")
        if not authorization.startswith("Bearer "):
            return _error(
                401,
                "Empty oauth2_access_token",
                serviceErrorCode=65600,
                code="INVALID_ACCESS_TOKEN",
            )
        member = self.members.get(authorization.removeprefix("Bearer "))
        if member is None:
            return _error(
                401, "Invalid access token", serviceErrorCode=65600, code="INVALID_ACCESS_TOKEN"
            )
        if member.state == "expired":
            return _error(
                401,
                "The token used in the request has expired",
                serviceErrorCode=65602,
                code="EXPIRED_ACCESS_TOKEN",
            )
        if member.state == "revoked":
            return _error(
                401,
                "The token used in the request has been revoked by the user",
                serviceErrorCode=65601,
                code="REVOKED_ACCESS_TOKEN",
            )
        return member

    def _rest_member(self, request: Request) -> Member | Response:
        """A /rest call: versioned, Rest.li 2.0, and authenticated."""
        version = request.headers.get("linkedin-version")
        if not version:
            return _error(
                400,
                "A version must be present. Please specify a version by adding the "
                "LinkedIn-Version header.",
                code="VERSION_MISSING",
            )
        if len(version) != 6 or not version.isdigit():
            return _error(400, f"Invalid version {version}", code="INVALID_VERSION")
        if request.headers.get("x-restli-protocol-version") != "2.0.0":
            return _error(400, "X-Restli-Protocol-Version 2.0.0 is required")
        return self._member(request)

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v2/userinfo")
        async def userinfo(request: Request) -> Response:
            if (scripted := self._scripted_answer(request)) is not None:
                return scripted
            member = self._member(request)
            if isinstance(member, Response):
                return member
            return JSONResponse({"sub": member.sub, "name": "Member " + member.sub})

        @app.post("/rest/images")
        async def initialize_upload(request: Request) -> Response:
            if (scripted := self._scripted_answer(request)) is not None:
                return scripted
            member = self._rest_member(request)
            if isinstance(member, Response):
                return member
            if request.query_params.get("action") != "initializeUpload":
                return _error(400, "Unsupported action")
            body = await request.json()
            owner = (body.get("initializeUploadRequest") or {}).get("owner")
            if owner != member.urn:
                return _error(
                    403, "Not enough permissions to upload for this owner", code="ACCESS_DENIED"
                )
            number = next(self._ids)
            image = StoredImage(f"urn:li:image:D4E10AQ{number}", owner, f"{number}")
            self.images[image.urn] = image
            expires = int((self.clock() + 86_400) * 1000)
            upload_url = f"{UPLOAD_HOST}/dms-uploads/sp/{image.upload_key}/uploaded-image/0"
            return JSONResponse(
                {
                    "value": {
                        "uploadUrlExpiresAt": expires,
                        "uploadUrl": upload_url,
                        "image": image.urn,
                    }
                }
            )

        @app.put("/dms-uploads/sp/{key}/uploaded-image/0")
        async def upload(key: str, request: Request) -> Response:
            if (scripted := self._scripted_answer(request)) is not None:
                return scripted
            member = self._member(request)
            if isinstance(member, Response):
                return member
            image = next((i for i in self.images.values() if i.upload_key == key), None)
            if image is None or image.owner != member.urn:
                return _error(404, "Upload not found")
            data = await request.body()
            if not data.startswith(IMAGE_MAGIC):
                return _error(400, "The uploaded file is not a JPG, PNG or GIF image")
            image.data = data
            return Response(status_code=201)

        @app.post("/rest/posts")
        async def create_post(request: Request) -> Response:
            if (scripted := self._scripted_answer(request)) is not None:
                return scripted
            member = self._rest_member(request)
            if isinstance(member, Response):
                return member
            body = await request.json()
            return self._create(member, body)

        @app.get("/rest/posts")
        async def posts_by_author(request: Request) -> Response:
            if (scripted := self._scripted_answer(request)) is not None:
                return scripted
            member = self._rest_member(request)
            if isinstance(member, Response):
                return member
            params = request.query_params
            if params.get("q") != "author":
                return _error(400, "Unsupported finder")
            # Rest.li 2.0: the URN arrives percent-encoded in the raw query.
            if f"author={quote(member.urn, safe='')}" not in request.url.query.split("&"):
                return _error(
                    403, "Not enough permissions to access this author", code="ACCESS_DENIED"
                )
            if not self.can_read_posts:
                return _error(
                    403,
                    "Not enough permissions to access: partnerApiPostsExternal.FINDER-author",
                    code="ACCESS_DENIED",
                )
            count = int(params.get("count", "10"))
            newest = list(reversed(self.posts_of(member.urn)))  # in creation order
            elements = [
                {
                    "id": p.urn,
                    "author": p.author,
                    "commentary": p.commentary,
                    "visibility": p.body.get("visibility"),
                    "lifecycleState": "PUBLISHED",
                    "createdAt": int(p.created_at.timestamp() * 1000),
                    "lastModifiedAt": int(p.created_at.timestamp() * 1000),
                }
                for p in newest[:count]
            ]
            return JSONResponse(
                {"elements": elements, "paging": {"start": 0, "count": count, "links": []}}
            )

        return app

    def _create(self, member: Member, body: dict[str, Any]) -> Response:
        for required in ("author", "commentary", "visibility", "distribution", "lifecycleState"):
            if required not in body:
                return _input_error(
                    400,
                    f"Missing field {required}",
                    "MISSING_FIELD",
                    f"/{required}",
                    "",
                    "Field is required",
                )
        if body["author"] != member.urn:
            return _error(
                403, "Not enough permissions to post as this author", code="ACCESS_DENIED"
            )
        commentary = str(body["commentary"])
        text = render_little(commentary)
        if len(text) > MAX_COMMENTARY:
            return _input_error(
                400,
                f"ShareCommentary text length ({len(text)} characters) exceeded the maximum "
                f"allowed ({MAX_COMMENTARY} characters)",
                "FIELD_ARRAY_SIZE_TOO_HIGH",
                "/commentary",
                commentary,
                "Size of array cannot be higher than the maxLength",
            )
        content = body.get("content") or {}
        media = [content["media"]] if "media" in content else []
        media += (content.get("multiImage") or {}).get("images") or []
        for index, item in enumerate(media):
            image = self.images.get(str(item.get("id")))
            if image is None or image.data is None or image.owner != member.urn:
                path = (
                    "/content/media/id"
                    if "media" in content
                    else f"/content/multiImage/images/{index}/id"
                )
                return _input_error(
                    400,
                    f"Invalid media {item.get('id')}",
                    "INVALID_VALUE_FOR_FIELD",
                    path,
                    str(item.get("id")),
                    "Invalid value for field",
                )
        for existing in self.posts_of(member.urn):
            if existing.text == text:
                return JSONResponse(
                    {
                        "errorDetailType": "com.linkedin.common.error.BadRequest",
                        "message": f"{BAD_REQUEST}: Content is a duplicate of {existing.urn}",
                        "errorDetails": {
                            "inputErrors": [
                                {
                                    "description": "Duplicate post is detected",
                                    "input": {},
                                    "code": "DUPLICATE_POST",
                                }
                            ]
                        },
                        "status": 422,
                    },
                    status_code=422,
                )
        day = self._now().date()
        if (
            self.daily_posts[(member.urn, day)] >= self.member_posts_per_day
            or self.daily_posts[("app", day)] >= self.app_posts_per_day
        ):
            return _error(429, THROTTLED)
        self.daily_posts[(member.urn, day)] += 1
        self.daily_posts[("app", day)] += 1
        urn = f"urn:li:share:{next(self._ids)}"
        self.posts.append(StoredPost(urn, member.urn, commentary, body, self._now()))
        return Response(status_code=201, headers={"x-restli-id": urn})
