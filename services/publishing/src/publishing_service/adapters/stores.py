"""The app's Stores port on the service's database: each repository on the
session behind the caller's Transaction."""

from __future__ import annotations

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of

from publishing_service.adapters.account_repository import (
    AccountRepository,
    TokenWarningRepository,
)
from publishing_service.adapters.repository import LedgerRepository
from publishing_service.adapters.withdrawals import WithdrawalRepository


class SqlStores:
    def accounts(self, transaction: Transaction) -> AccountRepository:
        return AccountRepository(session_of(transaction))

    def token_warnings(self, transaction: Transaction) -> TokenWarningRepository:
        return TokenWarningRepository(session_of(transaction))

    def ledger(self, transaction: Transaction) -> LedgerRepository:
        return LedgerRepository(session_of(transaction))

    def withdrawals(self, transaction: Transaction) -> WithdrawalRepository:
        return WithdrawalRepository(session_of(transaction))
