"""The service's use cases wired on its concrete adapters, in one place: main.py
builds them for the running service, the tests for a service on a test
database, so both run the same graph."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chorus_core.settings import DEFAULT_REGION
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_messaging.audit import OutboxAuditTrail

from content_service.adapters.events import OutboxPostEvents
from content_service.adapters.feed_fetcher import fetch_feed
from content_service.adapters.holidays import RegionHolidays, parse_region_countries
from content_service.adapters.language import detect_language
from content_service.adapters.peers import (
    GrpcCampaignMetrics,
    GrpcChannelDirectory,
    GrpcShareVolumes,
)
from content_service.adapters.stores import SqlStores
from content_service.app.calendar import CalendarUseCases
from content_service.app.campaigns import CampaignUseCases
from content_service.app.charters import CharterService
from content_service.app.erasure import EmployeeErasure
from content_service.app.expiry import ExpiryJob
from content_service.app.feeds import FeedUseCases
from content_service.app.media import DEFAULT_MAX_BYTES, MediaUseCases
from content_service.app.ports import MediaStore
from content_service.app.queries import PostQueries
from content_service.app.reviews import ReviewUseCases
from content_service.app.translations import TranslationCheck
from content_service.app.ugc import UgcUseCases
from content_service.app.use_cases import ContentUseCases
from content_service.entrypoints.grpc_extras import Services
from content_service.settings import DEFAULT_REGION_COUNTRIES, DEFAULT_REGIONS


@dataclass(frozen=True)
class Content:
    services: Services  # what the gRPC API serves
    translations: TranslationCheck  # the per-locale check of TranslationCompleted
    erasure: EmployeeErasure  # the effect of EmployeeErased
    expiry: ExpiryJob
    peers: tuple[GrpcChannelDirectory, GrpcCampaignMetrics, GrpcShareVolumes]  # closed on stop

    async def close(self) -> None:
        for peer in self.peers:
            await peer.close()


def build(
    db: Database,
    outbox: Outbox,
    media: MediaStore,
    *,
    media_max_bytes: int = DEFAULT_MAX_BYTES,
    expiry_tick_seconds: float = 30.0,
    region: str = DEFAULT_REGION,
    known_regions: frozenset[str] = frozenset(DEFAULT_REGIONS.split(",")),
    targeting_addr: str = "127.0.0.1:7002",
    metrics_addr: str = "127.0.0.1:7007",
    scheduling_addr: str = "127.0.0.1:7004",
    countries_by_region: Mapping[str, Sequence[str]] | None = None,
) -> Content:
    stores = SqlStores()
    # Called with each caller's own token; channels open on first use.
    channels = GrpcChannelDirectory(targeting_addr)
    metrics = GrpcCampaignMetrics(metrics_addr)
    volumes = GrpcShareVolumes(scheduling_addr)
    if countries_by_region is None:
        countries_by_region = parse_region_countries(DEFAULT_REGION_COUNTRIES)
    events = OutboxPostEvents(outbox)
    audit = OutboxAuditTrail(outbox)
    charters = CharterService(db, stores, audit)
    posts = ContentUseCases(db, stores, events, charters, audit, region)
    reviews = ReviewUseCases(posts)
    services = Services(
        posts=posts,
        reviews=reviews,
        queries=PostQueries(db, stores),
        ugc=UgcUseCases(posts, reviews, detect_language),
        feeds=FeedUseCases(posts, fetch_feed),
        media=MediaUseCases(db, stores, media, audit, media_max_bytes),
        campaigns=CampaignUseCases(
            db,
            stores,
            events,
            audit,
            channels,
            metrics,
            region=region,
            known_regions=known_regions | {region},
        ),
        calendar=CalendarUseCases(
            db,
            stores,
            volumes,
            RegionHolidays(countries_by_region),
            region=region,
            known_regions=known_regions | {region},
        ),
    )
    return Content(
        services=services,
        translations=TranslationCheck(charters, stores, events),
        erasure=EmployeeErasure(stores),
        expiry=ExpiryJob(db, stores, events, tick_seconds=expiry_tick_seconds),
        peers=(channels, metrics, volumes),
    )
