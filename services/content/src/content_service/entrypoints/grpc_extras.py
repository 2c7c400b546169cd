"""ContentService RPCs for UGC, held translations, feeds and the media drive
(mixed into the servicer in grpc_api). Decode -> use case -> encode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.errors import DomainError, InvalidArgument
from chorus_core.prototime import optional_timestamp, to_timestamp
from chorus_grpc.errors import rich_status
from chorus_identity.context import current_principal

from content_service.adapters.messages import post_to_pb, violation_to_pb
from content_service.app.calendar import CalendarUseCases
from content_service.app.campaigns import CampaignUseCases
from content_service.app.feeds import FeedUseCases
from content_service.app.media import MediaHeader, MediaUseCases
from content_service.app.queries import PostQueries
from content_service.app.records import Feed, MediaAsset
from content_service.app.reviews import ReviewUseCases
from content_service.app.ugc import UgcUseCases
from content_service.app.use_cases import ContentUseCases
from content_service.domain.charter import Violation
from content_service.domain.posts import Post

Ctx = grpc.aio.ServicerContext


@dataclass(frozen=True)
class Services:
    """The use cases the API serves (wired by content_service.composition)."""

    posts: ContentUseCases
    reviews: ReviewUseCases
    queries: PostQueries
    ugc: UgcUseCases
    feeds: FeedUseCases
    media: MediaUseCases
    campaigns: CampaignUseCases
    calendar: CalendarUseCases


def _proposal(post: Post, language: str, violations: list[Violation]) -> pb.Proposal:
    return pb.Proposal(
        post=post_to_pb(post),
        detected_language=language,
        violations=[violation_to_pb(v) for v in violations],
    )


def _feed(feed: Feed) -> pb.Feed:
    return pb.Feed(
        feed_id=feed.feed_id,
        url=feed.url,
        campaign=feed.campaign,
        source_language=feed.source_language,
        last_polled_at=optional_timestamp(feed.last_polled_at),
        last_error=feed.last_error,
        items_imported=feed.items_imported,
    )


def _asset(asset: MediaAsset) -> pb.MediaAsset:
    return pb.MediaAsset(
        media_id=asset.media_id,
        content_type=asset.content_type,
        size=asset.size,
        width=asset.width,
        height=asset.height,
        tags=asset.tags,
        filename=asset.filename,
        description=asset.description,
        uploader_id=asset.uploader_id,
        created_at=to_timestamp(asset.created_at),
    )


class ExtrasServicer:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def ListHeldTranslations(
        self, request: pb.ListHeldTranslationsRequest, context: Ctx
    ) -> pb.ListHeldTranslationsResponse:
        held = await self.services.queries.held_translations(
            current_principal(), request.tenant_id, request.post_id
        )
        return pb.ListHeldTranslationsResponse(
            held=[
                pb.HeldTranslation(
                    post_id=h.post_id,
                    post_version=h.post_version,
                    language=h.language,
                    violations=[violation_to_pb(v) for v in h.violations],
                    held_at=to_timestamp(h.held_at),
                )
                for h in held
            ]
        )

    async def ProposePost(
        self, request: pb.ProposePostRequest, context: Ctx
    ) -> pb.ProposePostResponse:
        post, language, violations = await self.services.ugc.propose(
            current_principal(),
            request.tenant_id,
            request.employee_id,
            request.title,
            request.body,
            request.link,
            dict(request.network_texts),
            request.request_id,
        )
        return pb.ProposePostResponse(proposal=_proposal(post, language, violations))

    async def ListModerationQueue(
        self, request: pb.ListModerationQueueRequest, context: Ctx
    ) -> pb.ListModerationQueueResponse:
        items, token = await self.services.ugc.queue(
            current_principal(), request.tenant_id, request.page_size, request.page_token
        )
        return pb.ListModerationQueueResponse(
            proposals=[_proposal(*i) for i in items], next_page_token=token
        )

    async def ModerateProposal(
        self, request: pb.ModerateProposalRequest, context: Ctx
    ) -> pb.ModerateProposalResponse:
        post = await self.services.ugc.moderate(
            current_principal(),
            request.tenant_id,
            request.post_id,
            request.approve,
            request.reason,
            request.request_id,
        )
        return pb.ModerateProposalResponse(post=post_to_pb(post))

    async def SubscribeFeed(
        self, request: pb.SubscribeFeedRequest, context: Ctx
    ) -> pb.SubscribeFeedResponse:
        feed = await self.services.feeds.subscribe(
            current_principal(),
            request.tenant_id,
            request.url,
            request.campaign,
            request.source_language,
            request.request_id,
        )
        return pb.SubscribeFeedResponse(feed=_feed(feed))

    async def ListFeeds(self, request: pb.ListFeedsRequest, context: Ctx) -> pb.ListFeedsResponse:
        feeds = await self.services.feeds.feeds(current_principal(), request.tenant_id)
        return pb.ListFeedsResponse(feeds=[_feed(r) for r in feeds])

    async def PollFeed(self, request: pb.PollFeedRequest, context: Ctx) -> pb.PollFeedResponse:
        created = await self.services.feeds.poll(
            current_principal(), request.tenant_id, request.feed_id
        )
        return pb.PollFeedResponse(created_post_ids=created)

    async def SetFeedAllowedHosts(
        self, request: pb.SetFeedAllowedHostsRequest, context: Ctx
    ) -> pb.SetFeedAllowedHostsResponse:
        hosts = await self.services.feeds.set_allowed_hosts(
            current_principal(), request.tenant_id, list(request.hosts), request.request_id
        )
        return pb.SetFeedAllowedHostsResponse(hosts=hosts)

    async def UploadMedia(
        self, request_iterator: AsyncIterator[pb.UploadMediaRequest], context: Ctx
    ) -> pb.UploadMediaResponse:
        first = await anext(aiter(request_iterator), None)
        if first is None or not first.HasField("header"):
            raise InvalidArgument("header", "the first message of an upload must be the header")
        h = first.header
        header = MediaHeader(h.tenant_id, h.filename, tuple(h.tags), h.description)

        async def chunks() -> AsyncIterator[bytes]:
            async for part in request_iterator:
                if not part.HasField("chunk"):
                    raise InvalidArgument("header", "only the first message may be a header")
                yield part.chunk

        return pb.UploadMediaResponse(
            asset=_asset(await self.services.media.upload(current_principal(), header, chunks()))
        )

    async def GetMedia(self, request: pb.GetMediaRequest, context: Ctx) -> pb.GetMediaResponse:
        return pb.GetMediaResponse(
            asset=_asset(
                await self.services.media.get(
                    current_principal(), request.tenant_id, request.media_id
                )
            )
        )

    async def ListMedia(self, request: pb.ListMediaRequest, context: Ctx) -> pb.ListMediaResponse:
        assets, token = await self.services.media.list(
            current_principal(),
            request.tenant_id,
            request.tag,
            request.query,
            request.page_size,
            request.page_token,
        )
        return pb.ListMediaResponse(assets=[_asset(a) for a in assets], next_page_token=token)

    async def DownloadMedia(
        self, request: pb.DownloadMediaRequest, context: Ctx
    ) -> AsyncIterator[pb.DownloadMediaResponse]:
        # chorus_grpc's error interceptor wraps unary responses only: a
        # server stream maps its domain errors itself.
        try:
            asset, chunks = await self.services.media.download(
                current_principal(), request.tenant_id, request.media_id
            )
        except DomainError as error:
            await context.abort_with_status(rich_status(error))
            return
        first = True
        async for chunk in chunks:
            yield (
                pb.DownloadMediaResponse(asset=_asset(asset), chunk=chunk)
                if first
                else pb.DownloadMediaResponse(chunk=chunk)
            )
            first = False
        if first:  # an empty file: the caller still gets the asset
            yield pb.DownloadMediaResponse(asset=_asset(asset))

    async def TagMedia(self, request: pb.TagMediaRequest, context: Ctx) -> pb.TagMediaResponse:
        asset = await self.services.media.tag(
            current_principal(),
            request.tenant_id,
            request.media_id,
            list(request.tags),
            request.request_id,
        )
        return pb.TagMediaResponse(asset=_asset(asset))
