"""The app's Stores port on the service's database: each repository on the
session behind the caller's Transaction."""

from __future__ import annotations

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of

from content_service.adapters.campaigns import CampaignRepository
from content_service.adapters.charters import (
    ChainRepository,
    CharterRepository,
    HeldTranslationRepository,
    ProposalRepository,
    RequestRepository,
)
from content_service.adapters.erasure import EmployeeReferenceRepository
from content_service.adapters.feed_repository import FeedRepository
from content_service.adapters.media_repository import MediaRepository
from content_service.adapters.repository import PostRepository
from content_service.adapters.search import SqlPostSearch


class SqlStores:
    def campaigns(self, transaction: Transaction) -> CampaignRepository:
        return CampaignRepository(session_of(transaction))

    def posts(self, transaction: Transaction) -> PostRepository:
        return PostRepository(session_of(transaction))

    def search(self, transaction: Transaction) -> SqlPostSearch:
        return SqlPostSearch(session_of(transaction))

    def charters(self, transaction: Transaction) -> CharterRepository:
        return CharterRepository(session_of(transaction))

    def chains(self, transaction: Transaction) -> ChainRepository:
        return ChainRepository(session_of(transaction))

    def requests(self, transaction: Transaction) -> RequestRepository:
        return RequestRepository(session_of(transaction))

    def held_translations(self, transaction: Transaction) -> HeldTranslationRepository:
        return HeldTranslationRepository(session_of(transaction))

    def proposals(self, transaction: Transaction) -> ProposalRepository:
        return ProposalRepository(session_of(transaction))

    def feeds(self, transaction: Transaction) -> FeedRepository:
        return FeedRepository(session_of(transaction))

    def media(self, transaction: Transaction) -> MediaRepository:
        return MediaRepository(session_of(transaction))

    def employee_references(self, transaction: Transaction) -> EmployeeReferenceRepository:
        return EmployeeReferenceRepository(session_of(transaction))
