"""The media drive (local disk store) and curated feeds (a real local HTTP
feed server; a private-address feed refused), against a real database."""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import TYPE_CHECKING

import pytest
from chorus.content.v1 import content_events_pb2 as events
from chorus_core.errors import InvalidArgument, PermissionDenied
from content_service.app.media import MediaHeader
from content_service.domain.posts import PostKind, PostStatus

from tests.component.content.principals import ADMIN, ALICE, BOB

if TYPE_CHECKING:
    from tests.component.content.conftest import ContentKit, ContentKitFactory

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Industry</title>
<item><title>Wind power record</title><link>https://news.example/wind</link><guid>w-1</guid>
<description>&lt;p&gt;Europe set a &lt;b&gt;record&lt;/b&gt;.&lt;/p&gt;</description></item>
<item><title>Solar prices fall</title><link>https://news.example/solar</link><guid>s-1</guid></item>
</channel></rss>"""


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x00" * width * 3 for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


async def chunks(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


def header(tags: tuple[str, ...] = ("Launch",), name: str = "plant.jpg") -> MediaHeader:
    return MediaHeader("t1", name, tags, "The new plant in Lyon")


def stored_files(kit: ContentKit) -> list[str]:
    root = kit.media_dir
    return sorted(p.name for p in root.rglob("*") if p.is_file())


async def test_media_upload_is_content_addressed_and_typed_by_content(
    content_kit: ContentKitFactory,
) -> None:
    kit = await content_kit()
    media = kit.services.media
    image = png(40, 30)
    first = await media.upload(ALICE, header(), chunks(image))  # named .jpg, detected as PNG
    assert (first.content_type, first.width, first.height, first.size) == (
        "image/png",
        40,
        30,
        len(image),
    )
    second = await media.upload(ALICE, header(("brand",), "copy.png"), chunks(image))
    assert second.media_id == first.media_id and second.tags == ("brand", "launch")
    assert stored_files(kit) == [first.media_id]  # stored once

    pdf = b"%PDF-1.7\n" + b"x" * 500
    doc = await media.upload(ALICE, header(("report",), "r.pdf"), chunks(pdf))
    assert doc.content_type == "application/pdf" and doc.uploader_id == "alice"
    by_tag, _ = await media.list(BOB, "t1", "launch", "", 10, "")
    assert [a.media_id for a in by_tag] == [first.media_id]
    by_text, _ = await media.list(BOB, "t1", "", "LYON", 10, "")
    assert {a.media_id for a in by_text} == {first.media_id, doc.media_id}
    assert (await media.tag(ALICE, "t1", doc.media_id, ["Annual"])).tags == ("annual",)

    with pytest.raises(InvalidArgument, match="unknown type"):
        await media.upload(ALICE, header(), chunks(b"MZ\x90\x00 not an image" * 10))
    with pytest.raises(InvalidArgument, match="limit"):
        await media.upload(ALICE, header(), chunks(b"%PDF-" + b"y" * (70 * 1024)))
    assert stored_files(kit) == sorted(
        [first.media_id, doc.media_id]
    )  # nothing partial left behind


class FeedHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(RSS)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()


async def test_feed_items_become_drafts_once(
    content_kit: ContentKitFactory, feed_server: str
) -> None:
    kit = await content_kit()
    feeds = kit.services.feeds
    feed = await feeds.subscribe(ALICE, "t1", feed_server, "industry", "en")
    # The local server is a loopback address: refused until the tenant allows it.
    with pytest.raises(PermissionDenied, match="non-public address"):
        await feeds.poll(ALICE, "t1", feed.feed_id)
    assert "non-public" in (await feeds.feeds(ALICE, "t1"))[0].last_error
    await feeds.set_allowed_hosts(ADMIN, "t1", ["127.0.0.1"])
    created = await feeds.poll(ALICE, "t1", feed.feed_id)
    assert len(created) == 2
    assert await feeds.poll(ALICE, "t1", feed.feed_id) == []  # items are imported once
    post = await kit.services.queries.get_post(BOB, "t1", created[0])
    assert (post.kind, post.status, post.campaign) == (
        PostKind.CURATED,
        PostStatus.DRAFT,
        "industry",
    )
    assert post.title == "Wind power record" and post.body == "Europe set a record ."
    assert post.author_id == "alice"  # the drafts go under the subscriber
    assert len(await kit.events(events.PostCreated)) == 2


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/feed",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8080/feed",
        "http://localhost/feed",
    ],
)
async def test_private_address_feeds_are_refused(content_kit: ContentKitFactory, url: str) -> None:
    kit = await content_kit()
    feed = await kit.services.feeds.subscribe(ALICE, "t1", url, "", "en")
    with pytest.raises(PermissionDenied):
        await asyncio.wait_for(kit.services.feeds.poll(ALICE, "t1", feed.feed_id), 15)


async def test_feed_url_must_be_http(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    for url in (
        "file:///etc/passwd",
        "gopher://x/",
        "ftp://example.com/feed",
        "http://user:pw@example.com/",
    ):
        with pytest.raises(InvalidArgument):
            await kit.services.feeds.subscribe(ALICE, "t1", url, "", "en")
