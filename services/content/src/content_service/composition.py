"""The service's use cases wired on its concrete adapters, in one place: main.py
builds them for the running service, the tests for a service on a test
database, so both run the same graph."""

from __future__ import annotations

from dataclasses import dataclass

from chorus_core.settings import DEFAULT_REGION
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_messaging.audit import OutboxAuditTrail

from content_service.adapters.events import OutboxPostEvents
from content_service.adapters.feed_fetcher import fetch_feed
from content_service.adapters.language import detect_language
from content_service.adapters.stores import SqlStores
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


@dataclass(frozen=True)
class Content:
    services: Services  # what the gRPC API serves
    translations: TranslationCheck  # the per-locale check of TranslationCompleted
    erasure: EmployeeErasure  # the effect of EmployeeErased
    expiry: ExpiryJob


def build(
    db: Database,
    outbox: Outbox,
    media: MediaStore,
    *,
    media_max_bytes: int = DEFAULT_MAX_BYTES,
    expiry_tick_seconds: float = 30.0,
    region: str = DEFAULT_REGION,
) -> Content:
    stores = SqlStores()
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
    )
    return Content(
        services=services,
        translations=TranslationCheck(charters, stores, events),
        erasure=EmployeeErasure(stores),
        expiry=ExpiryJob(db, stores, events, tick_seconds=expiry_tick_seconds),
    )
