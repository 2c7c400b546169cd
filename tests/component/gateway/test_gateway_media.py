"""The media drive through the gateway over the real content server:
multipart and raw uploads streamed to UploadMedia, metadata, the bytes
streamed back, list and tags, the media body limit, retries, tenants and
roles."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee


def png(width: int = 3, height: int = 2, extra: bytes = b"") -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"c\x00" + extra)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


async def upload(gw: Gateway, content: bytes, token: str | None = None, **kw: Any) -> Any:
    return await gw.client.post(
        "/v1/media",
        files={"file": ("plant.png", content, "image/png")},
        data={"tags": ["plant", "Launch"], "description": "The new plant"},
        headers=gw.headers(token, **kw),
    )


async def test_upload_read_download_list_and_tag(gw: Gateway) -> None:
    # Bigger than one 64 KiB chunk, so the upload and the download both stream.
    content = png(extra=bytes(range(256)) * 1000)
    made = await upload(gw, content)
    assert made.status_code == 201, made.text
    asset = made.json()
    assert asset["content_type"] == "image/png" and asset["size"] == len(content)
    assert (asset["width"], asset["height"]) == (3, 2)
    assert asset["tags"] == ["launch", "plant"] and asset["filename"] == "plant.png"
    assert made.headers["location"] == f"/v1/media/{asset['media_id']}"
    url = f"/v1/media/{asset['media_id']}"
    shown = await gw.client.get(url, headers=gw.headers(key=None))
    assert shown.json() == asset
    got = await gw.client.get(f"{url}/content", headers=gw.headers(key=None))
    assert got.status_code == 200 and got.content == content
    assert got.headers["content-type"] == "image/png"
    assert got.headers["content-disposition"].startswith("attachment")
    raw = await gw.client.post(
        "/v1/media",
        params={"filename": "raw.png", "tags": ["raw"]},
        content=png(5, 5),
        headers=gw.headers(**{"Content-Type": "application/octet-stream"}),
    )
    assert raw.status_code == 201, raw.text
    assert raw.json()["filename"] == "raw.png" and raw.json()["width"] == 5
    tagged = await gw.client.put(f"{url}/tags", json={"tags": ["raw"]}, headers=gw.headers())
    assert tagged.status_code == 200 and tagged.json()["tags"] == ["raw"]
    listed = await gw.client.get(
        "/v1/media", params={"tag": "raw", "limit": 1}, headers=gw.headers(key=None)
    )
    assert len(listed.json()["items"]) == 1 and listed.json()["next"] is not None
    following = await gw.client.get(listed.json()["next"], headers=gw.headers(key=None))
    ids = {listed.json()["items"][0]["media_id"], following.json()["items"][0]["media_id"]}
    assert ids == {asset["media_id"], raw.json()["media_id"]}


async def test_bad_uploads_name_the_field(gw: Gateway) -> None:
    no_file = await gw.client.post(
        "/v1/media",
        data={"description": "nothing"},
        files={"other": ("x", b"1")},
        headers=gw.headers(),
    )
    assert no_file.status_code == 400
    assert no_file.json()["errors"][0]["field"] == "body.other"
    only_fields = await gw.client.post(
        "/v1/media",
        content=b'--b\r\nContent-Disposition: form-data; name="tags"\r\n\r\nx\r\n--b--\r\n',
        headers=gw.headers(**{"Content-Type": "multipart/form-data; boundary=b"}),
    )
    assert only_fields.status_code == 400
    assert only_fields.json()["errors"] == [{"field": "body.file", "reason": "required"}]
    too_many = await gw.client.put(
        "/v1/media/m1/tags", json={"tags": ["t"] * 31}, headers=gw.headers()
    )
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "body.tags"


async def test_the_media_routes_have_their_own_body_limit(gateway_factory: Any) -> None:
    gw = await gateway_factory(gateway_max_body_bytes=1000, gateway_media_max_body_bytes=200_000)
    made = await upload(gw, png(extra=b"x" * 50_000))
    assert made.status_code == 201, made.text  # over the default limit, under the media one
    huge = await upload(gw, png(extra=b"x" * 300_000))
    assert huge.status_code == 413


def multipart(content: bytes) -> tuple[bytes, str]:
    """A fixed multipart body (a retry sends the very same bytes)."""
    body = (
        b'--b0\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + content + b"\r\n--b0--\r\n"
    )
    return body, "multipart/form-data; boundary=b0"


async def test_a_retry_is_the_first_upload(gw: Gateway) -> None:
    body, kind = multipart(png())
    headers = gw.headers(key="up-1", **{"Content-Type": kind})
    first = await gw.client.post("/v1/media", content=body, headers=headers)
    assert first.status_code == 201, first.text
    again = await gw.client.post("/v1/media", content=body, headers=headers)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    other = await upload(gw, png(4, 4), key="up-1")
    assert other.status_code == 422


async def test_other_tenants_and_roles_are_refused(gw: Gateway) -> None:
    asset = (await upload(gw, png())).json()
    url = f"/v1/media/{asset['media_id']}"
    eve = gw.idp.token("eve", "globex", roles=("tenant_admin",))
    for answer in (
        await gw.client.get(url, headers=gw.headers(eve, key=None)),
        await gw.client.get(f"{url}/content", headers=gw.headers(eve, key=None)),
        await gw.client.put(f"{url}/tags", json={"tags": ["mine"]}, headers=gw.headers(eve)),
    ):
        assert answer.status_code == 404 and "plant" not in answer.text
    listed = await gw.client.get("/v1/media", headers=gw.headers(eve, key=None))
    assert listed.json()["items"] == []
    ana, _ = await employee(gw, "E1")
    assert (await upload(gw, png(6, 6), ana)).status_code == 403
    assert (await gw.client.get(url, headers=gw.headers(ana, key=None))).status_code == 403
    shown = await gw.client.get(url, headers=gw.headers(key=None))
    assert shown.json()["tags"] == ["launch", "plant"]
