"""The app's Stores port on the service's database: each repository on the
session behind the caller's Transaction."""

from __future__ import annotations

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of

from content_service.adapters.charters import CharterRepository
from content_service.adapters.repository import PostRepository
from content_service.adapters.search import SqlPostSearch


class SqlStores:
    def posts(self, transaction: Transaction) -> PostRepository:
        return PostRepository(session_of(transaction))

    def search(self, transaction: Transaction) -> SqlPostSearch:
        return SqlPostSearch(session_of(transaction))

    def charters(self, transaction: Transaction) -> CharterRepository:
        return CharterRepository(session_of(transaction))
