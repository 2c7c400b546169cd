"""`chorus media|feed ...`: the content service's media drive and curated
feeds (mounted through content_commands.content_apps)."""

from __future__ import annotations

import mimetypes
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import typer
from chorus.content.v1 import content_service_pb2 as content_pb
from rich.markup import escape

from chorus_cli.clients import Clients
from chorus_cli.common import TenantOption, console, run

media_app = typer.Typer(help="The media drive (content service)", no_args_is_help=True)
feed_app = typer.Typer(help="Curated content: RSS/Atom feeds", no_args_is_help=True)
CHUNK = 64 * 1024


def rid() -> str:
    return str(uuid.uuid4())


def _asset_line(a: content_pb.MediaAsset) -> str:
    size = f" {a.width}x{a.height}" if a.width else ""
    # The full id (media tag/download take it); escaped: "[tags]" is rich markup otherwise.
    return escape(
        f"{a.media_id}  {a.content_type:16}{size}  {a.size} B  {a.filename}  [{', '.join(a.tags)}]"
    )


@media_app.command("upload")
def media_upload(
    file: Path,
    tag: list[str] = typer.Option([]),
    description: str = "",
    tenant: str = TenantOption,
) -> None:
    async def parts() -> AsyncIterator[content_pb.UploadMediaRequest]:
        yield content_pb.UploadMediaRequest(
            header=content_pb.MediaHeader(
                tenant_id=tenant,
                filename=file.name,
                tags=tag,
                description=description,
            )
        )
        with file.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield content_pb.UploadMediaRequest(chunk=chunk)

    asset = run(lambda c: c.content.UploadMedia(parts())).asset
    guess = mimetypes.guess_type(file.name)[0]
    note = f" (named like {guess})" if guess and guess != asset.content_type else ""
    console.print(f"stored {asset.media_id} as {asset.content_type}{note}")


@media_app.command("list")
def media_list(
    tag: str = "", query: str = "", page_size: int = 50, tenant: str = TenantOption
) -> None:
    for a in run(
        lambda c: c.content.ListMedia(
            content_pb.ListMediaRequest(tenant_id=tenant, tag=tag, query=query, page_size=page_size)
        )
    ).assets:
        console.print(_asset_line(a))


@media_app.command("download")
def media_download(
    media_id: str, output: Path = typer.Option(..., "--output", "-o"), tenant: str = TenantOption
) -> None:
    """Write an asset's bytes to OUTPUT (streamed; nothing is written for an unknown id)."""

    async def fetch(c: Clients) -> content_pb.MediaAsset:
        asset = content_pb.MediaAsset()
        partial = output.with_name(output.name + ".part")
        try:
            with partial.open("wb") as handle:
                async for reply in c.content.DownloadMedia(
                    content_pb.DownloadMediaRequest(tenant_id=tenant, media_id=media_id)
                ):
                    if reply.HasField("asset"):
                        asset = reply.asset
                    handle.write(reply.chunk)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(output)
        return asset

    asset = run(fetch)
    console.print(f"wrote {asset.size} B ({asset.content_type}) to {output}")


@media_app.command("tag")
def media_tag(media_id: str, tag: list[str] = typer.Option([]), tenant: str = TenantOption) -> None:
    asset = run(
        lambda c: c.content.TagMedia(
            content_pb.TagMediaRequest(
                request_id=rid(), tenant_id=tenant, media_id=media_id, tags=tag
            )
        )
    ).asset
    console.print(_asset_line(asset))


@feed_app.command("subscribe")
def feed_subscribe(
    url: str,
    campaign: str = "",
    language: str = "en",
    tenant: str = TenantOption,
) -> None:
    feed = run(
        lambda c: c.content.SubscribeFeed(
            content_pb.SubscribeFeedRequest(
                request_id=rid(),
                tenant_id=tenant,
                url=url,
                campaign=campaign,
                source_language=language,
            )
        )
    ).feed
    console.print(f"subscribed: feed {feed.feed_id}")


@feed_app.command("list")
def feed_list(tenant: str = TenantOption) -> None:
    for f in run(
        lambda c: c.content.ListFeeds(content_pb.ListFeedsRequest(tenant_id=tenant))
    ).feeds:
        console.print(f"{f.feed_id}  {f.url}  imported {f.items_imported}  {f.last_error}")


@feed_app.command("poll")
def feed_poll(feed_id: str, tenant: str = TenantOption) -> None:
    created = run(
        lambda c: c.content.PollFeed(content_pb.PollFeedRequest(tenant_id=tenant, feed_id=feed_id))
    ).created_post_ids
    console.print(f"{len(created)} new draft(s): {' '.join(created)}")


@feed_app.command("allow")
def feed_allow(
    host: list[str] = typer.Option([], help="hosts allowed even on private addresses"),
    tenant: str = TenantOption,
) -> None:
    hosts = run(
        lambda c: c.content.SetFeedAllowedHosts(
            content_pb.SetFeedAllowedHostsRequest(request_id=rid(), tenant_id=tenant, hosts=host)
        )
    ).hosts
    console.print(f"allowed hosts: {', '.join(hosts) or '(none)'}")
