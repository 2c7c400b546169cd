"""The periodic job that brings every board level with the ledger's running
totals (see use_cases: it covers a Redis outage while running, and its first
tick at start-up covers a crash between a commit and the board write)."""

from __future__ import annotations

import logging
from datetime import datetime

from chorus_runtime.periodic import TickLoop

from gamification_service.app.use_cases import GamificationUseCases

# Often enough that a board lost with Redis is back within a minute.
DEFAULT_INTERVAL_SECONDS = 60.0


class LeaderboardReconciliation(TickLoop):
    tick_done_message = "leaderboards reconciled"
    tick_done_level = logging.DEBUG  # every tick reconciles every tenant: routine

    def __init__(
        self, use_cases: GamificationUseCases, *, tick_seconds: float = DEFAULT_INTERVAL_SECONDS
    ) -> None:
        self.use_cases = use_cases
        super().__init__(tick_seconds)

    async def tick(self, now: datetime) -> int:
        """Returns the number of tenants whose board was reconciled."""
        return await self.use_cases.reconcile()
