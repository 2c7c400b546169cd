"""The app's Stores port on the service's database: each repository on the
session behind the caller's Transaction."""

from __future__ import annotations

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of

from scheduling_service.adapters.employee_shares import EmployeeShareRepository
from scheduling_service.adapters.engagement import EngagementRepository
from scheduling_service.adapters.repository import (
    RequestRepository,
    ShareRepository,
    TranslationRepository,
)
from scheduling_service.adapters.volume import VolumeRepository


class SqlStores:
    def shares(self, transaction: Transaction) -> ShareRepository:
        return ShareRepository(session_of(transaction))

    def employee_shares(self, transaction: Transaction) -> EmployeeShareRepository:
        return EmployeeShareRepository(session_of(transaction))

    def translations(self, transaction: Transaction) -> TranslationRepository:
        return TranslationRepository(session_of(transaction))

    def requests(self, transaction: Transaction) -> RequestRepository:
        return RequestRepository(session_of(transaction))

    def volumes(self, transaction: Transaction) -> VolumeRepository:
        return VolumeRepository(session_of(transaction))

    def engagement(self, transaction: Transaction) -> EngagementRepository:
        return EngagementRepository(session_of(transaction))
