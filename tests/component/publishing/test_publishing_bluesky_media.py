"""Images and link cards on the real local Bluesky PDS: each image uploaded
as a blob and embedded with its alt text and aspect ratio (the record read
back names the blob the PDS serves with the same bytes), a link share's
external card with its thumbnail, and what the lexicon refuses (too many or
too large images) refused before anything is uploaded."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from chorus_testing.identity import everything
from chorus_testing.images import png
from publishing_service.adapters.bluesky import BlueskyConnector
from publishing_service.app.accounts import ConnectRequest
from publishing_service.app.ports import (
    AccountCredentials,
    LinkCard,
    MediaItem,
    PostDraft,
    RejectedByNetwork,
    Rejection,
)
from publishing_service.domain.post_text import compose
from publishing_service.entrypoints.kafka_handlers import share_due_handler

if TYPE_CHECKING:
    from tests.component.publishing.conftest import (
        PdsAccount,
        PublishingDatabase,
        PublishingKit,
        StackFactory,
    )

pytestmark = pytest.mark.infra  # the local PDS and Redis (sessions, budgets)
NewAccount = Callable[[], Awaitable["PdsAccount"]]
SHORT = "https://go.chorus.test/l/abc123"


def image(width: int, height: int, alt: str, padding: int = 0) -> MediaItem:
    data = png(width, height, padding=padding)
    return MediaItem(
        media_id=uuid.uuid4().hex,
        content_type="image/png",
        data=data,
        alt_text=alt,
        width=width,
        height=height,
    )


def draft(
    *, media: tuple[MediaItem, ...] = (), card: LinkCard | None = None, link: str = ""
) -> PostDraft:
    composed = compose("Our new plant is open", link, SHORT if link else "")
    return PostDraft(
        share_id=str(uuid.uuid4()),
        text=composed.text,
        link=composed.link,
        language="en",
        created_at=datetime.now(UTC),
        media=media,
        card=card,
    )


async def connected(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    client: httpx.AsyncClient | None = None,
) -> tuple[BlueskyConnector, AccountCredentials, PdsAccount]:
    stack = publishing_stack(await publishing_database(), client=client)
    account = await new_pds_account()
    credentials = AccountCredentials(uuid.uuid4().hex, account.handle, account.password)
    return stack.connector, credentials, account


async def record_of(pds_url: str, uri: str) -> dict[str, Any]:
    did, collection, rkey = uri.removeprefix("at://").split("/")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{pds_url}/xrpc/com.atproto.repo.getRecord",
            params={"repo": did, "collection": collection, "rkey": rkey},
        )
    response.raise_for_status()
    return dict(response.json()["value"])


async def blob(pds_url: str, did: str, cid: str) -> bytes:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{pds_url}/xrpc/com.atproto.sync.getBlob", params={"did": did, "cid": cid}
        )
    response.raise_for_status()
    return response.content


async def test_images_are_uploaded_as_blobs_and_embedded_with_alt_text(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    pds_url: str,
) -> None:
    bluesky, credentials, account = await connected(
        publishing_database, publishing_stack, new_pds_account
    )
    media = (image(4, 3, "The plant from the air"), image(2, 5, "The opening ribbon"))
    card = LinkCard(SHORT, "New plant", "We opened our new plant.", thumbnail=media[0])
    post = await bluesky.publish(
        credentials, draft(media=media, card=card, link="https://example.com/plant")
    )

    record = await record_of(pds_url, post.uri)
    embed = record["embed"]
    # One embed per post: the images, the link staying a facet of the text.
    assert embed["$type"] == "app.bsky.embed.images"
    assert [(i["alt"], i["aspectRatio"]) for i in embed["images"]] == [
        ("The plant from the air", {"width": 4, "height": 3}),
        ("The opening ribbon", {"width": 2, "height": 5}),
    ]
    for item, embedded in zip(media, embed["images"], strict=True):
        assert embedded["image"]["mimeType"] == "image/png"
        assert embedded["image"]["size"] == len(item.data)
        assert await blob(pds_url, account.did, embedded["image"]["ref"]["$link"]) == item.data
    assert record["facets"][0]["features"][0]["uri"] == SHORT


async def test_a_link_share_without_images_has_the_link_card(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    pds_url: str,
) -> None:
    bluesky, credentials, account = await connected(
        publishing_database, publishing_stack, new_pds_account
    )
    plain = LinkCard(SHORT, "New plant", "We opened our new plant in Valencia.")
    post = await bluesky.publish(credentials, draft(card=plain, link="https://example.com/plant"))
    assert (await record_of(pds_url, post.uri))["embed"] == {
        "$type": "app.bsky.embed.external",
        "external": {
            "uri": SHORT,
            "title": "New plant",
            "description": "We opened our new plant in Valencia.",
        },
    }

    thumbnail = image(6, 4, "")
    pictured = LinkCard(SHORT, "New plant", "", thumbnail=thumbnail)
    post = await bluesky.publish(
        credentials, draft(card=pictured, link="https://example.com/plant")
    )
    external = (await record_of(pds_url, post.uri))["embed"]["external"]
    assert (external["uri"], external["title"], external["description"]) == (
        SHORT,
        "New plant",
        "",
    )
    assert await blob(pds_url, account.did, external["thumb"]["ref"]["$link"]) == thumbnail.data


async def test_an_image_over_the_limit_is_refused_before_anything_is_sent(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    pds_url: str,
) -> None:
    sent: list[str] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request.url.path.rsplit("/", 1)[-1])

    client = httpx.AsyncClient(timeout=10, event_hooks={"request": [record]})
    bluesky, credentials, account = await connected(
        publishing_database, publishing_stack, new_pds_account, client
    )
    large = image(4, 3, "Too big", padding=1_000_001)
    with pytest.raises(RejectedByNetwork) as refused:
        await bluesky.publish(credentials, draft(media=(image(2, 2, "fine"), large)))
    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert refused.value.reason.startswith("image too large")
    assert large.media_id in refused.value.reason

    five = tuple(image(2, 2, f"image {i}") for i in range(5))
    with pytest.raises(RejectedByNetwork) as refused:
        await bluesky.publish(credentials, draft(media=five))
    assert refused.value.kind is Rejection.MEDIA_REFUSED and "at most 4" in refused.value.reason

    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{pds_url}/xrpc/com.atproto.repo.listRecords",
            params={"repo": account.did, "collection": "app.bsky.feed.post"},
        )
    assert response.json()["records"] == []
    assert sent == []  # no session, no blob: nothing paid for, nothing uploaded


async def test_a_due_link_share_is_posted_with_its_card_on_the_tracked_link(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    pds_url: str,
    kit: PublishingKit,
) -> None:
    """ShareDue's title and description make the card; its link is the
    share's tracked link (a click on the card counts), as in the text."""
    db = await publishing_database()
    stack = publishing_stack(db)
    account = await new_pds_account()
    owner = everything("t1", employee_id="e1")
    await stack.accounts.connect_account(
        owner, ConnectRequest("t1", "e1", "bluesky", account.handle, account.password)
    )
    event = kit.share_due("t1", "e1")
    event.title, event.description = "Nueva planta", "Abrimos nuestra nueva planta."
    await share_due_handler(stack.publisher)(event, kit.context(db, event, "t1"))

    (post,) = await kit.list_posts(pds_url, account.did)
    status = await stack.queries.get_publish_status(owner, "t1", event.share_id)
    tracked = f"https://l.chorus.test/l/{status.link_code}"
    value = post["value"]
    assert isinstance(value, dict)
    assert value["embed"] == {
        "$type": "app.bsky.embed.external",
        "external": {
            "uri": tracked,
            "title": "Nueva planta",
            "description": "Abrimos nuestra nueva planta.",
        },
    }
