"""Token warnings: a TokenExpiring some days before an account's token stops
working (LinkedIn's live 60 days), so the employee reconnects in time
instead of finding their shares held.

A periodic job (like the sweeper): every tick it reads the accounts whose
token expires within the warning window and that were not warned of that
expiry yet, and for each records the warning and writes the event in one
transaction. The record is a conditional insert keyed (account, expiry), so
the event goes out once per (account, expiry) however many replicas tick at
once and however often they restart; reconnecting with a new token (a new
expiry) is warned of again. A token already expired gets no warning: its
shares are held (and announced) as soon as the network refuses it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from chorus_db.ports import UnitOfWork
from chorus_runtime.periodic import TickLoop

from publishing_service.app.ports import AccountEvents, Stores
from publishing_service.domain.accounts import DEFAULT_TOKEN_WARNING_DAYS

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# Expiries are days away: a few minutes late changes nothing.
TICK_SECONDS = 300.0


class TokenWarnings(TickLoop):
    tick_done_message = "token expiry warnings sent"

    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        events: AccountEvents,
        *,
        warning_days: int = DEFAULT_TOKEN_WARNING_DAYS,
        tick_seconds: float = TICK_SECONDS,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        super().__init__(tick_seconds)
        self.db = db
        self.stores = stores
        self.events = events
        self.window = timedelta(days=warning_days)
        self.batch_size = batch_size

    async def tick(self, now: datetime) -> int:
        """One batch per tick (the warned ones drop out of the next read)."""
        async with self.db.session() as reads:
            due = await self.stores.token_warnings(reads).due(
                now, now + self.window, self.batch_size
            )
        sent = 0
        for account in due:
            expires_at = account.token_expires_at
            assert expires_at is not None, "due() reads accounts with an expiry"
            async with self.db.transaction() as transaction:
                if not await self.stores.token_warnings(transaction).record(
                    account.tenant_id, account.account_id, expires_at, now
                ):
                    continue  # another replica (or an earlier run) warned already
                self.events.token_expiring(transaction, account, expires_at)
            sent += 1
            log.info(
                "token expiring: employee warned",
                extra={"chorus": {"account_id": account.account_id}},
            )
        return sent
