"""A post's images, from content's media drive to the post on the real local
Bluesky server: the post's media ids travel with its texts (translation's
TranslationCompleted -> scheduling -> ShareDue, with the post's title and
first sentence for a link card), and publishing downloads each image from
content's real gRPC drive, with its alt text, and posts it as a blob."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import httpx
import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_testing.identity import IDENTITY, as_service
from chorus_testing.images import png
from chorus_testing.infra import required_env
from publishing_service.adapters.media_drive import GrpcMediaDrive
from publishing_service.app.ports import MediaItem, MediaRejected

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # the Bluesky PDS, Apertium and Redis
ALT = "The new plant seen from the river"


async def upload(tenant: str, data: bytes) -> AsyncIterator[pb.UploadMediaRequest]:
    yield pb.UploadMediaRequest(
        header=pb.MediaHeader(tenant_id=tenant, filename="plant.png", description=ALT)
    )
    yield pb.UploadMediaRequest(chunk=data)


@pytest.mark.contract("chorus.translation.v1.TranslationCompleted", "scheduling")
@pytest.mark.contract("chorus.scheduling.v1.ShareDue", "publishing")
async def test_a_posts_images_reach_the_network_with_their_alt_text(
    campaign: Campaign, platform: Platform
) -> None:
    content = await platform.content()
    image = png(8, 6)
    asset = (await content.stub.UploadMedia(upload(campaign.tenant, image))).asset
    did = await campaign.connect_bluesky("ben")
    post_id = await campaign.approve(pb.Targeting(countries=["GB"]), media_ids=[asset.media_id])
    [due] = await campaign.run(post_id)
    assert list(due.event.media_ids) == [asset.media_id]
    assert (due.event.title, due.event.description) == (
        "New plant",
        "We opened our new plant in Valencia.",
    )

    publishing = await platform.publishing()
    await platform.deliver([due], publishing)
    [published] = await platform.events(publishing, publishing_events.SharePublished)
    did_, collection, rkey = published.event.post_uri.removeprefix("at://").split("/")
    assert did_ == did
    pds = required_env("CHORUS_BLUESKY_PDS_URL").rstrip("/")
    async with httpx.AsyncClient(timeout=10) as client:
        record = (
            await client.get(
                f"{pds}/xrpc/com.atproto.repo.getRecord",
                params={"repo": did, "collection": collection, "rkey": rkey},
            )
        ).json()["value"]
        [embedded] = record["embed"]["images"]
        assert (embedded["alt"], embedded["aspectRatio"]) == (ALT, {"width": 8, "height": 6})
        served = await client.get(
            f"{pds}/xrpc/com.atproto.sync.getBlob",
            params={"did": did, "cid": embedded["image"]["ref"]["$link"]},
        )
    assert served.content == image


class CountingDrive(GrpcMediaDrive):
    """The real drive client, counting its DownloadMedia calls."""

    def __init__(self, address: str) -> None:
        super().__init__(address, IDENTITY.credentials(as_service("publishing")))
        self.downloads = 0

    async def download(self, tenant_id: str, media_id: str) -> MediaItem:
        self.downloads += 1
        return await super().download(tenant_id, media_id)


async def test_the_shares_of_a_campaign_download_its_image_once(platform: Platform) -> None:
    """Against content's real drive: sixteen shares in flight asking for one
    image at once, and more after them, make one download; another tenant
    asking for the same id gets content's own answer, not the cached bytes."""
    content = await platform.content()
    image = png(5, 4)
    asset = (await content.stub.UploadMedia(upload(platform.tenant, image))).asset
    drive = CountingDrive(content.address)
    try:
        at_once = await asyncio.gather(
            *(drive.fetch(platform.tenant, asset.media_id) for _ in range(16))
        )
        later = await drive.fetch(platform.tenant, asset.media_id)
        assert drive.downloads == 1
        assert {item.data for item in [*at_once, later]} == {image}
        assert later.alt_text == ALT
        with pytest.raises(MediaRejected):
            await drive.fetch(f"{platform.tenant}-other", asset.media_id)
        assert drive.downloads == 2
    finally:
        await drive.close()
